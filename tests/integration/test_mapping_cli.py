"""``scrapy map`` end to end: checkouts -> JSON lines, snapshot-store clones -> PeaTMOSS mapping tables."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import insert

REPO = Path(__file__).resolve().parents[2]
FIG9 = """
SELECT tag.name AS TagName, COUNT(DISTINCT model_to_reuse_repository.reuse_repository_id) AS number
FROM model
INNER JOIN model_to_tag ON model.id = model_to_tag.model_id
INNER JOIN tag ON model_to_tag.tag_id = tag.id
INNER JOIN model_to_reuse_repository ON model.id = model_to_reuse_repository.model_id
WHERE model.model_hub_id = 1
GROUP BY tag.name;
"""


def scrapy_map(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", "map", *args], cwd=REPO, env=env or os.environ.copy(),
                          capture_output=True, text=True, timeout=300)  # fmt: skip


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


APP = {
    "app.py": """\
        from transformers import AutoModel, AutoTokenizer
        import torch

        NAME = "bert-base-uncased"
        tok = AutoTokenizer.from_pretrained(NAME)
        model = AutoModel.from_pretrained(NAME)
        yolo = torch.hub.load("ultralytics/yolov5", "yolov5s")
        local = AutoModel.from_pretrained("./finetuned")
        """,
    "notes.md": "AutoModel.from_pretrained('not/code')\n",
}
SBERT = "from sentence_transformers import SentenceTransformer as S\nS('all-MiniLM-L6-v2')\n"


def test_map_paths_writes_one_json_object_per_call_site(tmp_path):
    a = write(tmp_path / "a", APP)
    write(a, {".git/config": '[remote "origin"]\n\turl = https://github.com/acme/demo.git\n'})
    b = write(tmp_path / "b", {"s.py": SBERT})
    out = tmp_path / "out.jsonl"
    proc = scrapy_map(str(a), str(b), "--output", str(out), "-j", "2")
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    keys = {"repo", "path", "line", "library", "call", "ptm", "resolvable", "reason"}
    assert all(keys <= set(r) for r in rows)
    got = {(r["repo"], r["path"], r["line"], r["ptm"]) for r in rows}
    assert ("acme/demo", "app.py", 5, "bert-base-uncased") in got
    assert ("acme/demo", "app.py", 6, "bert-base-uncased") in got
    assert ("acme/demo", "app.py", 7, "ultralytics/yolov5:yolov5s") in got
    assert ("b", "s.py", 2, "all-MiniLM-L6-v2") in got
    [local] = [r for r in rows if r["line"] == 8]
    assert local["ptm"] is None and local["reason"] == "local path" and local["resolvable"] is False
    assert "files/s" in proc.stderr


def test_map_rejects_a_missing_path(tmp_path):
    proc = scrapy_map(str(tmp_path / "nope"), "--output", str(tmp_path / "o.jsonl"))
    assert proc.returncode != 0


def test_map_fills_the_peatmoss_mapping_tables_from_the_snapshot_store(tmp_path):
    from crawler.db import table
    from crawler.db.engine import open_engine

    url = f"sqlite:///{tmp_path / 'peatmoss.db'}"
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(table("model")), [
            {"id": 1, "context_id": "google-bert/bert-base-uncased", "model_hub_id": 1,
             "repo_url": "https://huggingface.co/google-bert/bert-base-uncased", "downloads": 10},
            {"id": 2, "context_id": "sentence-transformers/all-MiniLM-L6-v2", "model_hub_id": 1,
             "repo_url": "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2", "downloads": 5},
            {"id": 3, "context_id": "ultralytics/yolov5/yolov5s", "model_hub_id": 2,
             "repo_url": "github.com/ultralytics/yolov5", "downloads": None},
        ])  # fmt: skip
        conn.execute(insert(table("tag")), [{"id": 1, "name": "fill-mask"}, {"id": 2, "name": "sentence-similarity"}])
        conn.execute(insert(table("model_to_tag")), [{"model_id": 1, "tag_id": 1}, {"model_id": 2, "tag_id": 2}])
    store = tmp_path / "snapshots"
    write(store / "git" / "acme" / "demo", APP)
    write(store / "git" / "bob" / "search_app", {"s.py": SBERT})
    write(store / "git" / "carol" / "nothing", {"x.py": "print('no models here')\n"})
    env = {**os.environ, "DATABASE_URL": url, "SNAPSHOT_STORE": str(store)}
    for _ in range(2):  # a second run changes nothing
        proc = scrapy_map("-j", "2", env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        db = sqlite3.connect(tmp_path / "peatmoss.db")
        repos = set(db.execute("SELECT owner, name, url FROM reuse_repository"))
        assert repos == {("acme", "demo", "github.com/acme/demo"), ("bob", "search_app", "github.com/bob/search_app")}
        pairs = set(db.execute(
            "SELECT m.context_id, r.owner || '/' || r.name FROM model_to_reuse_repository x "
            "JOIN model m ON m.id = x.model_id JOIN reuse_repository r ON r.id = x.reuse_repository_id"
        ))  # fmt: skip
        assert pairs == {
            ("google-bert/bert-base-uncased", "acme/demo"),
            ("ultralytics/yolov5/yolov5s", "acme/demo"),
            ("sentence-transformers/all-MiniLM-L6-v2", "bob/search_app"),
        }
        files = set(db.execute("SELECT path, model_id FROM reuse_file"))
        assert files == {("acme/demo/app.py", 1), ("acme/demo/app.py", 3), ("bob/search_app/s.py", 2)}
        sites = db.execute(
            "SELECT line, ptm, model_id, resolution, reason FROM map_call_site ORDER BY line, ptm"
        ).fetchall()
        assert (5, "bert-base-uncased", 1, "legacy", None) in sites
        assert (8, None, None, None, "local path") in sites
        assert len(sites) == 5
        assert dict(db.execute(FIG9).fetchall()) == {"fill-mask": 1, "sentence-similarity": 1}
        db.close()


def test_map_reports_each_unanalysable_file_and_never_reads_a_fifo(tmp_path):
    a = write(tmp_path / "a", {"app.py": APP["app.py"], "broken.py": "import transformers\ndef (:\n"})
    os.mkfifo(a / "x.py")  # opening it for reading would block forever
    os.mkfifo(a / "nb.ipynb")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    proc = scrapy_map(str(a), str(tmp_path / "missing"), "--output", str(out), "--errors", str(errors), "-j", "1")
    assert proc.returncode == 1, proc.stderr[-2000:]  # the missing PATH
    assert {json.loads(line)["path"] for line in out.read_text().splitlines()} == {"app.py"}
    reported = {e["file"]: e for e in map(json.loads, errors.read_text().splitlines())}
    assert set(reported) == {"x.py", "nb.ipynb", "broken.py"}
    assert reported["x.py"]["reason"].startswith("unreadable: not a regular file")
    assert reported["x.py"]["repo"] == "a"
    assert reported["broken.py"]["reason"].startswith("unparsable: ")
    assert "[map] file skipped: a: x.py: unreadable: not a regular file" in proc.stderr
    assert f"[map] not mapped: {tmp_path / 'missing'}: no such directory" in proc.stderr

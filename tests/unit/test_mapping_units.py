"""Behaviour of the mapping building blocks: signatures data, notebooks, identifiers, safety limits."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from mapping.identifiers import classify_hub_id, split_torchhub_repo
from mapping.notebooks import notebook_code
from mapping.runner import analyse_repo, task_for
from mapping.signatures import DEFAULT_PATH, SignatureError, load_signatures, parse_signatures


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def ptms(root: Path, signatures=None) -> set[str]:
    return {r.ptm for r in analyse_repo(task_for(root), signatures).records if r.ptm}


def test_packaged_signatures_cover_the_27_libraries_and_clip():
    sig = load_signatures()
    imports = sig.import_names
    for name in """spacy transformers allennlp asteroid espnet2 nemo paddlenlp pyannote sentence_transformers
        speechbrain tensorflow_tts timm stanza fairseq flair huggingface_hub bertopic open_clip peft span_marker
        huggingface_sb3 pythae torch torchvision torchtext torchaudio clip""".split():
        assert name in imports, name


def test_a_library_is_added_in_yaml_only(tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["libraries"].append(
        {
            "name": "acme",
            "imports": ["acme_models"],
            "loaders": [{"call": ["acme_models.**.fetch"], "id": {"position": 0, "keyword": "ref"}}],
        }
    )
    custom = tmp_path / "sig.yaml"
    custom.write_text(yaml.safe_dump(data))
    repo = write(tmp_path / "repo", {"a.py": "from acme_models import Zoo\nZoo.fetch(ref='acme/small-v1')\n"})
    assert ptms(repo) == set()
    assert ptms(repo, load_signatures(custom)) == {"acme/small-v1"}


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"libraries": [{"name": "x", "imports": ["x"], "loaders": [{"call": ["x.f"]}]}]}, "give id"),
        ({"libraries": [{"name": "x", "imports": [], "loaders": []}]}, "imports"),
        ({"libraries": [{"name": "x", "imports": ["x"], "hub": "nowhere", "loaders": []}]}, "hub must be"),
        ({"libraries": [{"name": "x", "imports": ["x"], "loaders": [{"call": "x.f", "id": {}}]}]}, "position"),
        ({"libraries": [{"name": "x", "imports": ["x"], "loaders": [{"call": "x.f", "id": {"position": 0},
                                                                       "format": "{oops}"}]}]}, "format"),
    ],
)  # fmt: skip
def test_malformed_signatures_are_rejected_with_a_precise_message(bad, message):
    with pytest.raises(SignatureError, match=message):
        parse_signatures(bad)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("bert-base-uncased", "bert-base-uncased"),
        ("openai/whisper-base", "openai/whisper-base"),
        ("hf_hub:timm/vit_base", "timm/vit_base"),
        ("https://huggingface.co/gpt2/resolve/main/config.json", "gpt2"),
        ("pyannote/segmentation@2022.07", "pyannote/segmentation"),
        ("./checkpoints/best", None),
        ("/abs/model", None),
        ("~/models/x", None),
        ("checkpoints/epoch_3", None),
        ("outputs/run/model", None),
        ("model.bin", None),
        ("path/to/model", None),
        ("<your-model>", None),
        ("", None),
        ("YOUR_MODEL_NAME", None),
        ("https://example.com/model.tar.gz", None),
    ],
)
def test_hub_id_classification(value, expected):
    assert classify_hub_id(value)[0] == expected


def test_torchhub_repo_drops_the_ref_and_rejects_paths():
    assert split_torchhub_repo("pytorch/vision:v0.10.0") == ("pytorch/vision", None)
    assert split_torchhub_repo("./yolov5")[0] is None


def test_notebook_code_cells_magics_and_raw_lines():
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["AutoModel.from_pretrained('md/x')\n"]},
            {"cell_type": "code", "source": ["!pip install x\n", "%time y = 1\n", "name = 'gpt2'"], "outputs": []},
            {"cell_type": "code", "source": ["%%bash\n", "echo hi"], "outputs": []},
            {"cell_type": "code", "source": ["if True:\n", "    !ls\n", "z = name"], "outputs": []},
            {"cell_type": "code", "source": ["def broken(:\n"], "outputs": []},
        ],
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    raw = json.dumps(nb, indent=1)
    code, lines = notebook_code(raw)
    assert "md/x" not in code and "echo hi" not in code and "broken" not in code
    compile(code, "nb", "exec")
    raw_lines = raw.splitlines()
    i = code.splitlines().index("z = name")
    assert '"z = name"' in raw_lines[lines[i] - 1]


def test_notebook_call_site_lines_point_into_the_raw_file(tmp_path):
    nb = {
        "cells": [
            {"cell_type": "code", "source": ["from transformers import AutoModel\n", "m = 'roberta-base'"]},
            {"cell_type": "code", "source": ["%matplotlib inline\n", "x = AutoModel.from_pretrained(m)"]},
        ],
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb, indent=2))
    [rec] = analyse_repo(task_for(tmp_path)).records
    assert rec.ptm == "roberta-base"
    assert "from_pretrained(m)" in (tmp_path / "nb.ipynb").read_text().splitlines()[rec.line - 1]


def test_analysed_code_is_never_imported_or_executed(tmp_path):
    marker = tmp_path / "executed"
    repo = write(
        tmp_path / "repo",
        {
            "evil.py": f"open({str(marker)!r}, 'w').write('x')\nNAME = 'gpt2'\n",
            "main.py": "from evil import NAME\nfrom transformers import AutoModel\nAutoModel.from_pretrained(NAME)\n",
            "transformers.py": f"open({str(marker)!r}, 'w').write('y')\n",
        },
    )
    assert ptms(repo) == {"gpt2"}
    assert not marker.exists()
    assert "evil" not in sys.modules


def test_unparsable_and_oversized_files_are_skipped_and_counted(tmp_path):
    repo = write(
        tmp_path / "repo",
        {
            "py2.py": "import transformers\nprint 'hi'\ntransformers.AutoModel.from_pretrained('gpt2')\n",
            "big.py": "import transformers\n" + "x = 1\n" * 300_000,
            "ok.py": "import transformers\ntransformers.AutoModel.from_pretrained('t5-small')\n",
        },
    )
    result = analyse_repo(task_for(repo))
    assert {r.ptm for r in result.records} == {"t5-small"}
    assert result.stats["unparsable"] == 1
    assert result.stats["too_large"] == 1


def test_vendored_library_sources_and_virtualenvs_are_not_usage(tmp_path):
    repo = write(
        tmp_path / "repo",
        {
            "transformers/__init__.py": "",
            "transformers/hub.py": "from transformers import AutoModel\nAutoModel.from_pretrained('vendored/x')\n",
            "env/pyvenv.cfg": "home = /usr\n",
            "env/lib/site.py": "import timm\ntimm.create_model('resnet50', pretrained=True)\n",
            "lib/site-packages/peft/x.py": "from peft import PeftModel\nPeftModel.from_pretrained(m, 'a/b')\n",
            "app.py": "import timm\ntimm.create_model('resnet18', pretrained=True)\n",
        },
    )
    assert ptms(repo) == {"timm:resnet18"}


def test_git_remote_names_the_repository(tmp_path):
    repo = write(tmp_path / "checkout", {".git/config": '[remote "origin"]\n\turl = git@github.com:acme/nlp-app.git\n'})
    assert task_for(repo).name == "acme/nlp-app"


def test_file_timer_is_not_swallowed_by_the_analysed_codes_except_exception(tmp_path):
    import time

    from mapping.project import Project
    from mapping.runner import _file_timer
    from mapping.signatures import default_signatures

    project = Project(tmp_path, default_signatures())

    def astroid_like_inference() -> None:
        try:
            time.sleep(30)
        except Exception:  # astroid's broad handlers on odd code
            pass
        time.sleep(30)

    with _file_timer(project, "slow.py", 0.2):
        astroid_like_inference()
    assert project.file_errors == [("slow.py", "timed out after 0.2 s")]
    assert project.stats["files_timed_out"] == 1

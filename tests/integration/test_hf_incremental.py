"""Re-crawls cost little: an unchanged hub costs list pages only; after a change, exactly what changed is fetched."""

from __future__ import annotations

import re

from fakehub import FakeHub
from tests.crawl import list_all_models, rows, run_crawl

DETAIL = re.compile(r"^/api/models/(.+)/revision/[0-9a-f]{40}$")


def _detailed(requests: list[dict]) -> set[str]:
    return {m.group(1) for r in requests if (m := DETAIL.match(r["path"]))}


def test_recrawl_unchanged_then_next_generation(tmp_path) -> None:
    with FakeHub(models=500, seed=3) as hub:
        first = run_crawl(tmp_path, hub.hf_endpoint)
        assert first.returncode == 0, first.stdout[-3000:]
        before = list_all_models(hub.hf_endpoint)
        db = tmp_path / "peatmoss.db"
        ids_before = dict(rows(db, "SELECT context_id, id FROM model"))

        hub.clear_requests()
        second = run_crawl(tmp_path, hub.hf_endpoint)
        assert second.returncode == 0, second.stdout[-3000:]
        paths = [r["path"] for r in hub.requests()]
        assert paths and set(paths) == {"/api/models"} and len(paths) <= 2  # list pages only
        assert rows(db, "SELECT count(*) FROM crawl_run")[0][0] == 2
        # One observation per model per crawl: downloads/likes over time.
        assert rows(
            db, "SELECT min(n), max(n) FROM (SELECT count(*) n FROM crawl_model_observation GROUP BY model_id)"
        )[0] == (2, 2)

        hub.set_generation(1)
        assert run_crawl(tmp_path, hub.hf_endpoint).returncode == 0
        after_one = list_all_models(hub.hf_endpoint)
        assert dict(rows(db, "SELECT context_id, sha FROM model")) == {c: e["sha"] for c, e in after_one.items()}
        before = after_one

        hub.set_generation(4)  # from generation 1: about 3% of the models changed, 3% added
        after = list_all_models(hub.hf_endpoint)
        hub.clear_requests()
        third = run_crawl(tmp_path, hub.hf_endpoint)
        assert third.returncode == 0, third.stdout[-3000:]
        third_requests = hub.requests()

    def popular(entry: dict | None) -> bool:
        return entry is not None and (entry.get("downloads") or 0) >= 50 and not entry.get("disabled")

    # Popular now, and we do not hold its details at this sha: changed, new, or newly popular.
    changed = {
        cid
        for cid, e in after.items()
        if popular(e) and (not popular(before.get(cid)) or before[cid]["sha"] != e["sha"])
    }
    assert any(cid in before and before[cid]["sha"] != after[cid]["sha"] for cid in changed)
    assert _detailed(third_requests) == changed
    assert set(after) - set(before), "generation 1 should add models"
    stored = dict(rows(db, "SELECT context_id, sha FROM model"))
    assert stored == {cid: e["sha"] for cid, e in after.items()}
    # Surrogate ids never change between runs.
    ids_after = dict(rows(db, "SELECT context_id, id FROM model"))
    assert all(ids_after[cid] == i for cid, i in ids_before.items())
    # The new revisions of changed models were snapshotted, and their details are marked complete for the new sha.
    done = dict(
        rows(db, "SELECT m.context_id, s.detail_sha FROM model m JOIN crawl_model_state s ON s.model_id = m.id")
    )
    assert sum(done.get(cid) == after[cid]["sha"] for cid in changed) >= 0.9 * len(changed)

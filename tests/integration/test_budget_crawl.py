"""A single node under a tight quota (a real ``scrapy crawl`` against the fake registry, 10 ``api`` requests per
fixed 5 s window, 429 beyond): its in-process rate budget spreads the requests, so at most 5% of them are 429s
(issue 13: 239 of 510 were, when every queued request fired at the window's reset), and every model is complete."""

from __future__ import annotations

from fakehub import FakeHub
from tests.crawl import list_all_models, rows, run_crawl, stat

MODELS = 8  # about 45 API requests: nine windows of the quota


def test_a_single_node_spreads_its_requests_under_a_tight_quota(tmp_path) -> None:
    with FakeHub(models=MODELS, seed=5) as clean:
        truth = set(list_all_models(clean.hf_endpoint))
    with FakeHub(models=MODELS, seed=5, rate_limit=10, rate_window=5) as hub:
        result = run_crawl(tmp_path, hub.hf_endpoint, args={"min_downloads": 0, "snapshot": "none"})
        api = [r for r in hub.requests() if r["path"].startswith("/api/")]
    log = result.stdout
    assert result.returncode == 0 and "Spider closed (finished)" in log, log[-3000:]
    assert "Traceback" not in log, log[-5000:]
    limited = sum(r["status"] == 429 for r in api)
    assert len(api) > 4 * MODELS and limited <= 0.05 * len(api), (limited, len(api))
    assert stat(log, "budget/waited_requests") > 0  # the budget, not luck, kept them under the quota
    db = tmp_path / "peatmoss.db"
    assert {cid for (cid,) in rows(db, "SELECT context_id FROM model")} == truth
    complete = rows(db, "SELECT m.context_id FROM model m JOIN crawl_model_state s ON s.model_id = m.id "
                        "WHERE s.detail_sha IS NOT NULL")  # fmt: skip
    assert {cid for (cid,) in complete} == truth

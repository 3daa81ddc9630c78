"""Precision and recall of the mapping on the labelled corpus, next to a literal-argument grep."""

from __future__ import annotations

import pytest

from mapping.runner import run, task_for
from tests.mapping_corpus.scoring import grep_baseline, load_labels, precision_recall, repos


@pytest.fixture(scope="module")
def results():
    tasks = [task_for(p) for p in repos()]
    records = [r for res in run(tasks, workers=1, progress=None) for r in res.records]
    return records, load_labels()


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def test_repository_model_level_precision_and_recall(results):
    records, labels = results
    predicted = {(r.repo, r.ptm) for r in records if r.ptm}
    p, r = precision_recall(predicted, labels.repo_models)
    print(f"\n(repo, model): precision {p:.3f} recall {r:.3f} ({len(labels.repo_models)} labelled pairs)")
    assert p >= 0.95, sorted(predicted - labels.repo_models)
    assert r >= 0.90, sorted(labels.repo_models - predicted)


def test_call_site_level_precision_and_recall(results):
    records, labels = results
    predicted = {(r.repo, r.path, r.line, r.ptm) for r in records if r.ptm}
    p, r = precision_recall(predicted, labels.sites)
    print(f"\ncall sites: precision {p:.3f} recall {r:.3f} ({len(labels.sites)} labelled)")
    assert p >= 0.95, sorted(predicted - labels.sites)
    assert r >= 0.90, sorted(labels.sites - predicted)


def test_unknowable_identifiers_are_reported_with_a_reason(results):
    records, labels = results
    nulls = {(r.repo, r.path, r.line) for r in records if r.ptm is None}
    assert labels.null_sites <= nulls
    assert all(r.reason for r in records if r.ptm is None)


def test_grep_baseline_is_clearly_beaten(results):
    records, labels = results
    ours = precision_recall({(r.repo, r.ptm) for r in records if r.ptm}, labels.repo_models)
    grep = precision_recall({(a, d) for a, _, _, d in grep_baseline()}, labels.repo_models)
    print(f"\n(repo, model) F1: analysis {_f1(*ours):.3f}, grep {_f1(*grep):.3f} (P {grep[0]:.3f} R {grep[1]:.3f})")
    assert _f1(*ours) >= _f1(*grep) + 0.25
    assert ours[0] > grep[0] and ours[1] > grep[1]


def test_negatives_and_vendored_copies_report_nothing(results):
    records, _ = results
    by_repo = {r.repo for r in records if r.ptm}
    assert "lookalikes" not in by_repo
    assert not [r for r in records if r.repo == "vendored_repo" and r.path != "app.py"]
    assert not [r for r in records if r.repo == "legacy_py2" and r.path == "old.py"]

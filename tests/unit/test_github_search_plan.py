"""The code-search plan of ``github_search``: one query per signature, shards that never exceed the cap."""

from __future__ import annotations

import random

import pytest

from spiders.github_search_plan import (
    SEARCH_CAP,
    SIGNATURES,
    Shard,
    initial_shard,
    over_cap,
    pages_needed,
    queries,
)


def test_one_query_per_signature_and_scope() -> None:
    libraries = {lib for lib, _ in SIGNATURES}
    assert len(libraries) == 27  # reference/signatures.md §2
    plan = queries(scopes=("language:python",))
    assert len(plan) == len(SIGNATURES)
    assert ("timm", "timm create_model language:python") in plan
    assert ("torch", "torch.hub.load language:python") in plan
    both = queries(libraries=["timm"])
    assert [q for _, q in both] == ["timm create_model language:python", "timm create_model extension:ipynb"]
    assert queries(libraries=["timm"], scopes=(), extra=["foo bar"]) == [
        ("timm", "timm create_model"),
        ("custom", "foo bar"),
    ]
    with pytest.raises(ValueError, match="unknown libraries: nope"):
        queries(libraries=["nope"])


def test_split_covers_the_range_without_overlap() -> None:
    shard = initial_shard("x")
    assert shard.q == "x size:0..393216"
    seen = [shard]
    while seen[-1].splittable:
        low, high = seen[-1].split()
        assert (low.lo, high.hi) == (seen[-1].lo, seen[-1].hi)
        assert low.hi + 1 == high.lo and low.lo <= low.hi and high.lo <= high.hi
        seen.append(low)
    assert seen[-1].lo == seen[-1].hi == 0
    with pytest.raises(ValueError):
        seen[-1].split()
    assert Shard.from_meta(shard.as_meta()) == shard


def test_geometric_split_balances_skewed_file_sizes() -> None:
    """With log-normal file sizes (most files a few KB), recursive splitting reaches the cap in few requests."""
    rng = random.Random(3)
    sizes = sorted(min(int(rng.lognormvariate(8.5, 1.2)), 393216) for _ in range(20_000))

    def count(s: Shard) -> int:
        return sum(1 for size in sizes if s.lo <= size <= s.hi)

    pending, leaves, requests = [initial_shard("q")], [], 0
    while pending:
        shard = pending.pop()
        requests += 1
        if over_cap(count(shard)) and shard.splittable:
            pending.extend(shard.split())
        else:
            leaves.append(shard)
    assert sum(count(s) for s in leaves) == len(sizes)  # every file in exactly one shard
    assert all(count(s) <= SEARCH_CAP for s in leaves)
    assert requests < 3 * len(sizes) / SEARCH_CAP + 20


def test_pages_needed_stays_within_the_cap() -> None:
    assert pages_needed(0) == 1
    assert pages_needed(100) == 1
    assert pages_needed(101) == 2
    assert pages_needed(5000) == 10
    assert not over_cap(1000) and over_cap(1001)

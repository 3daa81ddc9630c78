"""License normalisation and compatibility verdicts, checked by hand against the OSADL matrix and the issue."""

from __future__ import annotations

import pytest

from report.licenses import identical, normalise, verdict

# (PTM license as stored, repository license as stored, verdict). Inbound = PTM, outbound = repository.
HAND_CHECKED = [
    ("apache-2.0", "mit", "compatible"),  # permissive into permissive
    ("mit", "mit", "compatible"),  # same license
    ("bsd-3-clause", "apache-2.0", "compatible"),
    ("apache-2.0", "gpl-3.0", "compatible"),  # Apache-2.0 is GPL-3.0 compatible
    ("gpl-3.0", "mit", "incompatible"),  # copyleft model inside MIT code
    ("GPL-3.0-only", "MIT", "incompatible"),  # SPDX spelling, same verdict
    ("lgpl-3.0", "mit", "incompatible"),
    ("apache-2.0", "gpl-2.0", "incompatible"),  # the classic Apache-2.0 / GPL-2.0-only clash
    ("mit", None, "no-license"),  # the repository declares none
    (None, None, "no-license"),
    ("openrail", "mit", "unknown"),  # RAIL licenses: no matrix covers them
    ("llama2", "apache-2.0", "unknown"),
    ("cc-by-nc-4.0", "mit", "unknown"),  # CC-BY-NC: not in the matrix
    ("other", "mit", "unknown"),  # not a license we can name
    ("mit", "other", "unknown"),  # GitHub's "other"
    ("mit", "NOASSERTION", "unknown"),
    (None, "mit", "unknown"),  # the PTM declares none: no verdict, not a guess
    ("gpl", "mit", "unknown"),  # which GPL? not guessed
    ("MIT OR GPL-3.0-only", "mit", "compatible"),  # a choice: MIT can be taken
    ("GPL-3.0-only AND MIT", "mit", "incompatible"),  # both apply
]


@pytest.mark.parametrize(("ptm", "repo", "expected"), HAND_CHECKED)
def test_hand_checked_verdicts(ptm: str | None, repo: str | None, expected: str) -> None:
    assert verdict(ptm, repo) == expected


def test_hub_ids_normalise_to_spdx_and_unmappable_ones_stay_as_stored() -> None:
    assert normalise("apache-2.0").label == "Apache-2.0"
    assert normalise("gpl-3.0").spdx == "GPL-3.0-only"  # GitHub's / the Hub's gpl-3.0 is -only
    assert normalise("agpl-3.0").spdx == "AGPL-3.0-only"
    assert normalise("cc-by-4.0").spdx == "CC-BY-4.0"
    assert normalise("GPL-2.0+").spdx == "GPL-2.0-or-later"  # not a Hub id: parsed by license-expression
    for name in ("openrail", "llama2", "other", "bigscience-bloom-rail-1.0", "Apache 2.0 license"):
        assert normalise(name).spdx is None and normalise(name).label == name
    assert normalise(None).label == "none" and not normalise(None).declared
    assert normalise("  ").label == "none"


def test_identical_compares_normalised_names() -> None:
    assert identical("apache-2.0", "Apache-2.0")
    assert identical("gpl-3.0", "GPL-3.0-only")
    assert not identical("mit", "apache-2.0")
    assert not identical(None, None)  # two missing licenses are not the same license

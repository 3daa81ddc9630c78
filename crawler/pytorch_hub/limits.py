"""PyTorch Hub rate limits: none of its own.

PyTorch Hub has no API: the crawl reads the ``pytorch/hub`` repository and the source repositories through the
GitHub API, so every request spends GitHub's buckets (crawler/github/limits.py) and is classified there.
"""

from __future__ import annotations

from crawler.limits import RegistryLimits

LIMITS: RegistryLimits | None = None

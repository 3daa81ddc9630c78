"""Rate limits of the Spaces and datasets crawls: those of the Hub, whose buckets they share with the model crawl.

Listings and infos (``/api/spaces``, ``/api/datasets``, ``/api/models/{id}``) count against ``api``, file downloads
(``/spaces/{id}/resolve/...``, ``/datasets/{id}/resolve/...``) against ``resolvers``. They go to the same
``HF_ENDPOINT`` as the model crawl, so crawler/hf/limits.py classifies them, and the local backoff and the cluster
budget treat all three crawls as one client of the Hub: this registry adds no limits of its own.
"""

from __future__ import annotations

from crawler.limits import RegistryLimits

LIMITS: RegistryLimits | None = None

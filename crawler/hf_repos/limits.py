"""Rate limits of the Spaces and datasets crawls: those of the Hub, whose `api` bucket they share with models.

Listings and infos (``/api/spaces``, ``/api/datasets``, ``/api/models/{id}``) count against ``api``, file
downloads (``/spaces/{id}/resolve/...``, ``/datasets/{id}/resolve/...``) against ``resolvers``: the same URL ->
bucket map and published quotas as the model crawl, so the local backoff and the cluster budget treat all three
crawls as one client of the Hub.
"""

from __future__ import annotations

from crawler.cluster.budget import PUBLISHED
from crawler.cluster.budget import _hf_bucket as bucket_of_path

REGISTRY = "hf"
API_BUCKET = "api"
RESOLVERS_BUCKET = "resolvers"
# bucket -> {"anonymous" | "token": (quota, window seconds)}, as published by the Hub.
LIMITS = {bucket: PUBLISHED[(REGISTRY, bucket)] for bucket in (API_BUCKET, RESOLVERS_BUCKET)}

__all__ = ["API_BUCKET", "LIMITS", "REGISTRY", "RESOLVERS_BUCKET", "bucket_of_path"]

"""The crawl shared by ``hf_spaces`` and ``hf_datasets``: the Hub's listing (crawler/hf/listing.py) of
``/api/{spaces,datasets}?expand=...``, every entry an item (one row per repository, its declared links), and for
each changed repository the files to snapshot, ending in a snapshot item that marks the revision done once stored.
Requests carry only JSON-safe meta and spider-method callbacks, so the same crawl runs under JOBDIR and on a
cluster.
"""

from __future__ import annotations

from typing import Any

from crawler.hf.listing import HubListingSpider, listing_args
from crawler.hf.parse import Sibling
from crawler.hf_repos import state
from crawler.spiderargs import ArgSpec


def repo_arguments(sorts: tuple[str, ...]) -> ArgSpec:
    common = listing_args(sorts)
    return ArgSpec(tuple(common[name] for name in ("limit", "author", "search", "sort", "snapshot")))


class HubRepoSpider(HubListingSpider):
    """Subclasses set ``name``, ``repo_type``, ``api_path`` (``spaces`` | ``datasets``), ``expand``, the listing's
    stat names and ``unit``, ``arguments`` and the hooks ``parse_entry``, ``key`` and ``details``
    (crawler/hf/listing.py)."""

    repo_type: str
    expand: tuple[str, ...]

    def list_params(self) -> list[tuple[str, str]]:
        return [("expand", field) for field in self.expand]

    def completed(self, keys: list[str]) -> dict[str, str]:
        return state.completed_details(self.engine, self.repo_type, keys)

    def plan_repo(self, item_id: str, revision: str, siblings: list[Sibling]) -> list[dict[str, Any]]:
        """The snapshot plan of a Space's or dataset's files (their URLs: ``{endpoint}/{spaces,datasets}/{id}/...``)."""
        return self.plan(f"{self.api_path}/{item_id}", revision, siblings)

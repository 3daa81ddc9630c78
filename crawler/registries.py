"""The registries the crawler knows, and what each contributes to the generic pipelines.

Every registry is a folder ``crawler/<name>/`` of the same shape (docs/adding-a-registry.md): ``items``, ``parse``,
``state``, ``limits``, ``checks`` (``CHECKERS``), ``writes`` (``WRITERS``, ``FINISHERS``). The pipelines
(validate, normalise, store) and the rate-limit components iterate ``REGISTRIES`` instead of naming registries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crawler.github import checks as github_checks
from crawler.github import limits as github_limits
from crawler.github import writes as github_writes
from crawler.hf import checks as hf_checks
from crawler.hf import limits as hf_limits
from crawler.hf import normalise as hf_normalise
from crawler.hf import writes as hf_writes
from crawler.hf_repos import checks as hf_repos_checks
from crawler.hf_repos import limits as hf_repos_limits
from crawler.hf_repos import writes as hf_repos_writes
from crawler.limits import RegistryLimits
from crawler.pytorch_hub import checks as pytorch_hub_checks
from crawler.pytorch_hub import limits as pytorch_hub_limits
from crawler.pytorch_hub import writes as pytorch_hub_writes

Checker = Callable[[Any], list[str]]
Writer = Callable[[Any, list[Any]], None]


@dataclass(frozen=True)
class Registry:
    name: str  # the folder under crawler/
    checkers: Mapping[type, Checker]
    writers: tuple[tuple[type, Writer], ...]  # (item type, writer) in dependency order
    finishers: tuple[Callable[[Any], None], ...]  # called once at the end of a crawl with a Batch
    limits: RegistryLimits | None  # None: its requests go to another registry's API and count there
    normalisers: Mapping[type, Callable[[Any], Any]] = field(default_factory=dict)


# In dependency order: PyTorch Hub rows point at GitHub's, written in the same batch before them.
REGISTRIES: tuple[Registry, ...] = (
    Registry(
        "hf", hf_checks.CHECKERS, hf_writes.WRITERS, hf_writes.FINISHERS, hf_limits.LIMITS, hf_normalise.NORMALISERS
    ),
    Registry(
        "hf_repos",
        hf_repos_checks.CHECKERS,
        hf_repos_writes.WRITERS,
        hf_repos_writes.FINISHERS,
        hf_repos_limits.LIMITS,
    ),
    Registry("github", github_checks.CHECKERS, github_writes.WRITERS, github_writes.FINISHERS, github_limits.LIMITS),
    Registry(
        "pytorch_hub",
        pytorch_hub_checks.CHECKERS,
        pytorch_hub_writes.WRITERS,
        pytorch_hub_writes.FINISHERS,
        pytorch_hub_limits.LIMITS,
    ),
)


def checkers() -> dict[type, Checker]:
    return {kind: check for registry in REGISTRIES for kind, check in registry.checkers.items()}


def normalisers() -> dict[type, Callable[[Any], Any]]:
    return {kind: norm for registry in REGISTRIES for kind, norm in registry.normalisers.items()}


def writers() -> tuple[tuple[type, Writer], ...]:
    return tuple(pair for registry in REGISTRIES for pair in registry.writers)


def finishers() -> tuple[Callable[[Any], None], ...]:
    return tuple(finish for registry in REGISTRIES for finish in registry.finishers)


def all_limits() -> tuple[RegistryLimits, ...]:
    return tuple(registry.limits for registry in REGISTRIES if registry.limits is not None)


@dataclass(frozen=True)
class Bucket:
    registry: str
    bucket: str


def _base(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.netloc.lower(), parts.path.rstrip("/")


class Classifier:
    """Which registry and bucket a request counts against (None: not rate limited by us)."""

    def __init__(self, settings: Any) -> None:
        # longest path prefix first: the fake registry serves several APIs on one host
        self.bases = sorted(
            ((*_base(limits.api_base(settings)), limits) for limits in all_limits()), key=lambda b: -len(b[1])
        )

    def limits_of(self, url: str) -> tuple[RegistryLimits, str] | None:
        """The registry's limits and the bucket ``url`` spends."""
        host, path = _base(url)
        for base_host, base_path, limits in self.bases:
            if host == base_host and (path == base_path or path.startswith(base_path + "/")):
                return limits, limits.bucket_of_path(path[len(base_path) :])
        return None

    def classify(self, url: str) -> Bucket | None:
        found = self.limits_of(url)
        return Bucket(found[0].registry, found[1]) if found else None

"""Stores model files content-addressed through Scrapy's FilesPipeline, and writes one manifest per revision.

Storage layout under ``SNAPSHOT_STORE`` (any FilesPipeline store: a folder, ``s3://``, ``gs://``):

* ``objects/sha256/ab/cd/<sha256>``: file contents, stored once however many models and revisions share them;
* ``manifests/<repo id>/<revision>.json``: ``{"repo_id", "revision", "files": {path: {"sha256", "size"}}}``
  (``manifests/_long/<sha256 of the repo id>/...`` for an id with a part too long for a file name: the manifest
  itself names the id).

Repository paths never become store paths (content addressing), so a hostile sibling name such as
``../../etc/passwd`` cannot escape the store; such paths are rejected before this pipeline anyway. Files are only
written, never opened as code: nothing downloaded is executed, imported or unpickled.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from io import BytesIO
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.pipelines.files import FilesPipeline
from scrapy.pipelines.media import FileException
from twisted.python.failure import Failure

from crawler.hf.items import HfSnapshotItem

logger = logging.getLogger(__name__)

CARD_PATH = "README.md"
WRITTEN_REMEMBERED = 100_000  # object hashes a crawl remembers having written (about 16 MB)
# Failures that will not go away by asking again: record them, do not refetch the model for them.
FINAL_ERROR_CODES = {"GatedRepo", "EntryNotFound", "RepoNotFound", "RevisionNotFound"}


def object_path(sha256: str) -> str:
    return f"objects/sha256/{sha256[:2]}/{sha256[2:4]}/{sha256}"


# File systems allow 255 bytes per name; keep a margin for stores that add suffixes (temporary files).
MAX_NAME_BYTES = 200


def manifest_path(item: HfSnapshotItem) -> str:
    """``manifests/[<kind>/]<repo id>/<revision>.json``: Spaces and datasets under their own prefix (ids may clash);
    every path component fits any file system's name limit (a longer id goes under ``_long/<its sha256>``)."""
    prefix, repo_id = getattr(item, "manifest_prefix", ""), item.context_id
    if all(len(part.encode()) <= MAX_NAME_BYTES for part in repo_id.split("/")):
        return f"manifests/{prefix}{repo_id}/{item.revision}.json"
    return f"manifests/{prefix}_long/{hashlib.sha256(repo_id.encode()).hexdigest()}/{item.revision}.json"


def card_text(body: bytes) -> str | None:
    """The card as text, or None for a binary card (NUL bytes or not UTF-8)."""
    if b"\x00" in body:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


class SnapshotPipeline(FilesPipeline):
    def __init__(self, store_uri: str, *, crawler: Crawler) -> None:
        super().__init__(store_uri, crawler=crawler)
        self.crawler = crawler
        self._failures: dict[str, str] = {}  # url -> why it was not stored, until item_completed reads it
        # Objects this process has written, most recently met last: content already stored is not written again
        # (the same .gitattributes, configs and tokenizers recur across models: 41% of the fake's downloads).
        # Bounded, so a crawl of millions of files remembers the recurring ones.
        self._written: dict[str, None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SnapshotPipeline:
        cls._update_stores(crawler.settings)
        return cls(crawler.settings.get("SNAPSHOT_STORE"), crawler=crawler)

    def get_media_requests(self, item: Any, info: Any) -> list[Request]:
        if not isinstance(item, HfSnapshotItem):
            return []
        return [
            Request(
                entry["url"],
                meta={
                    "snapshot_path": entry["path"],
                    "expected_sha256": entry.get("lfs_sha256"),
                    "download_maxsize": max(entry.get("size") or 0, self._maxsize()),
                },
            )
            for entry in item.files
            if entry.get("action") == "fetch"
        ]

    def _maxsize(self) -> int:
        return self.crawler.settings.getint("SNAPSHOT_MAX_FILE_SIZE")

    def file_path(self, request: Request, response: Response | None = None, info: Any = None, *, item: Any = None):
        if response is not None:
            return object_path(hashlib.sha256(response.body).hexdigest())
        expected = request.meta.get("expected_sha256")
        if expected:
            return object_path(expected)  # LFS files: known before download, so a stored one is not fetched again
        return f"objects/pending/{hashlib.sha1(request.url.encode()).hexdigest()}"  # never exists: download

    def media_downloaded(self, response: Response, request: Request, info: Any, *, item: Any = None):
        if response.status != 200:
            code = response.headers.get(b"X-Error-Code", b"").decode("latin-1")
            raise FileException(f"http {response.status} {code}".strip())
        return super().media_downloaded(response, request, info, item=item)

    def media_failed(self, failure: Failure, request: Request, info: Any) -> Any:
        """No traceback: the reason goes to the manifest and to one summary line per model (item_completed)."""
        reason = str(failure.value) or type(failure.value).__name__
        self._failures[request.url] = reason
        logger.debug("Snapshot file not stored: %s (%s)", request.url, reason)
        # FilesPipeline treats IgnoreRequest as "filtered": no second log line, no traceback.
        return super().media_failed(Failure(IgnoreRequest(reason)), request, info)

    def file_downloaded(self, response: Response, request: Request, info: Any, *, item: Any = None) -> str:
        body = response.body
        sha256 = hashlib.sha256(body).hexdigest()
        expected = request.meta.get("expected_sha256")
        if expected and expected != sha256:
            self.crawler.stats.inc_value("snapshot/hash_mismatch")
            raise FileException(f"sha256 mismatch: expected {expected}, got {sha256}")
        if sha256 in self._written:
            self._written[sha256] = self._written.pop(sha256)  # the most recently met last
            self.crawler.stats.inc_value("snapshot/already_written")
        else:
            self.store.persist_file(
                object_path(sha256), BytesIO(body), info, headers={"Content-Type": "application/octet-stream"}
            )
            self._written[sha256] = None
            if len(self._written) > WRITTEN_REMEMBERED:
                del self._written[next(iter(self._written))]
        if isinstance(item, HfSnapshotItem) and request.meta.get("snapshot_path") == CARD_PATH:
            text = card_text(body)
            if text is None:
                self.crawler.stats.inc_value("hf/card_binary")
                logger.warning("Binary model card in %s: card text not stored", item.context_id)
            item.card_text, item.card_sha256, item.card_size = text, sha256, len(body)
        self.crawler.stats.inc_value("snapshot/bytes", len(body))
        return sha256

    def item_completed(self, results: list[Any], item: Any, info: Any) -> Any:
        if not isinstance(item, HfSnapshotItem):
            return item
        fetched = [entry for entry in item.files if entry.get("action") == "fetch"]
        for entry, (ok, value) in zip(fetched, results, strict=True):
            if ok:
                # The store path names the content; FilesPipeline's "checksum" is an MD5 for files already stored.
                sha256 = value["path"].rsplit("/", 1)[-1]
                entry.update(status="stored", sha256=sha256, stored_path=value["path"])
                self.crawler.stats.inc_value(f"snapshot/files_{value.get('status', 'downloaded')}")
                continue
            reason = self._failures.pop(entry["url"], None) or str(getattr(value, "value", value))
            entry.update(status="failed", reason=reason)
            self.crawler.stats.inc_value("snapshot/files_failed")
            if not any(code in reason for code in FINAL_ERROR_CODES):
                item.complete = False  # transient: try this revision again next crawl
        self._log_failed(item)
        for entry in item.files:
            if entry.get("action") in ("skip", "reject"):
                entry["status"] = "skipped" if entry["action"] == "skip" else "rejected"
        self._write_manifest(item, info)
        return item

    def _log_failed(self, item: HfSnapshotItem) -> None:
        """One line per model, not per file (a gated model used to print one warning for each of its files)."""
        reasons = Counter(e["reason"] for e in item.files if e.get("status") == "failed")
        if not reasons:
            return
        self.crawler.stats.inc_value("snapshot/models_with_failed_files")
        summary = ", ".join(f"{count} x {reason}" for reason, count in reasons.most_common())
        logger.warning("Snapshot of %s: %d file(s) not stored (%s)", item.context_id, reasons.total(), summary)

    def close_spider(self) -> None:
        models = self.crawler.stats.get_value("snapshot/models_with_failed_files", 0)
        if models:
            files = self.crawler.stats.get_value("snapshot/files_failed", 0)
            logger.warning("Snapshots: %d file(s) of %d model(s) not stored (one line per model above)", files, models)

    def _write_manifest(self, item: HfSnapshotItem, info: Any) -> None:
        manifest = {
            "repo_id": item.context_id,
            "revision": item.revision,
            "files": {
                e["path"]: {"sha256": e["sha256"], "size": e.get("size")}
                for e in item.files
                if e.get("status") == "stored"
            },
        }
        body = json.dumps(manifest, sort_keys=True, indent=1).encode()
        self.store.persist_file(manifest_path(item), BytesIO(body), info)

"""A dupefilter whose memory belongs to one run session (``DUPEFILTER_CLASS``).

Scrapy's JOBDIR dupefilter remembers every request it ever let through, including those that then failed for good
and those a hard stop lost in flight: resuming from it skips them forever, and a new crawl in the JOBDIR of a
finished one is filtered down to nothing. Here each fingerprint is prefixed with the session's epoch
(``RunLedger.epoch``): a JOBDIR resumed from its whole queue keeps its epoch, and its fingerprints still count;
a run continued after a hard stop or failures (``reconcile``) or a new run gets a new epoch, so the old fingerprints
no longer match and whatever the store says is missing is requested again.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter

from crawler.runs import RunLedger


class RunDupeFilter(RFPDupeFilter):
    ledger: RunLedger | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunDupeFilter:
        dupefilter = super().from_crawler(crawler)
        dupefilter.ledger = RunLedger.of(crawler)
        return dupefilter

    def _fingerprint(self, request: Request) -> bytes:  # Scrapy 2.19's one place that computes the key
        epoch = self.ledger.epoch if self.ledger is not None else ""
        return epoch.encode() + b":" + super()._fingerprint(request)

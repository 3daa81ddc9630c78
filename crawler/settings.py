"""Scrapy settings of the PeaTMOSS crawler.

Every registry endpoint, token and storage location can be given as a setting (``-s NAME=value``) or as the
ecosystem's environment variable; tokens are read from the environment only, so that Scrapy's
"Overridden settings" log line can never print them.
"""

import importlib.util
import os

# Scrapy 2.19 imports every component named in a *_BASE setting, even one set to None, to sort them. These are off
# here (REMOTE_CONTROL_ENABLED, TELNETCONSOLE_ENABLED, COOKIES_ENABLED): leaving them out of the bases spares every
# start-up the import of twisted.conch and tldextract/requests (bench/bench_startup.py; aiohttp is the HTTP client).
from scrapy.settings.default_settings import DOWNLOADER_MIDDLEWARES_BASE as _DOWNLOADER_MIDDLEWARES_BASE
from scrapy.settings.default_settings import EXTENSIONS_BASE as _EXTENSIONS_BASE

from crawler.constants import (
    GITHUB_PUBLIC_API_URL,
    GITHUB_SEARCH_RESULT_CAP,
    HF_PUBLIC_URL,
    PYTORCH_HUB_CATALOGUE,
)

BOT_NAME = "peatmoss"
SPIDER_MODULES = ["spiders"]
SPIDER_LOADER_CLASS = "crawler.spiderloader.NamedModuleSpiderLoader"  # imports only the spider a command runs
NEWSPIDER_MODULE = "spiders"
COMMANDS_MODULE = "crawler.commands"

USER_AGENT = "peatmoss-crawler/0.1 (+https://github.com/peatmoss-crawler)"
ROBOTSTXT_OBEY = False  # JSON APIs, not pages
# Scrapy 2.19 opens a code-executing HTTP control server by default; crawl nodes never want it.
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
EXTENSIONS_BASE = {
    k: v
    for k, v in _EXTENSIONS_BASE.items()
    if k not in ("scrapy.extensions.remote_control.RemoteControl", "scrapy.extensions.telnet.TelnetConsole")
}

# --- where things go -------------------------------------------------------------------------------------
# DATABASE_URL: SQLAlchemy URL; None -> $DATABASE_URL -> sqlite:///data/peatmoss.db, resolved in one place:
# crawler.db.engine.database_url (which also serves alembic and `python -m crawler.db.migrate`).
DATABASE_URL = None
# SNAPSHOT_STORE: FilesPipeline store URI (a folder, s3://, gs://) for content-addressed model files.
SNAPSHOT_STORE = os.environ.get("SNAPSHOT_STORE") or "data/snapshots"
STORE_BATCH_SIZE = 1000  # items buffered before one write transaction
STORE_FLUSH_SECONDS = 5.0  # ... or sooner, when the oldest buffered item is this old
STORE_RETRIES = 3  # a batch the database could not take at all (not a bad value) is tried again, 1 s, 2 s, 4 s later
# A crawl refreshes its crawl_run.heartbeat_at this often; a `running` row whose process is gone (dead pid on this
# host, or no heartbeat for RUN_STALE_AFTER seconds) is marked interrupted, and continued, by the next crawl.
RUN_HEARTBEAT_INTERVAL = 30.0
RUN_STALE_AFTER = 300.0

# --- Hugging Face ------------------------------------------------------------------------------------------
HF_ENDPOINT = os.environ.get("HF_ENDPOINT") or HF_PUBLIC_URL
HF_PAGE_SIZE = 1000  # `limit` of /api/models is a page size; 1000 is the documented maximum
HF_MIN_DOWNLOADS = 50  # PeaTMOSS snapshotted models with more than 50 downloads
SNAPSHOT_POLICY = "small"  # none | small (no weights, files <= SNAPSHOT_MAX_FILE_SIZE) | all
SNAPSHOT_MAX_FILE_SIZE = 10 * 1024 * 1024

# --- downloading -------------------------------------------------------------------------------------------
CONCURRENT_REQUESTS = 32
CONCURRENT_REQUESTS_PER_DOMAIN = 16  # held per host by crawler.downloader
DOWNLOAD_DELAY = 0
DOWNLOADER = "crawler.downloader.HostLimitedDownloader"  # Scrapy 2.19 lets a slot's queue overrun its concurrency
DOWNLOAD_HANDLERS = {"http": "crawler.httpclient.AiohttpHandler", "https": "crawler.httpclient.AiohttpHandler"}
# So Twisted's HTTP client module (with TLS, scrapy.core.downloader.contextfactory) is never imported on the way: the
# retry middleware loads RETRY_EXCEPTIONS, which names it, at the first network error (crawler/middlewares/backoff.py).
DOWNLOAD_TIMEOUT = 60
# uvloop where it installs (not on Windows): 7-10% less CPU per request than asyncio's own loop in alternating rounds
# of bench/bench_details.py (docs/benchmarks.md).
ASYNCIO_EVENT_LOOP = "uvloop.Loop" if importlib.util.find_spec("uvloop") else None
MEDIA_ALLOW_REDIRECTS = True  # LFS files answer 302 to a CDN
COOKIES_ENABLED = False  # token-authenticated JSON APIs: no session cookies to keep
DOWNLOADER_MIDDLEWARES_BASE = {
    k: v
    for k, v in _DOWNLOADER_MIDDLEWARES_BASE.items()
    if k != "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
}
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.auth.HubAuthMiddleware": 450,
    # Replaces RetryMiddleware (550): same retry budget, but with backoff and Retry-After / RateLimit waits.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.backoff.BackoffRetryMiddleware": 560,
}
RETRY_TIMES = 5
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408]
BACKOFF_BASE = 1.0  # seconds; doubled on every retry of the same request
BACKOFF_MAX = 60.0
RATELIMIT_MAX_WAIT = 900.0  # never sleep longer than this on one 429
RATELIMIT_MAX_RETRIES = 50  # 429s are not failures, but a request is not retried forever
# JOBDIR queues without credential headers (a retried request still carries its token; crawler/squeues.py).
SCHEDULER_DISK_QUEUE = "crawler.squeues.CredentialFreeLifoDiskQueue"
# Fingerprints per run session: a failed or lost request is never left marked as seen (crawler/dupefilter.py).
DUPEFILTER_CLASS = "crawler.dupefilter.RunDupeFilter"

ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.normalise.NormalisePipeline": 200,
    "pipelines.snapshot.SnapshotPipeline": 300,
    "pipelines.store.StorePipeline": 400,
}

# Scrapy's check for generator callbacks that return a value caches by callable, but a bound method is a new object
# for every request, so it read and parsed the callback's source (inspect + ast) for every response: about 5% of a
# detail crawl's CPU (docs/benchmarks.md, issue 14). Our callbacks are checked by ruff and the tests instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
# One readable line per node: listed (with a percentage when the total is known), chains, files, errors, ETA.
PROGRESS_INTERVAL = 30.0
EXTENSIONS = {"crawler.progress.ProgressLog": 500, "crawler.gcpolicy.GcPolicy": 0, "crawler.loglevel.LogLevel": 0}
# Collector thresholds from the engine's start (crawler/gcpolicy.py; empty: Python's defaults 700, 10, 10).
GC_THRESHOLDS = [50_000, 50, 100]
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "crawler.logformatter.QuietLogFormatter"

# Spider middlewares for following links in HTML pages. On a JSON API they only cost time: every item a list page
# yields passes through each of them, and together they took 40% of the listing ingestion time (bench/).
# Referer headers mean nothing to an API, and MetaCopyDetectionMiddleware only warns developers about shared meta
# dicts: each wrapped every list entry in one more async generator step (issue 14, bench/bench_vs_hub.py).
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
# Items one response's output processes at once (Scrapy starts one asyncio task per slot for every response): a JSON
# API's pipelines rarely wait, and the detail chain yields one or two items per response.
CONCURRENT_ITEMS = 16

# --- GitHub (owner: crawler/github, spiders/github_*) -------------------------------------------------------------
# Tokens: env GITHUB_TOKEN, or several comma-separated in GITHUB_TOKENS (rotated); read by the middleware only.
GITHUB_API_URL = os.environ.get("GITHUB_API_URL") or GITHUB_PUBLIC_API_URL
GITHUB_PER_PAGE = 100  # REST page size (GitHub's maximum)
GITHUB_PR_PAGE_SIZE = 50  # pull requests per GraphQL page (the contract's maximum)
GITHUB_SEARCH_CAP = GITHUB_SEARCH_RESULT_CAP  # results one search query returns at most
GITHUB_SECONDARY_WAIT = 60.0  # secondary limit without Retry-After: a minute, doubled on every repeat
GITHUB_CLONE = True  # clone repositories into <SNAPSHOT_STORE>/git/<owner>/<name>
GITHUB_CLONE_DEPTH = 0  # 0 = full history of the default branch
GITHUB_CLONE_SUBMODULES = False
GITHUB_CLONE_MAX_KB = 2 * 1024 * 1024  # skip repositories whose API `size` (KB) is larger; also checked on disk
GITHUB_CLONE_TIMEOUT = 900.0  # seconds per clone or fetch
GITHUB_CLONE_CONCURRENCY = 4
DOWNLOADER_MIDDLEWARES = {**DOWNLOADER_MIDDLEWARES, "crawler.middlewares.github.GithubMiddleware": 460}
# GitHub's limits are per token and bucket: BackoffRetryMiddleware asks this policy before its per-host default.
RATELIMIT_POLICIES = ["crawler.middlewares.github.GithubRateLimitPolicy"]
ITEM_PIPELINES = {**ITEM_PIPELINES, "pipelines.clone.ClonePipeline": 350}

# --- PyTorch Hub (owner: crawler/pytorch_hub, spiders/pytorch_hub.py) ----------------------------------------------
PYTORCH_HUB_REPO = PYTORCH_HUB_CATALOGUE  # the GitHub repository whose model pages are the catalogue

# --- rate budgets (owner: crawler/budget) -----------------------------------------------------------------------
# One sliding-window budget per registry, bucket and token: every API request waits for a grant, so a tight quota
# spreads the requests instead of firing them all at the window's reset. Starts from the registries' published
# limits, follows their RateLimit / x-ratelimit-* headers; in-process on one node, in Redis in cluster mode (the
# cluster add-on sets RATE_BUDGET_STORE; left unset here, as a project setting would outrank the add-on's).
RATE_BUDGET_ENABLED = True
# {"hf/api": [quota, window_seconds], ...}: overrides the published limits (and is not overridden by headers)
RATE_BUDGET_LIMITS: dict[str, list[float]] = {}
RATE_BUDGET_MARGIN = 0.5  # seconds added to every window: requests granted at t may reach the registry later
# After the auth middlewares (the budget is per token); sees responses before the backoff middleware (560).
DOWNLOADER_MIDDLEWARES = {**DOWNLOADER_MIDDLEWARES, "crawler.budget.middleware.RateBudgetMiddleware": 585}

# --- cluster mode (owner: crawler/cluster) ---------------------------------------------------------------------
# REDIS_URL (setting or environment) alone turns a node into a cluster member: shared frontier, dupefilter, leases,
# rate budgets (crawler/cluster/addon.py). Unset: one process, JOBDIR resume, nothing changes. CLUSTER_* settings and
# their defaults: crawler/cluster/defaults.py.
REDIS_URL = os.environ.get("REDIS_URL") or None
ADDONS = {"crawler.cluster.addon.ClusterAddon": 0}
# ------------------------------------------------------------------------------------- end of cluster mode

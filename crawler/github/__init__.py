"""GitHub access shared by every GitHub spider (github_repos, github_search, pytorch_hub).

* :mod:`crawler.github.access`: tokens, request builders (REST GET, GraphQL POST).
* :mod:`crawler.github.limits`: API base, URL -> bucket, x-ratelimit-* / Retry-After, published limits; which
  token may send next per bucket.
* :mod:`crawler.github.graphql`: the contract's pull-request query.
* :mod:`crawler.github.items`, :mod:`crawler.github.checks`, :mod:`crawler.github.writes`: items, their checks,
  their store writers.
* :mod:`crawler.github.parse`: JSON -> items (defensive: any field may be missing or of another type).
* :mod:`crawler.github.state`: what the store already holds (validators, since marks) for incremental crawls.

The downloader side lives in :mod:`crawler.middlewares.github` (auth + headers + conditional headers, and the
per token+bucket rate-limit policy the backoff middleware consults).
"""

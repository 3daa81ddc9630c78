"""GitHub access shared by every GitHub spider (github_repos, github_search, pytorch_hub).

* :mod:`crawler.github.access`: API base URL, tokens, request builders (REST GET, GraphQL POST), buckets.
* :mod:`crawler.github.ratelimit`: reading x-ratelimit-* / Retry-After; which token may send next per bucket.
* :mod:`crawler.github.graphql`: the contract's pull-request query.
* :mod:`crawler.github.parse`: JSON -> items (defensive: any field may be missing or of another type).
* :mod:`crawler.github.state`: what the store already holds (validators, since marks) for incremental crawls.

The downloader side lives in :mod:`crawler.middlewares.github` (auth + headers + conditional headers, and the
rate-limit aware subclass of the backoff middleware).
"""

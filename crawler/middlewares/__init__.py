"""Downloader middlewares: registry auth, retries with backoff and rate-limit waits."""

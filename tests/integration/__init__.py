"""Integration tests: the fake registry and real ``scrapy`` processes (``pytest -m integration``)."""

"""Datasette plugins that ``scrapy browse`` loads with ``--plugins-dir`` (every module of this folder)."""

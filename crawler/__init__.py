"""Scrapy project core: settings, items, middlewares, database, snapshot store, commands."""

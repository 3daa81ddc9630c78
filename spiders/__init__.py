"""Scrapy spiders: one per registry listing."""

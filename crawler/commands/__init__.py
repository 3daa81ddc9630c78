"""Scrapy commands added by this project (scrapy map, scrapy enrich, ...)."""

"""``scrapy export-sqlite``: the same command as ``scrapy export_sqlite`` (Scrapy names commands after modules)."""

from crawler.commands import export_sqlite


class Command(export_sqlite.Command):
    pass

"""Publishing the crawled database: Parquet with Croissant metadata and a dataset card, and Datasette browsing.

``scrapy export-parquet`` (:mod:`publish.export`) and ``scrapy browse`` (:mod:`publish.browse`) are thin commands
over this package. Its third-party dependencies (pyarrow, mlcroissant, datasette) are the ``publish`` extra and are
imported inside the functions that use them (:func:`publish.extra.require`), so the crawler starts without them.
"""

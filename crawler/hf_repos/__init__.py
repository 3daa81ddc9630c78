"""The Hub's Spaces and datasets: the apps that run models and the data models are trained on.

One folder for both rather than two: they are two repository types of the same registry with the same listing,
pagination, limits and snapshot machinery, so each module (items, parse, state, limits, checks, writes, and the
shared crawl in spider.py) serves both; the thin spiders spiders/hf_spaces.py and spiders/hf_datasets.py differ
only in what they fetch per changed repository.
"""

"""The Hub's Spaces and datasets: the apps that run models and the data models are trained on.

One folder for both: they are two repository types of the same registry (same listing, pagination, limits and
snapshot machinery), so one module per concern serves both, parameterised by :class:`~crawler.hf_repos.kinds.Kind`.
"""

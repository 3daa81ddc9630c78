"""Named values of the PeaTMOSS data model and of the registries' public services, in one place.

Settings (crawler/settings.py) take their defaults from here; product code imports these names instead of
writing the numbers or URLs again.
"""

from __future__ import annotations

# model_hub.id of each hub in PeaTMOSS (rows written by the initial migration).
HF_HUB_ID = 1
PYTORCH_HUB_ID = 2

# Hugging Face: the public endpoint (default of HF_ENDPOINT) and the prefix of PeaTMOSS ``repo_url`` values,
# which name the public Hub whatever endpoint was crawled.
HF_PUBLIC_URL = "https://huggingface.co"
# GitHub: the public REST/GraphQL API (default of GITHUB_API_URL).
GITHUB_PUBLIC_API_URL = "https://api.github.com"
# GitHub search returns at most this many results per query, whatever the page size (default of GITHUB_SEARCH_CAP).
GITHUB_SEARCH_RESULT_CAP = 1000
# PyTorch Hub: the repository that is its catalogue (default of PYTORCH_HUB_REPO).
PYTORCH_HUB_CATALOGUE = "pytorch/hub"

"""What the published dataset says about itself: title, description, license, source and citation.

One place for the text that the Croissant metadata, the dataset card and the Datasette metadata share.
"""

from __future__ import annotations

TITLE = "PeaTMOSS (re-crawled)"
DESCRIPTION = (
    "Pre-trained models (PTMs) of Hugging Face and PyTorch Hub, the GitHub projects that use them and the links "
    "between the two, in the 76 tables of the PeaTMOSS dataset (MSR 2024) plus the crawler's own tables "
    "(observation history, crawl runs, model cards, file manifests, mapping call sites, enrichment provenance)."
)
SOURCE = "PeaTMOSS crawler"
SOURCE_URL = "https://github.com/PurdueDualityLab/PeaTMOSS-Artifact"
# The rows are the hubs' public metadata; each model's own license is in the license / model_to_license tables.
LICENSE = "other"
LICENSE_NOTE = (
    "Metadata collected from the public APIs of Hugging Face, PyTorch Hub and GitHub, under their terms of use; "
    "each model's license is in the `license` and `model_to_license` tables."
)
CITATION = """@inproceedings{jiang2024peatmoss,
  title = {PeaTMOSS: A Dataset and Initial Analysis of Pre-Trained Models in Open-Source Software},
  author = {Jiang, Wenxin and Yasmin, Jerin and Jones, Jason and Synovic, Nicholas and Kuo, Jiashen and
            Bielanski, Nathaniel and Tian, Yuan and Thiruvathukal, George K. and Davis, James C.},
  booktitle = {Proceedings of the 21st International Conference on Mining Software Repositories (MSR)},
  year = {2024}
}"""

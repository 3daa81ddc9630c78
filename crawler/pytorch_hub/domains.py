"""The PeaTMOSS domain of a PyTorch Hub model, from its page's tags, as the paper assigned it.

PyTorch Hub pages have no task: their front-matter ``tags`` (allowed: vision, nlp, generative, audio, scriptable,
reference/api-shapes.md §2.2) are the only hint, and ``category`` is always ``researchers``/``developers``. The
paper's Fig. 8 (PeaTMOSS-Artifact ``Plots/fig8.ipynb``) read a model's PeaTMOSS tags (front-matter tags +
category + accelerator) through the map below: one recognised domain is the model's domain, two or more make it
multimodal, none makes it other. Tags are matched whole (the notebook matched substrings of the joined tag list,
which gives the same result for every tag PyTorch Hub allows).
"""

from __future__ import annotations

from collections.abc import Iterable

MULTIMODAL = "multimodal"
OTHER = "other"  # the paper's "Other"; the enrichment stores the same name for a card of no known domain

# tag -> PeaTMOSS domain name (the `domain` table's vocabulary). Tags not listed (researchers, cuda, cuda-optional,
# quantization, scriptable, ...) say nothing about the domain.
TAG_DOMAIN = {
    "nlp": "natural-language-processing",
    "vision": "computer-vision",
    "generative": "computer-vision",
    "video": "computer-vision",
    "object_detection": "computer-vision",
    "segmentation": "computer-vision",
    "optical_flow": "computer-vision",
    "audio": "audio",
}


def domain_of(tags: Iterable[str]) -> str:
    """The model's one domain: the domain its tags name, multimodal if they name several, other if none."""
    found = {TAG_DOMAIN[t] for t in (str(tag).strip().lower() for tag in tags) if t in TAG_DOMAIN}
    if len(found) > 1:
        return MULTIMODAL
    return found.pop() if found else OTHER

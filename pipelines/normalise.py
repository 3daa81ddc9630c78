"""Fills the derived fields of items (e.g. a Hugging Face model's PeaTMOSS lookup buckets, crawler/hf/normalise.py).

Each registry declares its normalisers; item types without one pass through unchanged.
"""

from __future__ import annotations

from typing import Any

from crawler.registries import normalisers

NORMALISERS = normalisers()


class NormalisePipeline:
    def process_item(self, item: Any) -> Any:
        normalise = NORMALISERS.get(type(item))
        return normalise(item) if normalise is not None else item

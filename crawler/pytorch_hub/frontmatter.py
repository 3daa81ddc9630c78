"""The YAML front matter of a PyTorch Hub model page, parsed robustly.

The pages are hand-written (reference/api-shapes.md §2.2, §5 item 13): values carry typographic quotes
(``accelerator: “cuda-optional”``), trailing spaces (``image: slowfast.png ``), optional keys are missing, and an
unquoted colon in a summary makes strict YAML fail. We try PyYAML first and fall back to a line parser of
``key: value`` pairs, then clean every value the same way, so both paths give the same result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

# Quote characters stripped from both ends of a value: straight, typographic, guillemets, low-9.
_QUOTES = "\"'“”‘’„‚«»`"
_FENCE = re.compile(r"^---[ \t]*$")
_KEY_LINE = re.compile(r"^([A-Za-z0-9_][A-Za-z0-9_\-]*)[ \t]*:(.*)$")

# Keys of docs/template.md and scripts/sanity_check.py; the rest goes to ``extra``.
KNOWN_KEYS = (
    "layout",
    "background-class",
    "body-class",
    "category",
    "title",
    "summary",
    "image",
    "author",
    "tags",
    "github-link",
    "github-id",
    "featured_image_1",
    "featured_image_2",
    "accelerator",
    "order",
    "demo-model-link",
)


@dataclass
class FrontMatter:
    """Cleaned front matter; every field is optional because pages are hand-written."""

    title: str | None = None
    summary: str | None = None
    category: str | None = None
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    github_link: str | None = None
    github_id: str | None = None
    accelerator: str | None = None
    image: str | None = None
    layout: str | None = None
    order: int | None = None
    demo_model_link: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)  # every key, cleaned
    strict_yaml: bool = True  # False when PyYAML refused the block and the line parser was used

    @property
    def peatmoss_tags(self) -> list[str]:
        """PeaTMOSS `tag` rows of a PyTorch Hub model: front-matter tags + category + accelerator."""
        values = [*self.tags, self.category, self.accelerator]
        return list(dict.fromkeys(v for v in values if v))


def split_front_matter(text: str) -> tuple[str | None, str]:
    """(front matter block or None, body). The block sits between the first two ``---`` lines at the top."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or not _FENCE.match(lines[start].rstrip("\r\n")):
        return None, text
    for end in range(start + 1, len(lines)):
        if _FENCE.match(lines[end].rstrip("\r\n")):
            return "".join(lines[start + 1 : end]), "".join(lines[end + 1 :])
    return None, text  # an opening fence never closed: no front matter


def clean_scalar(value: Any) -> Any:
    """Strip whitespace and matching-or-not quotes of any kind from a string; other values unchanged."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    while len(value) >= 1 and (value[0] in _QUOTES or value[-1] in _QUOTES):
        stripped = value.strip(_QUOTES).strip()
        if stripped == value:
            break
        value = stripped
    return value


def _clean(value: Any) -> Any:
    if isinstance(value, list):
        return [c for c in (_clean(v) for v in value) if c not in (None, "")]
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    return clean_scalar(value)


def _flow_list(value: str) -> list[str]:
    """``[vision, scriptable]`` or ``vision, scriptable`` -> list, without YAML."""
    inner = value.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    return [clean_scalar(v) for v in inner.split(",") if clean_scalar(v)]


def parse_lines(block: str) -> dict[str, Any]:
    """The fallback parser: one ``key: value`` per line, ``- item`` lines continue a list, the rest is ignored."""
    out: dict[str, Any] = {}
    last: str | None = None
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _KEY_LINE.match(line)
        if match and not line[0].isspace():
            last = match.group(1).strip().lower()
            value = match.group(2).strip()
            out[last] = _flow_list(value) if value.startswith("[") else value
            continue
        item = line.strip()
        if last is not None and item.startswith("- "):
            current = out.get(last)
            out[last] = [*(current if isinstance(current, list) else []), item[2:].strip()]
        elif last is not None and isinstance(out.get(last), str):
            out[last] = f"{out[last]} {item}".strip()  # folded continuation line
    return out


def _as_text(value: Any) -> str | None:
    value = clean_scalar(value)
    if value is None or isinstance(value, list | dict):
        return None
    text = str(value).strip()
    return text or None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(clean_scalar(value)))
    except (TypeError, ValueError):
        return None


def _as_tags(value: Any) -> list[str]:
    if isinstance(value, str):
        value = _flow_list(value)
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(t for t in (_as_text(v) for v in value) if t))


def parse_front_matter(text: str) -> FrontMatter | None:
    """The front matter of a page, or None when the page has none (README.md, CONTRIBUTING.md ...)."""
    block, _ = split_front_matter(text)
    if block is None:
        return None
    strict = True
    try:
        loaded = yaml.safe_load(block)
    except yaml.YAMLError:
        loaded = None
    if not isinstance(loaded, dict):
        strict = False
        loaded = parse_lines(block)
    raw = {str(k).strip().lower(): _clean(v) for k, v in loaded.items() if k is not None}
    return FrontMatter(
        title=_as_text(raw.get("title")),
        summary=_as_text(raw.get("summary")),
        category=_as_text(raw.get("category")),
        author=_as_text(raw.get("author")),
        tags=_as_tags(raw.get("tags")),
        github_link=_as_text(raw.get("github-link")),
        github_id=_as_text(raw.get("github-id")),
        accelerator=_as_text(raw.get("accelerator")),
        image=_as_text(raw.get("image")),
        layout=_as_text(raw.get("layout")),
        order=_as_int(raw.get("order")),
        demo_model_link=_as_text(raw.get("demo-model-link")),
        raw=raw,
        strict_yaml=strict,
    )


def is_model_page(front: FrontMatter | None) -> bool:
    """A model page names its source repository (``github-id``) or uses the hub page layout."""
    return front is not None and (front.github_id is not None or front.layout == "hub_detail")

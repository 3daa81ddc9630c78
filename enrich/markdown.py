"""A model card split into what the rules read: YAML metadata, Markdown sections, code blocks, tables, links.

Parsing is line-based and tolerant; it never executes anything from the card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from huggingface_hub.repocard import REGEX_YAML_BLOCK

_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)")
_ATX_RE = re.compile(r"^\s{0,3}(#{1,6})\s++(.*)$")  # closing #s stripped in Python: a lazy group went quadratic
_HTML_HEADING_RE = re.compile(r"^\s*<h([1-6])[^>]*>(.*?)</h\1>\s*$", re.I)
# Possessive, bounded quantifiers keep every scan linear: `[[[...](](` used to cost minutes (issue 13).
_LINK_RE = re.compile(r"\[([^\]]{0,1000}+)\]\(\s*+<?([^)\s>]{1,2000}+)>?(?:\s++\"[^\"]{0,300}+\")?\s*+\)")
_URL_RE = re.compile(r"https?://[^\s)\]>\"'`|,]+")


@dataclass
class CodeBlock:
    lang: str
    text: str
    section: str  # heading path of the section the block is in, lower case
    before: str  # up to 300 characters of prose just before the block


@dataclass
class Section:
    title: str  # heading text, lower case, without Markdown emphasis
    level: int
    path: str  # titles of the enclosing headings joined with " > "
    text: str  # prose of the section (code blocks removed)
    heading: str = ""  # the heading line as written, without the leading #s


@dataclass
class Card:
    """A parsed model card."""

    raw: str
    meta: dict
    body: str
    sections: list[Section] = field(default_factory=list)
    code_blocks: list[CodeBlock] = field(default_factory=list)

    @property
    def prose(self) -> str:
        """The body without code blocks, HTML comments and style/script elements."""
        return "\n".join(f"{s.heading}\n{s.text}" if s.heading else s.text for s in self.sections)

    def sections_matching(self, pattern: str) -> list[Section]:
        rx = re.compile(pattern, re.I)
        return [s for s in self.sections if rx.search(s.title)]


MAX_YAML_DEPTH = 64  # real cards nest a few levels (model-index: 6); 500 levels ran out of Python stack


class _DepthLimitedLoader(yaml.SafeLoader):
    """`yaml.SafeLoader` that refuses documents nested deeper than `MAX_YAML_DEPTH` (composing is recursive)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.YAMLError(f"YAML nested deeper than {MAX_YAML_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def split_front_matter(text: str) -> tuple[dict, str]:
    """(metadata, body): the YAML block the Hub reads, parsed safely; `{}` when absent or broken."""
    match = REGEX_YAML_BLOCK.search(text)
    if not match:
        return {}, text
    try:
        meta = yaml.load(match.group(2), Loader=_DepthLimitedLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        meta = None
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


def _cut(text: str, start_rx: re.Pattern[str], end_rx: str) -> str:
    """Replace each span from a `start_rx` match to the next `end_rx` by a space, in one left-to-right pass.

    Same result as `re.sub("<!--.*?-->", ...)`, but a lazy regex rescans to the end of the text from every
    unclosed opener (quadratic); here the first opener without an end stops the pass (no later one has one)."""
    out: list[str] = []
    pos = 0
    while (m := start_rx.search(text, pos)) is not None:
        end = re.compile(end_rx.format(*m.groups()), re.I).search(text, m.end())
        if end is None:
            break
        out += [text[pos : m.start()], " "]
        pos = end.end()
    out.append(text[pos:])
    return "".join(out)


def clean_html(text: str) -> str:
    text = _cut(text, re.compile("<!--"), "-->")
    return _cut(text, re.compile(r"<(style|script)\b", re.I), r"</{0}\s*>")


def strip_inline(text: str) -> str:
    """Heading or cell text without emphasis, inline code marks, links and HTML tags."""
    text = _LINK_RE.sub(lambda m: m.group(1), text)
    text = re.sub(r"<[^>]{1,500}+>", "", text)
    text = re.sub(r"[*`]+|(?<!\w)_+|_+(?!\w)", "", text)
    return re.sub(r"\s+", " ", text).strip()


def parse_card(text: str) -> Card:
    """Parse a card's text (front matter + Markdown)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    meta, body = split_front_matter(text)
    body = clean_html(body)
    card = Card(raw=text, meta=meta, body=body)
    stack: list[tuple[int, str]] = []
    current: list[str] = []
    title, level, heading_raw = "", 0, ""
    fence: str | None = None
    code_lang, code_lines = "", list[str]()
    lines = body.split("\n")

    def path() -> str:
        return " > ".join(t for _, t in stack)

    def flush() -> None:
        card.sections.append(
            Section(title=title, level=level, path=path(), text="\n".join(current).strip(), heading=heading_raw)
        )

    for i, line in enumerate(lines):
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip()[len(fence) :].strip():
                before = "\n".join(current)[-300:]
                card.code_blocks.append(CodeBlock(code_lang, "\n".join(code_lines), path().lower(), before))
                fence = None
            else:
                code_lines.append(line)
            continue
        fm = _FENCE_RE.match(line)
        if fm:
            fence, code_lang, code_lines = fm.group(1)[0] * len(fm.group(1)), fm.group(2).lower(), []
            continue
        heading = _ATX_RE.match(line) or _HTML_HEADING_RE.match(line)
        setext = (
            i + 1 < len(lines)
            and re.fullmatch(r"\s{0,3}(=+|-{2,})\s*", lines[i + 1] or "x")
            and line.strip()
            and not re.match(r"\s*([-*+|>]|\d+\.)\s", line)
            and not line.strip().startswith("|")
        )
        if heading or setext:
            flush()
            if heading:
                level = len(heading.group(1)) if heading.group(1).startswith("#") else int(heading.group(1))
                heading_raw = heading.group(2).strip()
                if heading.group(1).startswith("#"):  # optional closing sequence: "## Title ##"
                    heading_raw = heading_raw.rstrip("#").rstrip()
                title = strip_inline(heading_raw).lower()
            else:
                heading_raw = line.strip()
                level = 1 if lines[i + 1].strip().startswith("=") else 2
                title = strip_inline(line).lower()
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            current = []
            continue
        if re.fullmatch(r"\s{0,3}(=+|-{2,})\s*", line) and i > 0 and card.sections and not current:
            continue  # underline of a setext heading
        current.append(line)
    if fence is not None:  # unterminated block: keep it as code
        card.code_blocks.append(CodeBlock(code_lang, "\n".join(code_lines), path().lower(), ""))
    flush()
    return card


def links(text: str) -> list[tuple[str, str]]:
    """(link text, url) for Markdown links and bare URLs, in order of appearance."""
    out: list[tuple[str, str]] = []
    spans: list[tuple[int, int]] = []
    for m in _LINK_RE.finditer(text):
        out.append((m.group(1), m.group(2)))
        spans.append(m.span())
    for m in _URL_RE.finditer(text):
        if not any(a <= m.start() < b for a, b in spans):
            out.append(("", m.group(0).rstrip(".;:")))
    return out


_SEP_RE = re.compile(r"^\s*+\|?\s*+:?-++:?\s*+(?:\|\s*+:?-++:?\s*+)++\|?\s*+$")


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [strip_inline(c) for c in s.split("|")]


def tables(text: str) -> list[list[list[str]]]:
    """Pipe tables (a header line followed by a `---|---` separator) as rows of cells, header first."""
    lines = text.split("\n")
    found: list[list[list[str]]] = []
    i = 0
    while i < len(lines) - 1:
        if "|" in lines[i] and _SEP_RE.match(lines[i + 1]):
            rows = [_cells(lines[i])]
            j = i + 2
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                if not _SEP_RE.match(lines[j]):
                    rows.append(_cells(lines[j]))
                j += 1
            found.append(rows)
            i = j
        else:
            i += 1
    return found


# Matched against stripped lines; possessive `\s*+` so runs of blanks cost linear time.
_KV_RE = re.compile(
    r"^(?:[-*+]\s++|\d+\.\s++)?(?:\*\*|__)?([A-Za-z][\w ./()'&+-]{0,60}?)\s*+(?:\[optional\]\s*+)?(?:(?:\*\*|__)\s*+)?"
    r"[:：]\s*+(?:(?:\*\*|__)\s*+)?(.+)$"
)


def key_values(text: str) -> list[tuple[str, str]]:
    """`key: value` pairs from list items, bold labels and two-column table rows."""
    out: list[tuple[str, str]] = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        s = line.strip()
        if s.startswith("|"):
            cells = [strip_inline(c) for c in s.strip("|").split("|")]
            nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if re.fullmatch(r"\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?", nxt):
                continue  # header row
            if len(cells) == 2 and cells[0] and not re.fullmatch(r":?-+:?", cells[0]):
                out.append((cells[0].rstrip(":").strip(), cells[1]))
            continue
        m = _KV_RE.match(s)
        if m and not m.group(1).lower().startswith(("http", "note")):
            value = m.group(2).strip().strip("*_").strip()
            out.append((strip_inline(m.group(1)), value))
    return out


def sentences(text: str) -> list[str]:
    """Rough sentence split of prose (links reduced to their text)."""
    text = _LINK_RE.sub(lambda m: m.group(1), text)
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z(\[*`])|\n\s*\n|\n(?=\s*[-*+]\s|\s*\d+\.\s|\s*#|\s*\|)", text)
    return [re.sub(r"\s+", " ", p).strip() for p in parts if p and p.strip()]

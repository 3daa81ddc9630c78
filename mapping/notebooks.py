"""Python code of a Jupyter notebook, with each line's position in the raw ``.ipynb`` file.

Only code cells count: markdown cells and stored outputs never do. IPython magics and shell lines are
replaced by ``pass`` (keeping indentation, so blocks stay valid); cells that still do not parse are
blanked. All code cells are joined into one module, in order, because notebooks define a value in one
cell and use it in another.
"""

from __future__ import annotations

import ast
import bisect
import json
import re

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\s+')
_KEEP_BODY_MAGICS = {"time", "timeit", "capture", "prun", "debug", "memit", "px", "cython_inline"}
_HELP = re.compile(r"^[\w.\[\]()]+\?{1,2}$")
_SHELL_ASSIGN = re.compile(r"^\s*[\w.,\s\[\]]+=\s*[!%]")


class _LineStr(str):
    """A JSON string value that remembers the raw line it started on."""

    line: int


class _Parser:
    """A small JSON parser that records where every string value starts (nbformat is JSON)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.tokens = [m for m in _TOKEN.finditer(text) if not m.group().isspace()]
        self.pos = 0
        # _TOKEN skips nothing silently: every character must belong to a token.
        covered = sum(len(m.group()) for m in _TOKEN.finditer(text))
        if covered != len(text):
            raise ValueError("not JSON")

    def _line(self, offset: int) -> int:
        return bisect.bisect_right(self.newlines, offset - 1) + 1

    def _next(self) -> re.Match[str]:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def value(self) -> object:
        tok = self._next()
        t = tok.group()
        if t == "{":
            obj: dict[str, object] = {}
            if self.tokens[self.pos].group() == "}":
                self.pos += 1
                return obj
            while True:
                key = json.loads(self._next().group())
                if self._next().group() != ":":
                    raise ValueError("expected ':'")
                obj[key] = self.value()
                sep = self._next().group()
                if sep == "}":
                    return obj
                if sep != ",":
                    raise ValueError("expected ',' or '}'")
        if t == "[":
            arr: list[object] = []
            if self.tokens[self.pos].group() == "]":
                self.pos += 1
                return arr
            while True:
                arr.append(self.value())
                sep = self._next().group()
                if sep == "]":
                    return arr
                if sep != ",":
                    raise ValueError("expected ',' or ']'")
        if t.startswith('"'):
            s = _LineStr(json.loads(t))
            s.line = self._line(tok.start())
            return s
        return json.loads(t)


def _source_lines(source: object) -> list[tuple[str, int]]:
    """(line text, raw line) pairs of a cell's ``source`` (a list of strings or one string)."""
    items = source if isinstance(source, list) else [source]
    out: list[tuple[str, int]] = []
    for item in items:
        if not isinstance(item, str):
            continue
        line = getattr(item, "line", 1)
        for piece in item.splitlines():
            out.append((piece, line))
        if not item.splitlines():
            out.append(("", line))
    return out


def _strip_magics(lines: list[str]) -> list[str] | None:
    """Cell lines with magics and shell escapes neutralised; None when the cell is not Python."""
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is not None and lines[first].lstrip().startswith("%%"):
        magic = lines[first].lstrip()[2:].split()
        name = magic[0] if magic else ""
        if name == "writefile" and len(magic) > 1 and magic[-1].endswith(".py"):
            pass
        elif name not in _KEEP_BODY_MAGICS:
            return None
        lines = list(lines)
        lines[first] = ""
    out = []
    for ln in lines:
        stripped = ln.lstrip()
        indent = ln[: len(ln) - len(stripped)]
        if stripped.startswith(("%", "!", "?")) or _HELP.match(stripped) or _SHELL_ASSIGN.match(ln):
            out.append(indent + "pass")
        else:
            out.append(ln)
    return out


def _parses(code: str) -> bool:
    try:
        ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def notebook_code(text: str) -> tuple[str, list[int]] | None:
    """(Python source of all code cells, raw .ipynb line of each source line); None if not a notebook."""
    try:
        nb = _Parser(text).value()
    except (ValueError, IndexError, json.JSONDecodeError, RecursionError):
        return None
    if not isinstance(nb, dict):
        return None
    cells = nb.get("cells")
    if cells is None:  # nbformat 3
        sheets = nb.get("worksheets") or []
        cells = [c for ws in sheets if isinstance(ws, dict) for c in ws.get("cells") or []]
    if not isinstance(cells, list):
        return None
    cell_blocks: list[list[tuple[str, int]]] = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        pairs = _source_lines(cell.get("source", cell.get("input", [])))
        if not pairs:
            continue
        cleaned = _strip_magics([p[0] for p in pairs])
        if cleaned is None:
            continue
        cell_blocks.append([(c, p[1]) for c, p in zip(cleaned, pairs, strict=True)])
    whole = "\n".join(ln for block in cell_blocks for ln, _ in block)
    if not _parses(whole):
        cell_blocks = [
            block if _parses("\n".join(ln for ln, _ in block)) else [("", r) for _, r in block] for block in cell_blocks
        ]
    code_lines = [ln for block in cell_blocks for ln, _ in block]
    raw_lines = [r for block in cell_blocks for _, r in block]
    return "\n".join(code_lines) + "\n", raw_lines

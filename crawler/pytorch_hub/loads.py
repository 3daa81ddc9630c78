"""``torch.hub.load`` calls in the python blocks of a PyTorch Hub page, found with ``ast`` (never executed).

The page's python blocks are parsed as Python. Besides literal arguments (positional ``torch.hub.load('o/r:ref',
'entry', ...)`` and keyword ``repo_or_dir=`` / ``model=``, legacy ``github=``), we resolve simple names bound to a
string literal earlier in the page (``repo = 'o/r'``) and names bound by a ``for`` loop over a literal list. The
"or any of these variants" lines that pages keep as comments (``# model = torch.hub.load(...)``) are loads too:
such comment lines are uncommented and parsed on their own. Lines of notebook magic (``!pip``, ``%matplotlib``) are
blanked so the rest of a block still parses.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
_PYTHON_INFO = {"python", "py", "python3", "py3", "ipython", "ipython3", "pycon"}
_REPO = re.compile(r"^[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+$")
_ENTRY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_COMMENTED_CALL = re.compile(r"^\s*#+\s*(?P<code>.*\bhub\s*\.\s*load\s*\(.*)$")
_MAGIC = re.compile(r"^\s*[!%]")


@dataclass(frozen=True)
class HubLoad:
    """One ``torch.hub.load(repo_or_dir, model)`` call with both arguments known."""

    owner: str
    repo: str
    ref: str | None
    entrypoint: str
    line: int  # 1-based line in the markdown page
    commented: bool = False  # found in a commented-out line

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.repo}"

    @property
    def repo_string(self) -> str:
        return self.full_name + (f":{self.ref}" if self.ref else "")


def parse_repo_string(value: str) -> tuple[str, str, str | None] | None:
    """``owner/repo[:ref]`` -> (owner, repo, ref), as torch.hub splits it (on ``:`` first, then ``/``)."""
    value = value.strip()
    repo_part, _, ref = value.partition(":")
    if not _REPO.match(repo_part):
        return None
    owner, repo = repo_part.split("/")
    return owner, repo, (ref.strip() or None)


def python_blocks(markdown: str) -> list[tuple[int, str]]:
    """(first line number of the code, code) of every fenced python block; unlabelled blocks that load a hub model
    count too."""
    lines = markdown.splitlines()
    blocks: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        if not match:
            i += 1
            continue
        fence, info = match.group("fence"), match.group("info").strip().lower()
        language = info.split()[0].strip("{}.") if info else ""
        end = i + 1
        while end < len(lines) and not (
            lines[end].strip().startswith(fence[0] * len(fence)) and not lines[end].strip().strip(fence[0])
        ):
            end += 1
        code = "\n".join(lines[i + 1 : end])
        if language in _PYTHON_INFO or (not language and "hub.load" in code):
            blocks.append((i + 2, code))
        i = end + 1
    return blocks


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class _Finder(ast.NodeVisitor):
    """Walks one module, in source order, tracking string constants bound to simple names."""

    def __init__(self, line_offset: int, commented: bool, names: dict[str, list[str]]) -> None:
        self.offset = line_offset
        self.commented = commented
        self.names = names  # shared across the blocks of a page: CI runs them concatenated
        self.load_names = {"torch.hub.load", "hub.load"}
        self.found: list[HubLoad] = []

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == "torch" and alias.asname:
                self.load_names.add(f"{alias.asname}.hub.load")
            if alias.name == "torch.hub" and alias.asname:
                self.load_names.add(f"{alias.asname}.load")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if node.module == "torch" and alias.name == "hub":
                self.load_names.add(f"{alias.asname or 'hub'}.load")
            if node.module == "torch.hub" and alias.name == "load":
                self.load_names.add(alias.asname or "load")

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        values = self._strings(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                if values:
                    self.names[target.id] = values
                else:
                    self.names.pop(target.id, None)

    def visit_For(self, node: ast.For) -> None:
        if isinstance(node.target, ast.Name) and isinstance(node.iter, ast.List | ast.Tuple | ast.Set):
            values = [v for e in node.iter.elts for v in self._strings(e)]
            if values:
                self.names[node.target.id] = values
        self.generic_visit(node)

    def _strings(self, node: ast.AST | None) -> list[str]:
        """The string value(s) an expression can have: a literal, or a name bound to literals."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Name):
            return list(self.names.get(node.id, []))
        return []

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        if dotted_name(node.func) not in self.load_names:
            return
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        repo_node = node.args[0] if node.args else keywords.get("repo_or_dir", keywords.get("github"))
        model_node = node.args[1] if len(node.args) > 1 else keywords.get("model")
        source = keywords.get("source")
        if isinstance(source, ast.Constant) and source.value == "local":
            return  # a local directory, not a GitHub repository
        line = self.offset + node.lineno - 1
        for repo_string in self._strings(repo_node):
            parsed = parse_repo_string(repo_string)
            if parsed is None:
                continue
            for entry in self._strings(model_node):
                if _ENTRY.match(entry.strip()):
                    self.found.append(HubLoad(*parsed, entry.strip(), line, self.commented))


def _parse(code: str) -> ast.Module | None:
    try:
        return ast.parse(code)
    except SyntaxError:
        pass
    blanked = "\n".join("" if _MAGIC.match(line) else line for line in code.splitlines())
    try:
        return ast.parse(blanked)
    except SyntaxError:
        return None


def _commented_calls(code: str) -> Iterator[tuple[int, str]]:
    """(line index, uncommented code) of comment lines that hold a hub load call."""
    for index, line in enumerate(code.splitlines()):
        match = _COMMENTED_CALL.match(line)
        if match:
            yield index, match.group("code")


def _lenient(code: str) -> Iterator[tuple[int, ast.Module]]:
    """A block that does not parse even without magic lines: parse the statements that call ``hub.load`` alone."""
    for index, line in enumerate(code.splitlines()):
        if "hub" in line and "load" in line and not line.lstrip().startswith("#"):
            try:
                yield index, ast.parse(line.strip())
            except SyntaxError:
                continue


def extract_loads(markdown: str) -> tuple[list[HubLoad], int]:
    """Every distinct hub load of a page (in page order) and the number of python blocks that did not parse."""
    names: dict[str, list[str]] = {}
    found: list[HubLoad] = []
    broken = 0
    for first_line, code in python_blocks(markdown):
        tree = _parse(code)
        finder = _Finder(first_line, False, names)
        if tree is not None:
            finder.visit(tree)
        else:
            broken += 1
            for index, module in _lenient(code):
                finder.offset = first_line + index
                finder.visit(module)
        found.extend(finder.found)
        for index, uncommented in _commented_calls(code):
            try:
                module = ast.parse(uncommented.strip())
            except SyntaxError:
                continue
            commented = _Finder(first_line + index, True, dict(names))
            commented.load_names = finder.load_names
            commented.visit(module)
            found.extend(commented.found)
    unique: dict[tuple[str, str, str | None, str], HubLoad] = {}
    for load in found:
        unique.setdefault((load.owner.lower(), load.repo.lower(), load.ref, load.entrypoint), load)
    return list(unique.values()), broken

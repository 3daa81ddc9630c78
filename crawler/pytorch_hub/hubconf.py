"""The entrypoints of a ``hubconf.py``, listed statically with ``ast`` (the file is never imported or executed).

``torch.hub.list`` returns every callable module attribute whose name does not start with ``_``, imported helpers
included (``get_weight`` in pytorch/vision; reference/api-shapes.md §2.3, §5 item 14). Statically that is: module
level ``def`` and ``class``, names imported with ``from m import x [as y]`` (``partial`` from functools too: torch
lists it), and assignments of something callable (another entrypoint, an imported name, ``partial(...)``, a
``lambda``). Definitions inside top-level ``if`` / ``try`` / ``with`` blocks count; a callable binding in either
branch wins over a non-callable one in the other (``except ImportError: x = None``); ``del`` removes. Plain
``import m`` binds a module, which is not callable. ``from m import *`` cannot be resolved without ``m``: it is
reported, not guessed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from crawler.pytorch_hub.loads import dotted_name

_CALLABLE_FACTORIES = {"partial", "functools.partial", "staticmethod", "classmethod"}


@dataclass(frozen=True)
class Entrypoint:
    name: str
    kind: str  # function | class | imported | alias
    line: int
    source: str | None = None  # module of an imported name (``torchvision.models.resnet``)
    doc: str | None = None  # first docstring line: what torch.hub.help shows


@dataclass
class HubConf:
    entrypoints: list[Entrypoint] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)
    star_imports: list[str] = field(default_factory=list)  # modules of ``from m import *`` (not resolved)
    error: str | None = None  # the file does not parse

    @property
    def names(self) -> list[str]:
        return [e.name for e in self.entrypoints]


def _first_doc_line(node: ast.AST) -> str | None:
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return None
    doc = ast.get_docstring(node)
    if not doc:
        return None
    return next((line.strip() for line in doc.splitlines() if line.strip()), None)


class _Lister:
    def __init__(self) -> None:
        self.bound: dict[str, Entrypoint] = {}  # every callable binding, private ones included (aliases need them)
        self.imports: dict[str, str] = {}  # plain ``import m [as n]``: name -> module (not callable)
        self.dependencies: list[str] = []
        self.star_imports: list[str] = []
        self.add_only = False  # inside an alternative branch (else, except): bindings add, never remove

    def alternative(self, body: list[ast.stmt]) -> None:
        previous, self.add_only = self.add_only, True
        try:
            self.statements(body)
        finally:
            self.add_only = previous

    def unbind(self, name: str) -> None:
        if not self.add_only:
            self.bound.pop(name, None)

    def statements(self, body: list[ast.stmt]) -> None:
        for node in body:
            self.statement(node)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self.bound[node.name] = Entrypoint(node.name, "function", node.lineno, doc=_first_doc_line(node))
        elif isinstance(node, ast.ClassDef):
            self.bound[node.name] = Entrypoint(node.name, "class", node.lineno, doc=_first_doc_line(node))
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                if alias.name == "*":
                    self.star_imports.append(module)
                    continue
                name = alias.asname or alias.name
                self.imports.pop(name, None)
                self.bound[name] = Entrypoint(name, "imported", node.lineno, source=f"{module}.{alias.name}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                name = alias.asname or alias.name.split(".")[0]
                self.unbind(name)
                self.imports[name] = alias.name
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    self.assign(target.id, node.value, node.lineno)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.unbind(target.id)
        elif isinstance(node, ast.If):
            self.statements(node.body)
            self.alternative(node.orelse)
        elif isinstance(node, ast.Try | ast.TryStar):
            self.statements(node.body)
            for handler in node.handlers:
                self.alternative(handler.body)
            self.statements(node.orelse)
            self.statements(node.finalbody)
        elif isinstance(node, ast.With | ast.AsyncWith):
            self.statements(node.body)

    def assign(self, name: str, value: ast.expr | None, line: int) -> None:
        if name == "dependencies":
            self.dependencies = _string_list(value)
            self.unbind(name)
            return
        target = self.callable_source(value)
        if target is None:
            self.unbind(name)
        else:
            self.bound[name] = Entrypoint(name, "alias", line, source=target)

    def callable_source(self, value: ast.expr | None) -> str | None:
        """What a callable assignment refers to, or None when the value is (statically) not callable."""
        if isinstance(value, ast.Lambda):
            return "lambda"
        if isinstance(value, ast.Name) and value.id in self.bound:
            bound = self.bound[value.id]
            return bound.source or bound.name
        if isinstance(value, ast.Attribute):
            dotted = dotted_name(value)
            root = dotted.split(".")[0] if dotted else None
            if dotted and (root in self.imports or root in self.bound):
                return dotted  # ``resnet18 = models.resnet18``: an attribute of an imported module
        if isinstance(value, ast.Call) and dotted_name(value.func) in _CALLABLE_FACTORIES and value.args:
            return self.callable_source(value.args[0]) or dotted_name(value.args[0])
        return None


def _string_list(value: ast.expr | None) -> list[str]:
    if isinstance(value, ast.List | ast.Tuple | ast.Set):
        return [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def list_entrypoints(source: str | bytes) -> HubConf:
    """The public entrypoints of a hubconf.py, in definition order (a later binding of a name wins its place)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError) as exc:
        return HubConf(error=f"{type(exc).__name__}: {exc}")
    lister = _Lister()
    lister.statements(tree.body)
    public = sorted((e for e in lister.bound.values() if not e.name.startswith("_")), key=lambda e: e.line)
    return HubConf(entrypoints=public, dependencies=lister.dependencies, star_imports=lister.star_imports)

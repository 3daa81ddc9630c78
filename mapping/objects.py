"""What an expression can refer to: imported library objects, local functions/classes, literals.

This is a small, deliberately flow-insensitive points-to analysis on astroid trees. ``objects(expr)``
follows names through imports (``import x as y``, ``from x import Y as Z``, relative and star
imports, repository modules), assignments (with tuple unpacking), loop and comprehension targets,
attribute chains, class members and ancestors, ``self``/``cls``/``super()``, literal dict/list
lookups and function parameters (their defaults and the arguments their call sites pass). What it
cannot follow it returns as the expression itself, so callers decide what that means.

Nothing is imported: library modules are represented by their dotted names (:class:`Ext`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from astroid import nodes

from mapping.project import Project, dotted_name

MAX_DEPTH = 30
MAX_ITEMS = 64
MAX_CALLERS = 40
MAX_SUBCLASSES = 8


@dataclass(frozen=True)
class Ext:
    """An object of a library that is not part of the repository, by qualified name.

    ``()`` in the name marks the result of a call: ``transformers.AutoModel.from_pretrained()``.
    """

    q: str


@dataclass(frozen=True, eq=False)
class LocalModule:
    rel: str


@dataclass(frozen=True, eq=False)
class Inst:
    """An instance of a class defined in the repository."""

    cls: nodes.ClassDef


@dataclass(frozen=True, eq=False)
class Super:
    """``super()`` inside a method of ``cls``: attribute lookups skip ``cls`` itself."""

    cls: nodes.ClassDef


@dataclass(frozen=True, eq=False)
class Param:
    """A function parameter nobody passes and without a default."""

    func: nodes.NodeNG
    name: str


@dataclass(frozen=True)
class Item:
    """One thing an expression may evaluate to; ``path`` is a pending tuple-unpacking index."""

    obj: object
    path: tuple[int, ...] = ()
    weak: bool = False


_DICT_FACTORIES = {
    "dict",
    "EasyDict",
    "edict",
    "Namespace",
    "SimpleNamespace",
    "AttrDict",
    "Munch",
    "DotMap",
    "ConfigDict",
    "create",
    "Box",
    "Dict",
}


class Budget(Exception):
    """Raised when one query takes too many steps (pathological code)."""


class Objects:
    """Points-to queries over one :class:`Project`."""

    def __init__(self, project: Project, max_steps: int = 20_000) -> None:
        self.p = project
        self.sig = project.sig
        self.max_steps = max_steps
        self.steps = 0
        self._active: set[tuple[int, tuple[int, ...]]] = set()
        self._calls: dict[str, dict[str, list[nodes.Call]]] = {}
        self._callers: dict[int, list[tuple[nodes.Call, int]]] = {}
        self._memo: dict[tuple[int, tuple[int, ...]], list[Item]] = {}
        self._subclasses: dict[int, list[nodes.ClassDef]] = {}

    # -- helpers -------------------------------------------------------------------------------
    def rel(self, node: nodes.NodeNG) -> str | None:
        return self.p.rel_of(node.root())

    def tick(self) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise Budget("inference budget exhausted")

    def reset_budget(self) -> None:
        self.steps = 0

    def import_target(self, modname: str, level: int, node: nodes.NodeNG) -> Ext | LocalModule | None:
        """What ``import modname`` (or ``from modname import ...``) refers to from ``node``'s file."""
        from_rel = self.rel(node)
        if level:
            rel = self.p.resolve_module(modname, from_rel, level)
            return LocalModule(rel) if rel else None
        if self.sig.is_library_module(modname):
            return Ext(modname)
        rel = self.p.resolve_module(modname, from_rel)
        return LocalModule(rel) if rel else Ext(modname)

    def module_member(self, rel: str, name: str, depth: int) -> list[Item]:
        module = self.p.module(rel)
        out: list[Item] = []
        if module is not None:
            for b in module.locals.get(name, ()):
                out += self.binding(b, name, (), depth + 1)
        if not out:
            sub = self.p.by_modname.get(f"{dotted_name(rel)}.{name}")
            if sub is None and not rel.endswith("__init__.py") and "/" in rel:
                sub = self.p.by_modname.get(f"{dotted_name(rel).rsplit('.', 1)[0]}.{name}")
            if sub:
                out.append(Item(LocalModule(sub)))
        if not out and module is not None:
            out += self.star_imports(module, name, depth)
        return out

    def star_imports(self, module: nodes.Module, name: str, depth: int) -> list[Item]:
        out: list[Item] = []
        for node in module.body:
            if isinstance(node, nodes.ImportFrom) and node.names and node.names[0][0] == "*":
                target = self.import_target(node.modname, node.level or 0, node)
                if isinstance(target, Ext):
                    out.append(Item(Ext(f"{target.q}.{name}")))
                elif isinstance(target, LocalModule) and depth < MAX_DEPTH:
                    out += self.module_member(target.rel, name, depth + 1)
        return out

    # -- names ---------------------------------------------------------------------------------
    def lookup(self, node: nodes.NodeNG, name: str) -> list[nodes.NodeNG]:
        try:
            _, stmts = node.lookup(name)
        except Exception:  # astroid raises many kinds on odd code; an unknown name is fine
            return []
        return list(stmts)

    def binding(self, b: nodes.NodeNG, name: str, path: tuple[int, ...], depth: int) -> list[Item]:
        """Items a name bound by ``b`` may hold."""
        self.tick()
        if isinstance(b, nodes.Import):
            for modname, asname in b.names:
                if asname == name:
                    t = self.import_target(modname, 0, b)
                    return [Item(t)] if t else []
                if asname is None and modname.split(".")[0] == name:
                    t = self.import_target(name, 0, b)
                    return [Item(t)] if t else []
            return []
        if isinstance(b, nodes.ImportFrom):
            for orig, asname in b.names:
                if (asname or orig) != name:
                    continue
                t = self.import_target(b.modname, b.level or 0, b)
                if isinstance(t, Ext):
                    return [Item(Ext(f"{t.q}.{orig}" if t.q else orig))]
                if isinstance(t, LocalModule):
                    return self.module_member(t.rel, orig, depth)
                if b.level and not b.modname:
                    return []
                return []
            return []
        if isinstance(b, nodes.FunctionDef | nodes.ClassDef | nodes.Lambda):
            return [Item(b, path)]
        if isinstance(b, nodes.AssignName | nodes.AssignAttr):
            if isinstance(b.parent, nodes.Arguments):
                return self.parameter(b.parent.parent, b.name, path, depth)
            return self.assigned(b, path, depth)
        return []

    def assigned(self, target: nodes.NodeNG, path: tuple[int, ...], depth: int) -> list[Item]:
        """Items assigned to an ``AssignName``/``AssignAttr`` (following unpacking)."""
        index: list[int] = []
        node = target
        while isinstance(node.parent, nodes.Tuple | nodes.List | nodes.Starred):
            if isinstance(node.parent, nodes.Starred):
                return []
            index.insert(0, node.parent.elts.index(node))
            node = node.parent
        stmt = node.parent
        full = (*index, *path)
        if isinstance(stmt, nodes.Assign | nodes.AnnAssign | nodes.NamedExpr):
            if stmt.value is None:
                return []
            return self.objects(stmt.value, full, depth + 1)
        if isinstance(stmt, nodes.For | nodes.Comprehension) and node is stmt.target:
            out: list[Item] = []
            for elt, rest in self.iter_elements(stmt.iter, tuple(index), depth + 1):
                out += self.objects(elt, (*rest, *path), depth + 1)
            return out
        return []

    def iter_elements(
        self, it: nodes.NodeNG, index: tuple[int, ...], depth: int
    ) -> list[tuple[nodes.NodeNG, tuple[int, ...]]]:
        """(element expression, remaining unpack index) for ``for target in it``."""
        if isinstance(it, nodes.Call) and isinstance(it.func, nodes.Name) and it.args:
            fname = it.func.name
            if fname in {"enumerate", "reversed", "sorted", "list", "tuple", "set"}:
                inner = self.iter_elements(it.args[0], index[1:] if fname == "enumerate" else index, depth)
                if fname == "enumerate":
                    return inner if index[:1] == (1,) else []
                return inner
            if fname == "zip" and index and index[0] < len(it.args):
                return self.iter_elements(it.args[index[0]], index[1:], depth)
            return []
        if isinstance(it, nodes.Call) and isinstance(it.func, nodes.Attribute) and not it.args:
            method = it.func.attrname
            if method in {"items", "keys", "values"}:
                out = []
                for c in self.containers(it.func.expr, depth):
                    if isinstance(c, nodes.Dict):
                        for k, v in c.items:
                            if method == "keys":
                                out.append((k, index))
                            elif method == "values":
                                out.append((v, index))
                            elif index:
                                out.append(((k, v)[index[0]] if index[0] < 2 else v, index[1:]))
                return out
        out = []
        for c in self.containers(it, depth):
            if isinstance(c, nodes.Dict):
                out += [(k, index) for k, _ in c.items]
            elif isinstance(c, nodes.List | nodes.Tuple | nodes.Set):
                out += [(e, index) for e in c.elts if not isinstance(e, nodes.Starred)]
        return out

    def containers(self, expr: nodes.NodeNG, depth: int) -> list[nodes.NodeNG]:
        """Literal dicts, lists, tuples, sets (and dict-building calls) ``expr`` may be."""
        out = []
        for item in self.objects(expr, (), depth + 1):
            o = item.obj
            if isinstance(o, nodes.Dict | nodes.List | nodes.Tuple | nodes.Set):
                out.append(o)
            elif isinstance(o, nodes.Call) and self.is_dict_factory(o):
                out.append(o)
        return out

    def is_dict_factory(self, call: nodes.Call) -> bool:
        f = call.func
        name = f.name if isinstance(f, nodes.Name) else f.attrname if isinstance(f, nodes.Attribute) else ""
        return name in _DICT_FACTORIES

    # -- parameters and call sites -------------------------------------------------------------
    def parameter(self, func: nodes.NodeNG, name: str, path: tuple[int, ...], depth: int) -> list[Item]:
        args = func.args if isinstance(func, nodes.FunctionDef | nodes.Lambda) else None
        if args is None:
            return []
        cls = func.parent.frame() if isinstance(func, nodes.FunctionDef) and func.is_method() else None
        if isinstance(cls, nodes.ClassDef):
            positional = [a.name for a in (*(args.posonlyargs or ()), *(args.args or ()))]
            if positional and positional[0] == name and func.type != "staticmethod":
                # self/cls may also be an instance of a repository subclass (overridden class attributes)
                classes = [cls, *self.subclasses(cls, depth)]
                return [Item(c if func.type == "classmethod" else Inst(c), path) for c in classes]
        out: list[Item] = []
        default = self.default_of(args, name)
        sites = self.callers(func) if depth < MAX_DEPTH - 5 else []
        for call, offset in sites:
            arg = self.argument_of(call, func, name, offset)
            if arg is not None and arg is not _UNKNOWN:
                out += self.objects(arg, path, depth + 1)
        # The default counts even when every call site we found passes a value: functions are also
        # called from places static analysis does not see (CLIs, notebooks, other projects).
        if default is not None:
            out += self.objects(default, path, depth + 1)
        if not out:
            out.append(Item(Param(func, name), path))
        return out

    def subclasses(self, cls: nodes.ClassDef, depth: int) -> list[nodes.ClassDef]:
        """Repository classes deriving (directly or not) from ``cls``, at most MAX_SUBCLASSES."""
        key = id(cls)
        if key in self._subclasses:
            return self._subclasses[key]
        self._subclasses[key] = []
        found: list[nodes.ClassDef] = []
        if depth < MAX_DEPTH - 5:
            for rel in self.p.files_mentioning(cls.name):
                module = self.p.module(rel)
                if module is None:
                    continue
                for c in module.nodes_of_class(nodes.ClassDef):
                    if c is cls or len(found) >= MAX_SUBCLASSES:
                        continue
                    if any(b.as_string().rsplit(".", 1)[-1] == cls.name for b in c.bases) and any(
                        i.obj is cls for b in c.bases for i in self.objects(b, (), depth + 1)
                    ):
                        found += [c, *(x for x in self.subclasses(c, depth + 1) if x not in found)]
        self._subclasses[key] = found[:MAX_SUBCLASSES]
        return self._subclasses[key]

    def default_of(self, args: nodes.Arguments, name: str) -> nodes.NodeNG | None:
        positional = [*(args.posonlyargs or ()), *(args.args or ())]
        names = [a.name for a in positional]
        if name in names:
            i = names.index(name)
            k = len(positional) - len(args.defaults or ())
            if i >= k:
                return args.defaults[i - k]
            return None
        kwonly = [a.name for a in args.kwonlyargs or ()]
        if name in kwonly:
            return (args.kw_defaults or [None] * len(kwonly))[kwonly.index(name)]
        return None

    def argument_of(self, call: nodes.Call, func: nodes.NodeNG, name: str, offset: int) -> object:
        """The expression ``call`` passes for parameter ``name`` (None: omitted, _UNKNOWN: opaque)."""
        for kw in call.keywords or ():
            if kw.arg == name:
                return kw.value
        args = func.args
        positional = [a.name for a in (*(args.posonlyargs or ()), *(args.args or ()))]
        if name in positional:
            i = positional.index(name) - offset
            if i < 0:
                return _UNKNOWN
            for j, a in enumerate(call.args):
                if isinstance(a, nodes.Starred):
                    return _UNKNOWN
                if j == i:
                    return a
        if any(kw.arg is None for kw in call.keywords or ()):
            for kw in call.keywords:
                if kw.arg is None:
                    for c in self.containers(kw.value, 1):
                        if isinstance(c, nodes.Dict):
                            for k, v in c.items:
                                if isinstance(k, nodes.Const) and k.value == name:
                                    return v
            return _UNKNOWN
        return None

    def calls_named(self, rel: str, name: str) -> list[nodes.Call]:
        if rel not in self._calls:
            index: dict[str, list[nodes.Call]] = {}
            module = self.p.module(rel)
            if module is not None:
                for call in module.nodes_of_class(nodes.Call):
                    f = call.func
                    key = f.name if isinstance(f, nodes.Name) else getattr(f, "attrname", None)
                    if key:
                        index.setdefault(key, []).append(call)
            self._calls[rel] = index
        return self._calls[rel].get(name, [])

    def callers(self, func: nodes.NodeNG) -> list[tuple[nodes.Call, int]]:
        """Call sites of a repository function, with the number of implicit leading arguments."""
        key = id(func)
        if key in self._callers:
            return self._callers[key]
        self._callers[key] = []
        names: list[str] = []
        want: nodes.NodeNG = func
        if isinstance(func, nodes.FunctionDef):
            if func.name == "__init__" and isinstance(func.parent, nodes.ClassDef):
                want = func.parent
                names = [func.parent.name]
            else:
                names = [func.name]
        elif isinstance(func, nodes.Lambda) and isinstance(func.parent, nodes.Assign):
            names = [t.name for t in func.parent.targets if isinstance(t, nodes.AssignName)]
        found: list[tuple[nodes.Call, int]] = []
        for name in names:
            for rel in self.p.files_mentioning(name):
                for call in self.calls_named(rel, name):
                    if len(found) >= MAX_CALLERS:
                        break
                    offset = self.call_offset(call, want, func)
                    if offset is not None:
                        found.append((call, offset))
        self._callers[key] = found
        return found

    def call_offset(self, call: nodes.Call, want: nodes.NodeNG, func: nodes.NodeNG) -> int | None:
        """None if ``call`` does not call ``want``; else how many leading parameters are implicit."""
        try:
            callee = self.objects(call.func, (), 8)
        except Budget:
            raise
        except RecursionError:
            return None
        is_method = isinstance(func, nodes.FunctionDef) and func.is_method()
        for item in callee:
            if item.obj is want:
                if want is not func:  # a class: its __init__ gets self implicitly
                    return 1
                if not is_method or func.type == "staticmethod":  # type: ignore[attr-defined]  # a FunctionDef here
                    return 0
                if func.type == "classmethod":  # type: ignore[attr-defined]
                    return 1
                bound = isinstance(call.func, nodes.Attribute) and any(
                    isinstance(o.obj, Inst | Super) for o in self.objects(call.func.expr, (), 8)
                )
                return 1 if bound else 0
        return None

    # -- the main query ------------------------------------------------------------------------
    def objects(self, expr: nodes.NodeNG, path: tuple[int, ...] = (), depth: int = 0) -> list[Item]:
        """Everything ``expr`` may evaluate to (see module docstring)."""
        if depth > MAX_DEPTH:
            return [Item(expr, path)]
        key = (id(expr), path)
        if key in self._memo:
            return self._memo[key]
        if key in self._active:
            return []
        self._active.add(key)
        try:
            out = self._objects(expr, path, depth)
        finally:
            self._active.discard(key)
        out = _dedupe(out)[:MAX_ITEMS]
        self._memo[key] = out
        return out

    def _objects(self, expr: nodes.NodeNG, path: tuple[int, ...], depth: int) -> list[Item]:
        self.tick()
        if isinstance(expr, nodes.Name):
            out: list[Item] = []
            stmts = self.lookup(expr, expr.name)
            for b in stmts:
                out += self.binding(b, expr.name, path, depth)
            if not stmts:
                out += self.star_imports(expr.root(), expr.name, depth)
            return out or [Item(expr, path)]
        if isinstance(expr, nodes.Attribute):
            return self.attribute(expr, path, depth)
        if isinstance(expr, nodes.Subscript):
            return self.subscript(expr, path, depth)
        if isinstance(expr, nodes.IfExp):
            return self.objects(expr.body, path, depth + 1) + self.objects(expr.orelse, path, depth + 1)
        if isinstance(expr, nodes.BoolOp):
            return [i for v in expr.values for i in self.objects(v, path, depth + 1)]
        if isinstance(expr, nodes.NamedExpr):
            return self.objects(expr.value, path, depth + 1)
        if isinstance(expr, nodes.Tuple | nodes.List) and path:
            if path[0] < len(expr.elts) and not any(isinstance(e, nodes.Starred) for e in expr.elts):
                return self.objects(expr.elts[path[0]], path[1:], depth + 1)
            return []
        if isinstance(expr, nodes.Call):
            return self.call(expr, path, depth)
        return [Item(expr, path)]

    def attribute(self, expr: nodes.Attribute, path: tuple[int, ...], depth: int) -> list[Item]:
        attr = expr.attrname
        init = self.hparams_init(expr, depth)
        if init is not None:  # self.hparams.<name> (Lightning save_hyperparameters): the __init__ parameter
            return self.parameter(init, attr, path, depth + 1)
        out: list[Item] = []
        opaque = False
        for item in self.objects(expr.expr, (), depth + 1):
            o = item.obj
            if isinstance(o, Ext):
                out.append(Item(Ext(f"{o.q}.{attr}"), path, item.weak))
            elif isinstance(o, LocalModule):
                out += self.module_member(o.rel, attr, depth)
            elif isinstance(o, nodes.ClassDef | Inst | Super):
                found = self.class_member(o, attr, path, depth)
                out += found
                opaque = opaque or not found
            elif isinstance(o, nodes.Dict | nodes.Call) and (isinstance(o, nodes.Dict) or self.is_dict_factory(o)):
                vals = self.entries(o, attr)
                out += [x for v in vals for x in self.objects(v, path, depth + 1)]
                opaque = opaque or not vals
            else:
                opaque = True
        if opaque or not out:
            out.append(Item(expr, path))
        return out

    def hparams_init(self, expr: nodes.Attribute, depth: int) -> nodes.FunctionDef | None:
        """For ``self.hparams.name`` in a method, the ``__init__`` of the class that has parameter ``name``."""
        recv = expr.expr
        if not (
            isinstance(recv, nodes.Attribute)
            and recv.attrname == "hparams"
            and isinstance(recv.expr, nodes.Name)
            and recv.expr.name == "self"
        ):
            return None
        func = expr.frame()
        cls = func.parent.frame() if isinstance(func, nodes.FunctionDef) and func.is_method() else None
        if not isinstance(cls, nodes.ClassDef):
            return None
        for c in self.local_mro(cls, depth):
            for init in c.locals.get("__init__", ()):
                if isinstance(init, nodes.FunctionDef) and expr.attrname in [a.name for a in init.args.arguments]:
                    return init
        return None

    def class_member(
        self, o: nodes.ClassDef | Inst | Super, attr: str, path: tuple[int, ...], depth: int
    ) -> list[Item]:
        cls = o.cls if isinstance(o, Inst | Super) else o
        instance = isinstance(o, Inst)
        out: list[Item] = []
        seen: set[int] = set()
        order = self.local_mro(cls, depth)
        if isinstance(o, Super):
            order = order[1:]
        for c in order:
            if id(c) in seen:
                continue
            seen.add(id(c))
            if instance and attr in c.instance_attrs:
                for an in c.instance_attrs[attr]:
                    out += self.assigned(an, path, depth)
            for b in c.locals.get(attr, ()):
                out += self.binding(b, attr, path, depth)
            if out:
                return out
        suffix = "()" if instance else ""
        for q in self.external_bases(cls, depth):
            out.append(Item(Ext(f"{q}{suffix}.{attr}"), path))
        return out

    def local_mro(self, cls: nodes.ClassDef, depth: int) -> list[nodes.ClassDef]:
        """The class and its repository ancestors, depth first."""
        order = [cls]
        if depth > MAX_DEPTH:
            return order
        for base in cls.bases:
            for item in self.objects(base, (), depth + 1):
                if isinstance(item.obj, nodes.ClassDef) and item.obj is not cls:
                    order += [c for c in self.local_mro(item.obj, depth + 1) if c not in order]
        return order

    def external_bases(self, cls: nodes.ClassDef, depth: int) -> list[str]:
        """Qualified names of library classes among the ancestors of ``cls``."""
        out: list[str] = []
        for c in self.local_mro(cls, depth):
            for base in c.bases:
                for item in self.objects(base, (), depth + 1):
                    if isinstance(item.obj, Ext) and item.obj.q not in out:
                        out.append(item.obj.q)
        return out

    def subscript(self, expr: nodes.Subscript, path: tuple[int, ...], depth: int) -> list[Item]:
        keys = self.constant_keys(expr.slice, depth)
        out: list[Item] = []
        containers = self.containers(expr.value, depth)
        for c in containers:
            picked = self.select(c, keys)
            weak = keys is None or not picked
            if not picked:
                picked = self.select(c, None)
            for elt in picked:
                out += [Item(i.obj, i.path, i.weak or weak) for i in self.objects(elt, path, depth + 1)]
        if not containers:
            for item in self.objects(expr.value, (), depth + 1):
                if isinstance(item.obj, Ext):  # e.g. MODEL_CLASSES from a library
                    out.append(Item(Ext(f"{item.obj.q}[]"), path))
        return out or [Item(expr, path)]

    def constant_keys(self, node: nodes.NodeNG, depth: int) -> list[object] | None:
        """Constant values a subscript key may take, None when any is unknown."""
        keys: list[object] = []
        for item in self.objects(node, (), depth + 1):
            if isinstance(item.obj, nodes.Const):
                keys.append(item.obj.value)
            else:
                return None
        return keys or None

    def select(self, container: nodes.NodeNG, keys: list[object] | None) -> list[nodes.NodeNG]:
        if isinstance(container, nodes.Dict):
            if keys is None:
                return [v for _, v in container.items]
            return [v for k, v in container.items if isinstance(k, nodes.Const) and k.value in keys]
        if isinstance(container, nodes.Call):
            return (
                self.entries(container, None)
                if keys is None
                else [v for key in keys if isinstance(key, str) for v in self.entries(container, key)]
            )
        elts = [e for e in getattr(container, "elts", []) if not isinstance(e, nodes.Starred)]
        if keys is None:
            return elts
        return [elts[k] for k in keys if isinstance(k, int) and -len(elts) <= k < len(elts)]

    def entries(self, o: nodes.NodeNG, key: str | None) -> list[nodes.NodeNG]:
        """Values stored under ``key`` (all values when None) in a dict literal or dict-building call."""
        if isinstance(o, nodes.Dict):
            return [v for k, v in o.items if key is None or (isinstance(k, nodes.Const) and k.value == key)]
        if isinstance(o, nodes.Call):
            out = [kw.value for kw in o.keywords or () if kw.arg and (key is None or kw.arg == key)]
            for a in o.args[:1]:
                for c in self.containers(a, 1):
                    out += self.entries(c, key) if isinstance(c, nodes.Dict | nodes.Call) else []
            return out
        return []

    def call(self, expr: nodes.Call, path: tuple[int, ...], depth: int) -> list[Item]:
        f = expr.func
        if isinstance(f, nodes.Name) and f.name == "super" and not self.lookup(f, "super"):
            cls = expr.scope().parent.frame() if isinstance(expr.scope(), nodes.FunctionDef) else None
            return [Item(Super(cls))] if isinstance(cls, nodes.ClassDef) else [Item(expr, path)]
        if isinstance(f, nodes.Name) and f.name == "getattr" and len(expr.args) >= 2:
            names = self.constant_keys(expr.args[1], depth)
            out: list[Item] = []
            for item in self.objects(expr.args[0], (), depth + 1):
                if isinstance(item.obj, Ext):
                    if names is None:
                        out.append(Item(Ext(f"{item.obj.q}.?"), path, True))
                    else:
                        out += [Item(Ext(f"{item.obj.q}.{n}"), path) for n in names if isinstance(n, str)]
            return out or [Item(expr, path)]
        out = []
        for item in self.objects(f, (), depth + 1):
            o = item.obj
            if isinstance(o, Ext):
                out.append(Item(Ext(f"{o.q}()"), path, item.weak))
            elif isinstance(o, nodes.ClassDef):
                out.append(Item(Inst(o), path, item.weak))
            elif isinstance(o, nodes.FunctionDef | nodes.Lambda):
                for ret in _returns(o):
                    out += self.objects(ret, path, depth + 1)
        # The call itself stays a result: values() computes str.format, os.path.join, ...
        out.append(Item(expr, path))
        return out


class _Unknown:
    def __repr__(self) -> str:
        return "<unknown>"


_UNKNOWN = _Unknown()


def _returns(func: nodes.FunctionDef | nodes.Lambda) -> Iterator[nodes.NodeNG]:
    if isinstance(func, nodes.Lambda) and not isinstance(func, nodes.FunctionDef):
        yield func.body
        return
    stack = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Return):
            if node.value is not None:
                yield node.value
            continue
        if isinstance(node, nodes.FunctionDef | nodes.ClassDef | nodes.Lambda):
            continue
        stack.extend(node.get_children())


def _dedupe(items: list[Item]) -> list[Item]:
    seen: set[tuple[object, tuple[int, ...]]] = set()
    out = []
    for it in items:
        key = (it.obj if isinstance(it.obj, Ext) else id(it.obj), it.path)
        if key not in seen:
            seen.add(key)
            out.append(it)
    return out

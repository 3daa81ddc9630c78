"""The string values an argument may take, computed statically on top of :mod:`mapping.objects`.

Handles literals, constants (module, class, imported from repository modules), parameter defaults
and call-site arguments, f-strings, ``+`` and ``%`` concatenation, ``str.format``/``join``/case
methods, literal dict/list lookups, ``dict.get``/``getattr``/``os.environ.get`` defaults, argparse and
dataclass-field defaults, and simple config objects. A value it cannot know is reported as
:data:`UNKNOWN` with the reason, never guessed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from astroid import nodes

from mapping.objects import Budget, Ext, Inst, Item, LocalModule, Objects, Param

STR, PATH, CONST, OBJ, UNKNOWN = "str", "path", "const", "object", "unknown"
MAX_VALUES = 32
_PATH_CALLS = {
    "os.path.join",
    "os.path.abspath",
    "os.path.expanduser",
    "os.path.realpath",
    "os.path.dirname",
    "os.path.normpath",
    "os.getcwd",
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PosixPath",
    "pathlib.Path.home",
    "pathlib.Path.cwd",
}
_ENV_CALLS = {"os.environ.get", "os.getenv", "os.environ.setdefault", "os.environ.pop"}
_CLI_DEFAULTS = {"typer.Option", "typer.Argument", "typer.params.Option", "typer.params.Argument"}
_ABSL_DEFINES = ("DEFINE_string", "DEFINE_enum", "DEFINE_list", "DEFINE_integer", "DEFINE_bool", "DEFINE_boolean")
_STR_METHODS = {"strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title"}


@dataclass(frozen=True)
class V:
    """One possible value: ``kind`` is str/path/const/object/unknown."""

    kind: str
    value: object = None
    reason: str | None = None
    weak: bool = False


def _unknown(reason: str) -> V:
    return V(UNKNOWN, reason=reason)


class Values(Objects):
    """Adds ``values(expr)``: what strings (or other constants) an expression may evaluate to."""

    def __init__(self, project, max_steps: int = 20_000) -> None:  # type: ignore[no-untyped-def]
        super().__init__(project, max_steps)
        self._options: dict[str, list[nodes.NodeNG | None]] = {}

    def values(self, expr: nodes.NodeNG, depth: int = 0) -> list[V]:
        out: list[V] = []
        for item in self.objects(expr, (), depth):
            out += [V(v.kind, v.value, v.reason, v.weak or item.weak) for v in self.item_values(item, depth)]
        return _dedupe(out)[:MAX_VALUES]

    def item_values(self, item: Item, depth: int) -> list[V]:
        o = item.obj
        if item.path:
            return [_unknown("unpacked from a value computed at run time")]
        if isinstance(o, nodes.Const):
            return [V(STR, o.value) if isinstance(o.value, str) else V(CONST, o.value)]
        if isinstance(o, Param):
            fname = getattr(o.func, "name", "lambda")
            return [_unknown(f"parameter {o.name!r} of {fname}() has no default and no call site")]
        if isinstance(o, Ext) and o.q.rsplit(".", 2)[-2:-1] == ["FLAGS"]:  # absl: FLAGS.model_name
            name = o.q.rsplit(".", 1)[-1]
            return self.option_values(name, None, depth) or [_unknown(f"command-line flag {name!r}")]
        if isinstance(o, Ext) and "()" in o.q:
            return []  # part of a run-time object: the call/attribute node itself is an item too
        if isinstance(o, Ext | Inst | LocalModule | nodes.ClassDef | nodes.FunctionDef | nodes.Lambda):
            return [V(OBJ, getattr(o, "q", None))]
        if isinstance(o, nodes.Dict | nodes.List | nodes.Tuple | nodes.Set | nodes.ListComp | nodes.DictComp):
            return [V(OBJ)]
        if depth > 20:
            return [_unknown("value too deeply nested")]
        if isinstance(o, nodes.JoinedStr):
            return self.joined(o, depth)
        if isinstance(o, nodes.BinOp):
            return self.binop(o, depth)
        if isinstance(o, nodes.Call):
            return self.call_values(o, depth)
        if isinstance(o, nodes.Attribute):
            return self.attribute_values(o, depth)
        if isinstance(o, nodes.Subscript):
            return self.subscript_values(o)
        if isinstance(o, nodes.Name):
            return [_unknown(f"name {o.name!r} is not defined in the repository")]
        if isinstance(o, nodes.UnaryOp) and o.op == "not":
            return [V(CONST, None)]
        return [_unknown(f"{type(o).__name__.lower()} expression")]

    # -- composite strings ---------------------------------------------------------------------
    def joined(self, node: nodes.JoinedStr, depth: int) -> list[V]:
        parts: list[list[V]] = []
        for part in node.values:
            if isinstance(part, nodes.Const):
                parts.append([V(STR, str(part.value))])
            elif isinstance(part, nodes.FormattedValue):
                vals = self.values(part.value, depth + 1)
                parts.append([_as_text(v) for v in vals])
            else:
                parts.append([_unknown("f-string part")])
        return _product(parts, "".join, "f-string with a part known only at run time")

    def binop(self, node: nodes.BinOp, depth: int) -> list[V]:
        left = self.values(node.left, depth + 1)
        right = self.values(node.right, depth + 1)
        if node.op == "+":
            return _product(
                [[_as_text(v) for v in left], [_as_text(v) for v in right]],
                "".join,
                "concatenation with a part known only at run time",
            )
        if node.op == "%":
            out = []
            for fmt in left:
                if fmt.kind != STR:
                    out.append(_unknown("formatting of a run-time template"))
                    continue
                args: list[list[V]]
                if isinstance(node.right, nodes.Tuple):
                    args = [self.values(e, depth + 1) for e in node.right.elts]
                else:
                    args = [right]
                for combo in itertools.islice(itertools.product(*args), MAX_VALUES):
                    if any(v.kind == UNKNOWN for v in combo):
                        out.append(_unknown("%-formatting with a value known only at run time"))
                        continue
                    try:
                        vals = tuple(v.value for v in combo)
                        out.append(V(STR, str(fmt.value) % (vals if len(vals) != 1 else vals[0])))
                    except (TypeError, ValueError, KeyError):
                        out.append(_unknown("%-formatting that does not apply"))
            return out
        if node.op == "/":
            if any(v.kind in {PATH, STR} for v in left):
                return [V(PATH, None)]
        return [_unknown(f"arithmetic ({node.op})")]

    # -- calls ---------------------------------------------------------------------------------
    def call_values(self, call: nodes.Call, depth: int) -> list[V]:
        f = call.func
        callee = [i.obj for i in self.objects(f, (), depth + 1)]
        qnames = {o.q for o in callee if isinstance(o, Ext)}
        if qnames & _PATH_CALLS or any(q.startswith("pathlib.Path") for q in qnames):
            return [V(PATH, None)]
        if qnames & _ENV_CALLS:
            default = call.args[1] if len(call.args) > 1 else _kw(call, "default")
            if default is not None:
                return [V(v.kind, v.value, v.reason, True) for v in self.values(default, depth + 1)]
            return [_unknown("environment variable")]
        if qnames & _CLI_DEFAULTS:  # typer.Option("bert-base-uncased", help=...): its first argument
            default = call.args[0] if call.args else _kw(call, "default")
            if default is None or (isinstance(default, nodes.Const) and default.value is Ellipsis):
                return [_unknown("command-line option without a default")]
            return [V(v.kind, v.value, v.reason, True) for v in self.values(default, depth + 1)]
        if any(q in {"dataclasses.field", "pydantic.Field", "attr.ib", "attrs.field"} for q in qnames):
            default = _kw(call, "default")
            if default is None and call.args and "pydantic" in "".join(qnames):
                default = call.args[0]
            return self.values(default, depth + 1) if default is not None else [_unknown("field without a default")]
        if isinstance(f, nodes.Name) and not self.lookup(f, f.name):
            if f.name == "str" and call.args:
                return self.values(call.args[0], depth + 1)
            if f.name == "getattr" and len(call.args) >= 2:
                return self.getattr_values(call, depth)
            if f.name == "input":
                return [_unknown("value typed in by the user")]
        if isinstance(f, nodes.Attribute):
            method = f.attrname
            if method in _STR_METHODS | {"format", "replace", "join"}:
                recv = self.values(f.expr, depth + 1)
                if any(v.kind == STR for v in recv):
                    return self.string_method(call, method, recv, depth)
            if method == "get" and call.args:
                return self.get_values(call, depth)
        if any(isinstance(o, nodes.FunctionDef | nodes.Lambda) for o in callee):
            return []  # objects() already followed the function's return values
        if qnames:
            q = sorted(qnames)[0]
            return [_unknown(f"return value of {q.replace('()', '')}()")]
        return [_unknown("return value of a call")]

    def string_method(self, call: nodes.Call, method: str, recv: list[V], depth: int) -> list[V]:
        out: list[V] = []
        arg_vals = [self.values(a, depth + 1) for a in call.args]
        kw_vals = {kw.arg: self.values(kw.value, depth + 1) for kw in call.keywords or () if kw.arg}
        for r in recv:
            if r.kind != STR:
                out.append(_unknown("method of a run-time string"))
                continue
            s = str(r.value)
            if method in _STR_METHODS and not call.args:
                out.append(V(STR, getattr(s, method)()))
            elif method == "replace" and len(arg_vals) >= 2:
                for a, b in itertools.product(arg_vals[0], arg_vals[1]):
                    if a.kind == STR and b.kind == STR:
                        out.append(V(STR, s.replace(str(a.value), str(b.value))))
                    else:
                        out.append(_unknown("replace() with a run-time argument"))
            elif method == "join" and len(call.args) == 1:
                elts = self.containers(call.args[0], depth + 1)
                if not elts:
                    out.append(_unknown("join() of a run-time sequence"))
                for c in elts:
                    parts = [[_as_text(v) for v in self.values(e, depth + 1)] for e in getattr(c, "elts", [])]
                    out += _product(parts, s.join, "join() of a value known only at run time")
            elif method == "format":
                names = list(kw_vals)
                combos = itertools.product(*arg_vals, *kw_vals.values())
                for combo in itertools.islice(combos, MAX_VALUES):
                    if any(v.kind == UNKNOWN for v in combo):
                        out.append(_unknown("format() with a value known only at run time"))
                        continue
                    pos = [v.value for v in combo[: len(arg_vals)]]
                    kws = {n: v.value for n, v in zip(names, combo[len(arg_vals) :], strict=True)}
                    try:
                        out.append(V(STR, s.format(*pos, **kws)))
                    except (IndexError, KeyError, ValueError, AttributeError):
                        out.append(_unknown("format() that does not apply"))
            else:
                out.append(_unknown(f"{method}() of a string"))
        return out

    def get_values(self, call: nodes.Call, depth: int) -> list[V]:
        """``d.get(key, default)``: the literal entry if ``d`` is a literal, else the default."""
        f = call.func
        assert isinstance(f, nodes.Attribute)
        keys = self.constant_keys(call.args[0], depth)
        out: list[V] = []
        for c in self.containers(f.expr, depth + 1):
            for v in self.select(c, keys) if keys is not None else []:
                out += self.values(v, depth + 1)
        if not out:
            default = call.args[1] if len(call.args) > 1 else _kw(call, "default")
            if default is not None:
                out = [V(v.kind, v.value, v.reason, True) for v in self.values(default, depth + 1)]
            elif keys and isinstance(keys[0], str):
                out = self.option_values(keys[0], call, depth) or [_unknown("value read at run time")]
            else:
                out = [_unknown("value read at run time")]
        return out

    def getattr_values(self, call: nodes.Call, depth: int) -> list[V]:
        names = self.constant_keys(call.args[1], depth)
        out: list[V] = []
        for name in names or []:
            if isinstance(name, str):
                out += self.option_values(name, call, depth)
        if not out and len(call.args) > 2:
            out = [V(v.kind, v.value, v.reason, True) for v in self.values(call.args[2], depth + 1)]
        return out or [_unknown("attribute known only at run time")]

    # -- attributes: argparse, dataclass fields, config classes ----------------------------------
    def attribute_values(self, node: nodes.Attribute, depth: int) -> list[V]:
        receivers = [i.obj for i in self.objects(node.expr, (), depth + 1)]
        if any(isinstance(o, Ext) for o in receivers) and not any(
            isinstance(o, Param | nodes.Call | nodes.Attribute | nodes.Name) for o in receivers
        ):
            return [V(OBJ, None)]  # a library attribute, e.g. an enum member: not a string we know
        found = self.option_values(node.attrname, node, depth)
        return found or [_unknown(f"attribute {node.attrname!r} of an object built at run time")]

    def parameter(self, func: nodes.NodeNG, name: str, path: tuple[int, ...], depth: int) -> list[Item]:
        """Adds the defaults of click options (``@click.option("--model", default=...)``)."""
        out = super().parameter(func, name, path, depth)
        decorators = getattr(func, "decorators", None)
        if decorators is None or not all(isinstance(i.obj, Param) for i in out):
            return out
        for dec in decorators.nodes:
            if isinstance(dec, nodes.Call) and _callee_name(dec) in {"option", "argument"} and _click_dest(dec) == name:
                default = _kw(dec, "default")
                if default is not None:
                    return [Item(i.obj, i.path, True) for i in self.objects(default, path, depth + 1)]
        return out

    def subscript_values(self, node: nodes.Subscript) -> list[V]:
        text = node.value.as_string()
        if text in {"sys.argv", "argv"}:
            return [_unknown("command-line argument")]
        if "environ" in text:
            return [_unknown("environment variable")]
        return [_unknown("value read at run time")]

    def option_values(self, name: str, near: nodes.NodeNG | None, depth: int) -> list[V]:
        """Defaults of command-line options / config fields called ``name``."""
        defs = self.option_defaults(name)
        if not defs:
            return []
        here = self.rel(near) if near is not None else None
        local = [d for d in defs if d[0] == here]
        chosen = local or defs
        out: list[V] = []
        for _, expr, reason in chosen:
            if expr is None:
                out.append(_unknown(reason))
            else:
                out += [V(v.kind, v.value, v.reason, True) for v in self.values(expr, depth + 1)]
        return out

    def option_defaults(self, name: str) -> list[tuple[str, nodes.NodeNG | None, str]]:
        """(file, default expression or None, reason) for options and fields named ``name``."""
        if name in self._options:
            return self._options[name]  # type: ignore[return-value]
        found: list[tuple[str, nodes.NodeNG | None, str]] = []
        self._options[name] = found  # type: ignore[assignment]
        dashed = name.replace("_", "-")
        for rel in self.p.files_mentioning(name) + (self.p.files_mentioning(dashed) if dashed != name else []):
            text = self.p.text(rel) or ""
            wanted = ("add_argument", "class ", "set_defaults", "DEFINE_", f".{name} =", f".{name}=")
            module = self.p.module(rel) if any(w in text for w in wanted) else None
            if module is None:
                continue
            for call in self.calls_named(rel, "add_argument"):
                if _dest(call) == name:
                    default = _kw(call, "default")
                    action = _kw(call, "action")
                    if (
                        default is None
                        and isinstance(action, nodes.Const)
                        and action.value
                        in (
                            "store_true",
                            "store_false",
                        )
                    ):
                        default = nodes.Const(action.value == "store_false")
                    reason = "command-line option without a default"
                    found.append((rel, default, reason))
            for call in self.calls_named(rel, "set_defaults"):
                found += [(rel, kw.value, "") for kw in call.keywords or () if kw.arg == name]
            for define in _ABSL_DEFINES:  # flags.DEFINE_string("model", "bert-base-uncased", "help")
                for call in self.calls_named(rel, define):
                    flag = call.args[0] if call.args else _kw(call, "name")
                    if isinstance(flag, nodes.Const) and flag.value == name:
                        default = call.args[1] if len(call.args) > 1 else _kw(call, "default")
                        found.append((rel, default, "command-line flag without a default"))
            # cfg.MODEL.NAME = "..." (yacs, ml_collections, argparse overrides): any object but self/cls
            for an in module.nodes_of_class(nodes.AssignAttr):
                if an.attrname != name or (isinstance(an.expr, nodes.Name) and an.expr.name in {"self", "cls"}):
                    continue
                stmt = an.parent
                if isinstance(stmt, nodes.Assign | nodes.AnnAssign) and stmt.value is not None:
                    found.append((rel, stmt.value, ""))
            for cls in module.nodes_of_class(nodes.ClassDef):
                for an in cls.instance_attrs.get(name, ()):  # self.<name> = ... in a method
                    stmt = an.parent
                    if isinstance(stmt, nodes.Assign | nodes.AnnAssign) and stmt.value is not None:
                        found.append((rel, stmt.value, ""))
                for stmt in cls.body:
                    target, value = _class_field(stmt)
                    if target != name:
                        continue
                    if value is None:
                        found.append((rel, None, f"field {name!r} without a default"))
                    elif isinstance(value, nodes.Call) and _callee_name(value) == "field":
                        d = _kw(value, "default")
                        found.append((rel, d, f"field {name!r} without a default"))
                    else:
                        found.append((rel, value, ""))
        return found


# -- small helpers ------------------------------------------------------------------------------
def _kw(call: nodes.Call, name: str) -> nodes.NodeNG | None:
    for kw in call.keywords or ():
        if kw.arg == name:
            return kw.value
    return None


def _callee_name(call: nodes.Call) -> str:
    f = call.func
    return f.name if isinstance(f, nodes.Name) else getattr(f, "attrname", "")


def _dest(call: nodes.Call) -> str | None:
    dest = _kw(call, "dest")
    if isinstance(dest, nodes.Const) and isinstance(dest.value, str):
        return dest.value
    flags = [a.value for a in call.args if isinstance(a, nodes.Const) and isinstance(a.value, str)]
    longs = [f for f in flags if f.startswith("--")]
    if longs:
        return longs[0][2:].replace("-", "_")
    if flags and not flags[0].startswith("-"):
        return flags[0]
    if flags:
        return flags[0].lstrip("-").replace("-", "_")
    return None


def _click_dest(call: nodes.Call) -> str | None:
    """Parameter name of ``@click.option("--model-name", "-m")`` / ``@click.option("--model", "name")``."""
    flags = [a.value for a in call.args if isinstance(a, nodes.Const) and isinstance(a.value, str)]
    plain = [f for f in flags if not f.startswith("-")]
    if plain:
        return plain[0]
    longs = [f for f in flags if f.startswith("--")] or flags
    return longs[0].lstrip("-").replace("-", "_").split("/")[0] if longs else None


def _class_field(stmt: nodes.NodeNG) -> tuple[str | None, nodes.NodeNG | None]:
    if isinstance(stmt, nodes.AnnAssign) and isinstance(stmt.target, nodes.AssignName):
        return stmt.target.name, stmt.value
    if isinstance(stmt, nodes.Assign) and len(stmt.targets) == 1:
        t = stmt.targets[0]
        if isinstance(t, nodes.AssignName):
            return t.name, stmt.value
    return None, None


def _as_text(v: V) -> V:
    if v.kind == CONST and isinstance(v.value, int | float) and not isinstance(v.value, bool):
        return V(STR, str(v.value), weak=v.weak)
    if v.kind == STR:
        return v
    if v.kind == PATH:
        return v
    return _unknown(v.reason or "a value that is not a string")


def _product(parts: list[list[V]], join, reason: str) -> list[V]:  # type: ignore[no-untyped-def]
    out: list[V] = []
    for combo in itertools.islice(itertools.product(*parts), MAX_VALUES):
        if any(v.kind == PATH for v in combo):
            out.append(V(PATH, None))
        elif all(v.kind == STR for v in combo):
            out.append(V(STR, join([str(v.value) for v in combo]), weak=any(v.weak for v in combo)))
        else:
            out.append(_unknown(reason))
    return out


def _dedupe(values: list[V]) -> list[V]:
    seen = set()
    out = []
    for v in values:
        key = (v.kind, repr(v.value), v.reason)
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


__all__ = ["V", "Values", "Budget", "STR", "PATH", "CONST", "OBJ", "UNKNOWN"]

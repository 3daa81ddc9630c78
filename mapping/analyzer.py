"""Find the calls of a repository that load pre-trained models, and the identifiers they load.

For every call in a candidate file, :mod:`mapping.objects` resolves what the callee is; a callee whose
qualified name matches a loader of ``signatures.yaml`` is a load site. Its identifier argument is then
evaluated with :mod:`mapping.values` and classified (hub id, local path, placeholder, ...).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext

from astroid import nodes

from mapping.identifiers import classify_hub_id, classify_name, split_torchhub_repo, strip_hf_prefix
from mapping.objects import _UNKNOWN, Budget, Ext
from mapping.project import Project
from mapping.records import CallSite
from mapping.sandbox import sandbox
from mapping.signatures import ArgSpec, Condition, Loader
from mapping.values import CONST, OBJ, PATH, STR, UNKNOWN, V, Values

MAX_COMBINATIONS = 32
_VALID = {
    "timm": re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)?"),
    "torchvision": re.compile(r"[a-z][a-z0-9_]*"),
    "torchaudio": re.compile(r"[A-Z][A-Z0-9_]*"),
    "torchtext": re.compile(r"[A-Z][A-Z0-9_]*"),
    "openai_clip": re.compile(r"RN50|RN101|RN50x\d+|ViT-[BLHg]/\d+(@\d+px)?"),
    "open_clip": re.compile(r"[A-Za-z0-9][\w.\-@/]*"),
}
_NOT_BUILDERS = {"get_weight", "get_model_weights", "get_model_builder", "list_models", "get_model"}
FileGuard = Callable[[str], AbstractContextManager[object]]


class Analyzer:
    """Runs the mapping on one :class:`Project`."""

    def __init__(self, project: Project, max_steps: int = 20_000) -> None:
        self.p = project
        self.sig = project.sig
        self.v = Values(project, max_steps)
        self._wrapper_classes: set[str] = set()
        self.trigger = re.compile(
            r"\b(" + "|".join(sorted(map(re.escape, self.sig.trigger_words), key=len, reverse=True)) + r")\b"
        )
        self._import_rx = re.compile(r"^\s*(?:import|from)\s+([A-Za-z_]\w*)", re.M)

    # -- file selection ------------------------------------------------------------------------
    def is_candidate(self, rel: str) -> bool:
        text = self.p.text(rel)
        if not text:
            return False
        if self.trigger.search(text):
            return True
        return any(self.sig.is_package(m) for m in self._import_rx.findall(text))

    def analyse(self, guard: FileGuard | None = None) -> list[CallSite]:
        """All load call sites of the project. ``guard(rel)`` wraps each file (timeouts)."""
        guard = guard or (lambda rel: nullcontext())
        records: list[CallSite] = []
        with sandbox(self.p.astroid_provider):
            todo = [r for r in self.p.files if self.is_candidate(r)]
            done: set[str] = set()
            for _ in range(3):  # a second round follows classes that subclass library classes
                for rel in todo:
                    done.add(rel)
                    records += self._guarded(rel, guard)
                known = set(self._wrapper_classes)
                todo = sorted({r for name in known for r in self.p.files_mentioning(name)} - done)
                if not todo:
                    break
        return _dedupe(records)

    def _guarded(self, rel: str, guard: FileGuard) -> list[CallSite]:
        result: list[CallSite] = []
        try:
            with guard(rel):  # the guard may suppress its own timeout exception
                result = self.analyse_file(rel)
        except (Budget, RecursionError) as exc:
            self.p.fail(rel, "files_over_budget", f"over the analysis budget ({type(exc).__name__})")
        return result

    def analyse_file(self, rel: str) -> list[CallSite]:
        module = self.p.module(rel)
        if module is None:
            return []
        self.p.stats["files_analysed"] += 1
        out: list[CallSite] = []
        for cls in module.nodes_of_class(nodes.ClassDef):
            self.v.reset_budget()
            try:
                if any(self.sig.is_library_module(q) for q in self.v.external_bases(cls, 0)):
                    self._wrapper_classes.add(cls.name)
            except (Budget, RecursionError):
                continue
        for call in module.nodes_of_class(nodes.Call):
            self.v.reset_budget()
            try:
                out += self.analyse_call(rel, call)
            except Budget:
                self.p.stats["calls_over_budget"] += 1
            except RecursionError:
                self.p.stats["calls_too_deep"] += 1
        return out

    # -- one call ------------------------------------------------------------------------------
    def loaders_of(self, call: nodes.Call) -> list[tuple[str, Loader]]:
        """(qualified callee, loader) pairs for the library loaders ``call`` may invoke."""
        found: list[tuple[str, Loader]] = []
        for item in self.v.objects(call.func):
            o = item.obj
            names: list[str] = []
            if isinstance(o, Ext):
                names = [o.q[: -len(".__init__")] if o.q.endswith(".__init__") else o.q]
            elif isinstance(o, nodes.ClassDef):
                mro = self.v.local_mro(o, 0)
                if not any("__init__" in c.locals for c in mro):
                    names = self.v.external_bases(o, 0)
            for q in names:
                loader = self.sig.match(q)
                if loader is not None and all(ld is not loader for _, ld in found):
                    found.append((q, loader))
        return found

    def analyse_call(self, rel: str, call: nodes.Call) -> list[CallSite]:
        out: list[CallSite] = []
        for q, loader in self.loaders_of(call):
            out += self.records_for(rel, call, q, loader)
        return out

    def records_for(self, rel: str, call: nodes.Call, q: str, loader: Loader) -> list[CallSite]:
        for cond in loader.exclude_if:
            if self.condition(call, cond) is True:
                return []
        required = self.required(call, loader)

        def record(ptm: str | None, reason: str | None, conf: float, argument: str | None) -> CallSite:
            hub = "huggingface" if ptm and loader.hf_prefix and ptm == hf_id else loader.hub
            return CallSite(
                repo=self.p.name,
                path=rel,
                line=self.p.line_of(rel, call.lineno or 0),
                column=call.col_offset or 0,
                library=loader.library,
                call=q.replace("()", ""),
                ptm=ptm,
                resolvable=ptm is not None,
                reason=None if ptm else reason,
                hub=hub,
                argument=argument,
                confidence=round(conf, 2),
            )

        hf_id: str | None = None
        # identifier values
        argument: str | None = None
        if loader.id_from_call is not None:
            parts = q.replace("()", "").split(".")
            idx = loader.id_from_call
            if not -len(parts) <= idx < len(parts):
                return []
            name = parts[idx]
            if loader.library == "torchvision" and name in _NOT_BUILDERS:
                return []
            id_values = [V(STR, name)]
            if name in {"__dict__[]", "?"}:  # models.__dict__[args.arch](...), getattr(models, name)(...)
                key = self.dynamic_member(call.func)
                if key is None:
                    return [record(None, "member name known only at run time", 1.0, None)]
                argument = key.as_string()[:300]
                id_values = [v for v in self.v.values(key) if v.kind != STR or v.value not in _NOT_BUILDERS]
        elif loader.id is not None:
            expr = find_arg(call, loader.id, self.v)
            if expr is None:
                if loader.id.has_default:
                    id_values = [V(STR, str(loader.id.default))]
                elif loader.missing == "ignore":
                    return []
                else:
                    if required is False:
                        return []
                    return [record(None, loader.missing or "identifier argument not given", 1.0, None)]
            elif expr is _UNKNOWN:
                id_values = [V(UNKNOWN, reason="identifier passed through *args/**kwargs")]
            else:
                argument = expr.as_string()[:300]  # type: ignore[attr-defined]  # a node: not None, not _UNKNOWN
                id_values = self.v.values(expr)
        else:
            id_values = [V(STR, "")]
        named: list[tuple[str, list[V]]] = []
        for name, spec in loader.args:
            expr = find_arg(call, spec, self.v)
            if expr is None:
                vals = [V(STR, str(spec.default))] if spec.has_default else [V(CONST, None)]
            elif expr is _UNKNOWN:
                vals = [V(UNKNOWN, reason="argument passed through *args/**kwargs")]
            else:
                vals = self.v.values(expr)
                if argument is None:
                    argument = expr.as_string()[:300]  # type: ignore[attr-defined]
            named.append((name, vals))

        found: dict[str, float] = {}
        reasons: list[str] = []
        combos = itertools.islice(itertools.product(id_values, *(v for _, v in named)), MAX_COMBINATIONS)
        for combo in combos:
            idv, rest = combo[0], combo[1:]
            conf = 0.8 if any(v.weak for v in combo) else 1.0
            if idv.kind == STR and loader.hf_prefix and strip_hf_prefix(str(idv.value)) is not None:
                ptm, reason = classify_hub_id(str(idv.value), self.p.local_dirs)
                if ptm:
                    hf_id = ptm
                    found[ptm] = max(found.get(ptm, 0), conf)
                elif reason:
                    reasons.append(reason)
                continue
            if loader.hf_only:
                continue
            if required is False:
                continue
            if required is None:
                conf *= 0.6
            ptm, reason = self.identifier(loader, idv, dict(zip([n for n, _ in named], rest, strict=True)))
            if ptm:
                found[ptm] = max(found.get(ptm, 0), conf)
            elif reason:
                reasons.append(reason)
        if found:
            return [record(ptm, None, conf, argument) for ptm, conf in found.items()]
        if not reasons:
            return []
        return [record(None, "; ".join(dict.fromkeys(reasons)), 1.0, argument)]

    def dynamic_member(self, func: nodes.NodeNG) -> nodes.NodeNG | None:
        """The key expression of ``module.__dict__[key]`` / ``getattr(module, key)`` (directly or via a name)."""
        exprs = [func]
        if isinstance(func, nodes.Name):
            exprs = [
                b.parent.value
                for b in self.v.lookup(func, func.name)
                if isinstance(b, nodes.AssignName) and isinstance(b.parent, nodes.Assign)
            ]
        for e in exprs:
            if isinstance(e, nodes.Subscript):
                return e.slice
            if isinstance(e, nodes.Call) and isinstance(e.func, nodes.Name) and e.func.name == "getattr":
                if len(e.args) >= 2:
                    return e.args[1]
        return None

    # -- identifiers ---------------------------------------------------------------------------
    def identifier(self, loader: Loader, idv: V, args: dict[str, V]) -> tuple[str | None, str | None]:
        fields: dict[str, str] = {}
        for name, v in (("id", idv), *args.items()):
            if loader.id is None and loader.id_from_call is None and name == "id":
                continue
            text, reason = self._field(loader, name, v)
            if text is None:
                return None, reason
            fields[name] = text
        try:
            return loader.format.format(**fields), None
        except (KeyError, IndexError, ValueError):
            return None, "identifier template does not apply"

    def _field(self, loader: Loader, name: str, v: V) -> tuple[str | None, str | None]:
        if v.kind == PATH:
            return None, "local path"
        if v.kind == UNKNOWN:
            return None, v.reason or "value known only at run time"
        if v.kind == CONST:
            return None, "no identifier (None)" if v.value is None else "identifier is not a string"
        if v.kind == OBJ:
            return None, "identifier is an object, not a name"
        s = str(v.value)
        if loader.kind == "torchhub":
            if name == "repo":
                return split_torchhub_repo(s, self.p.local_dirs)
            if re.fullmatch(r"[A-Za-z0-9_][\w.\-]*", s.strip()) and s.strip() not in {"model", "name"}:
                return s.strip(), None
            return None, "not a torch.hub entry point"
        if loader.kind == "hub":
            return classify_hub_id(s, self.p.local_dirs)
        valid = _VALID.get(loader.hub)
        if loader.hub == "spacy":
            lib = self.sig.library(loader.library)
            if lib.is_package(s) or re.fullmatch(r"[a-z]{2}|xx", s):
                return s, None
            ptm, reason = classify_name(s, None, self.p.local_dirs)
            return None, reason if not ptm else "not a known spaCy package (a local pipeline?)"
        if name != "id" and loader.hub == "open_clip":
            valid = re.compile(r"[A-Za-z0-9][\w.\-]*")
        return classify_name(s, valid, self.p.local_dirs)

    # -- conditions ----------------------------------------------------------------------------
    def required(self, call: nodes.Call, loader: Loader) -> bool | None:
        if not loader.require_any:
            return True
        states = [self.condition(call, c) for c in loader.require_any]
        if any(s is True for s in states):
            return True
        if all(s is False for s in states):
            return False
        return None

    def condition(self, call: nodes.Call, cond: Condition) -> bool | None:
        expr = find_arg(call, cond.arg, self.v)
        if expr is None:
            if not cond.arg.has_default:
                return False
            values = [V(STR, cond.arg.default) if isinstance(cond.arg.default, str) else V(CONST, None)]
        elif expr is _UNKNOWN:
            return None
        else:
            values = self.v.values(expr)
        if not values:
            return None
        states: list[bool | None] = []
        for v in values:
            if cond.truthy:
                states.append(_truthy(v))
            elif v.kind in (STR, CONST):
                states.append(v.value in cond.values)
            elif v.kind == OBJ:
                states.append(None in cond.values and False)
            else:
                states.append(None)
        if cond.truthy:
            if any(s is True for s in states):
                return True
            return False if all(s is False for s in states) else None
        if all(s is True for s in states):
            return True
        return False if all(s is False for s in states) else None


def _truthy(v: V) -> bool | None:
    if v.kind == STR:
        return bool(v.value) and str(v.value).strip().lower() not in {"none", "false", "0", "no"}
    if v.kind == CONST:
        return bool(v.value)
    if v.kind in (OBJ, PATH):
        return True
    return None


def find_arg(call: nodes.Call, spec: ArgSpec, v: Values | None = None) -> object:
    """The argument expression for ``spec`` (None: absent; ``_UNKNOWN``: hidden in *args/**kwargs)."""
    for kw in call.keywords or ():
        if kw.arg is not None and kw.arg in spec.keywords:
            return kw.value
    if spec.position is not None:
        for i, a in enumerate(call.args):
            if isinstance(a, nodes.Starred):
                return _UNKNOWN
            if i == spec.position:
                return a
    for kw in call.keywords or ():
        if kw.arg is None:
            dicts = [kw.value] if isinstance(kw.value, nodes.Dict) else v.containers(kw.value, 0) if v else []
            for d in dicts:
                for key in spec.keywords:
                    entries = (
                        v.entries(d, key)
                        if v
                        else [val for k, val in d.items if isinstance(k, nodes.Const) and k.value == key]
                    )
                    if entries:
                        return entries[0]
            return _UNKNOWN
    return None


def _dedupe(records: list[CallSite]) -> list[CallSite]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for r in sorted(records, key=CallSite.sort_key):
        key = (r.path, r.line, r.column, r.library, r.ptm, r.reason)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def iter_records(project: Project, guard: FileGuard | None = None) -> Iterator[CallSite]:
    yield from Analyzer(project).analyse(guard)

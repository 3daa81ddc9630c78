"""Load and validate mapping/signatures.yaml: which calls load pre-trained models.

The YAML file is the single source of truth; this module only turns it into typed objects and an
index that answers "which loader, if any, does this qualified callee name match?".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).with_name("signatures.yaml")
KINDS = {"hub", "name", "torchhub"}
HUBS = {
    "huggingface",
    "pytorch_hub",
    "torchvision",
    "timm",
    "spacy",
    "open_clip",
    "openai_clip",
    "torchaudio",
    "torchtext",
    "other",
}
_MISSING = object()


class SignatureError(ValueError):
    """The signatures file is malformed; the message names the offending entry."""


@dataclass(frozen=True)
class ArgSpec:
    """Where an argument sits in a call: a position, one or more keywords, a default."""

    position: int | None = None
    keywords: tuple[str, ...] = ()
    default: Any = _MISSING

    @property
    def has_default(self) -> bool:
        return self.default is not _MISSING


@dataclass(frozen=True)
class Condition:
    """An argument test: truthy, or value in a set."""

    arg: ArgSpec
    truthy: bool = False
    values: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Loader:
    """One loading callable (or family of callables) of a library."""

    library: str
    hub: str
    patterns: tuple[str, ...]
    id: ArgSpec | None = None
    id_from_call: int | None = None
    args: tuple[tuple[str, ArgSpec], ...] = ()
    format: str = "{id}"
    kind: str = "hub"
    hf_prefix: bool = False
    hf_only: bool = False
    require_any: tuple[Condition, ...] = ()
    exclude_if: tuple[Condition, ...] = ()
    extra_ids: tuple[ArgSpec, ...] = ()
    missing: str | None = None
    regexes: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    def matches(self, qualname: str) -> bool:
        return any(rx.fullmatch(qualname) for rx in self.regexes)


@dataclass(frozen=True)
class Library:
    name: str
    imports: tuple[str, ...]
    hub: str
    packages: frozenset[str]
    package_pattern: re.Pattern[str] | None
    loaders: tuple[Loader, ...]

    def is_package(self, name: str) -> bool:
        return name in self.packages or bool(self.package_pattern and self.package_pattern.fullmatch(name))


@dataclass(frozen=True)
class Signatures:
    """All libraries plus lookup helpers used by the analyzer."""

    libraries: tuple[Library, ...]

    @property
    def loaders(self) -> tuple[Loader, ...]:
        return tuple(ld for lib in self.libraries for ld in lib.loaders)

    @property
    def import_names(self) -> frozenset[str]:
        return frozenset(n for lib in self.libraries for n in lib.imports)

    def is_library_module(self, modname: str) -> bool:
        """True when a module name belongs to a known library (or is a model package)."""
        top = modname.split(".", 1)[0]
        return top in self.import_names or self.is_package(top)

    def is_package(self, name: str) -> bool:
        return any(lib.is_package(name) for lib in self.libraries)

    def match(self, qualname: str) -> Loader | None:
        """The first loader whose pattern matches ``qualname`` (file order decides ties)."""
        for loader in self.loaders:
            if loader.matches(qualname):
                if "<package>" in "".join(loader.patterns):
                    top = qualname.split(".", 1)[0]
                    lib = self.library(loader.library)
                    if not lib.is_package(top):
                        continue
                return loader
        return None

    def library(self, name: str) -> Library:
        for lib in self.libraries:
            if lib.name == name:
                return lib
        raise KeyError(name)

    @property
    def trigger_words(self) -> frozenset[str]:
        """Words whose presence makes a file worth parsing (import names and model packages)."""
        words = set(self.import_names)
        for lib in self.libraries:
            words.update(lib.packages)
        return frozenset(words)

    @property
    def package_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(lib.package_pattern for lib in self.libraries if lib.package_pattern)


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    out = []
    for part in re.split(r"(\*\*|\*|<package>)", pattern):
        if part == "**":
            out.append(".*")
        elif part == "*":
            out.append(r"[^()]*")
        elif part == "<package>":
            out.append(r"[A-Za-z_][A-Za-z0-9_]*")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out))


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,)


def _argspec(raw: Any, where: str) -> ArgSpec:
    if not isinstance(raw, dict):
        raise SignatureError(f"{where}: an argument must be a mapping with position and/or keyword")
    unknown = set(raw) - {"position", "keyword", "default", "truthy", "in"}
    if unknown:
        raise SignatureError(f"{where}: unknown argument keys {sorted(unknown)}")
    position = raw.get("position")
    if position is not None and (not isinstance(position, int) or position < 0):
        raise SignatureError(f"{where}: position must be a non-negative integer")
    keywords = tuple(str(k) for k in _as_tuple(raw.get("keyword")))
    if position is None and not keywords:
        raise SignatureError(f"{where}: an argument needs a position or a keyword")
    return ArgSpec(position=position, keywords=keywords, default=raw.get("default", _MISSING))


def _condition(raw: Any, where: str) -> Condition:
    spec = _argspec(raw, where)
    values = _as_tuple(raw.get("in")) if "in" in raw else ()
    truthy = bool(raw.get("truthy", False))
    if not truthy and "in" not in raw:
        raise SignatureError(f"{where}: a condition needs truthy: true or in: [...]")
    return Condition(arg=spec, truthy=truthy, values=values)


_LOADER_KEYS = {
    "call",
    "id",
    "id_from_call",
    "args",
    "format",
    "kind",
    "hf_prefix",
    "hf_only",
    "require_any",
    "exclude_if",
    "extra_ids",
    "missing",
}


def _loader(raw: Any, lib: str, hub: str, where: str) -> Loader:
    if not isinstance(raw, dict):
        raise SignatureError(f"{where}: a loader must be a mapping")
    unknown = set(raw) - _LOADER_KEYS
    if unknown:
        raise SignatureError(f"{where}: unknown loader keys {sorted(unknown)}")
    patterns = tuple(str(p) for p in _as_tuple(raw.get("call")))
    if not patterns:
        raise SignatureError(f"{where}: call: needs at least one qualified-name pattern")
    ident = _argspec(raw["id"], f"{where}.id") if "id" in raw else None
    from_call = raw.get("id_from_call")
    args = tuple((str(k), _argspec(v, f"{where}.args.{k}")) for k, v in (raw.get("args") or {}).items())
    if ident is None and from_call is None and not args:
        raise SignatureError(f"{where}: give id, id_from_call or args")
    fmt = str(raw.get("format", "{id}" if (ident or from_call is not None) else ""))
    names = set(re.findall(r"{(\w+)}", fmt))
    known = {name for name, _ in args} | ({"id"} if (ident or from_call is not None) else set())
    if not names or names - known:
        raise SignatureError(f"{where}: format {fmt!r} uses unknown fields {sorted(names - known)}")
    kind = str(raw.get("kind", "hub"))
    if kind not in KINDS:
        raise SignatureError(f"{where}: kind must be one of {sorted(KINDS)}")
    return Loader(
        library=lib,
        hub=hub,
        patterns=patterns,
        id=ident,
        id_from_call=from_call,
        args=args,
        format=fmt,
        kind=kind,
        hf_prefix=bool(raw.get("hf_prefix", False)),
        hf_only=bool(raw.get("hf_only", False)),
        require_any=tuple(
            _condition(c, f"{where}.require_any[{i}]") for i, c in enumerate(raw.get("require_any") or [])
        ),
        exclude_if=tuple(_condition(c, f"{where}.exclude_if[{i}]") for i, c in enumerate(raw.get("exclude_if") or [])),
        extra_ids=tuple(_argspec(a, f"{where}.extra_ids[{i}]") for i, a in enumerate(raw.get("extra_ids") or [])),
        missing=raw.get("missing"),
        regexes=tuple(_pattern_regex(p) for p in patterns),
    )


def parse_signatures(data: Any, source: str = "signatures") -> Signatures:
    """Validate the parsed YAML document and build :class:`Signatures`."""
    if not isinstance(data, dict) or not isinstance(data.get("libraries"), list):
        raise SignatureError(f"{source}: expected a mapping with a 'libraries' list")
    libs: list[Library] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["libraries"]):
        where = f"{source}: libraries[{i}]"
        if not isinstance(raw, dict) or not raw.get("name"):
            raise SignatureError(f"{where}: every library needs a name")
        name = str(raw["name"])
        where = f"{source}: library {name!r}"
        if name in seen:
            raise SignatureError(f"{where}: defined twice")
        seen.add(name)
        imports = tuple(str(x) for x in _as_tuple(raw.get("imports")))
        if not imports:
            raise SignatureError(f"{where}: imports: must list at least one import name")
        hub = str(raw.get("hub", "huggingface"))
        if hub not in HUBS:
            raise SignatureError(f"{where}: hub must be one of {sorted(HUBS)}")
        loaders_raw = raw.get("loaders")
        if not isinstance(loaders_raw, list) or not loaders_raw:
            raise SignatureError(f"{where}: loaders: must be a non-empty list")
        pattern = raw.get("package_pattern")
        try:
            package_rx = re.compile(pattern) if pattern else None
        except re.error as exc:
            raise SignatureError(f"{where}: package_pattern is not a regular expression: {exc}") from exc
        libs.append(
            Library(
                name=name,
                imports=imports,
                hub=hub,
                packages=frozenset(str(p) for p in raw.get("packages") or ()),
                package_pattern=package_rx,
                loaders=tuple(_loader(ld, name, hub, f"{where} loaders[{j}]") for j, ld in enumerate(loaders_raw)),
            )
        )
    return Signatures(libraries=tuple(libs))


def load_signatures(path: str | Path | None = None) -> Signatures:
    """Read and validate a signatures YAML file (the packaged one by default)."""
    p = Path(path) if path else DEFAULT_PATH
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SignatureError(f"{p}: not valid YAML: {exc}") from exc
    return parse_signatures(data, str(p))


@lru_cache(maxsize=4)
def default_signatures() -> Signatures:
    return load_signatures(DEFAULT_PATH)

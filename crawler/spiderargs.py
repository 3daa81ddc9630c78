"""Spider arguments (``-a name=value``), declared once per spider and checked before the first request.

Every spider has an ``arguments`` class attribute: an :class:`ArgSpec` listing its arguments with a type or choices
and a one-line help. ``scrapy crawl`` (crawler/commands/crawl.py) checks the given arguments against it before the
crawler starts, so a misspelt name (``-a limt=5``) or a bad value (``-a sort=bogus``) ends in one line naming the
argument, what is wrong and what is allowed, instead of a full crawl or a traceback; ``-a help=1`` prints the spec.
Spiders convert their string arguments with the conversions below; the spec decides whether a value is acceptable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

HELP_ARG = "help"
NO_VALUES = ("0", "false", "no", "off")
FLAG_VALUES = ("1", "true", "yes", "on", *NO_VALUES)


class ArgumentError(ValueError):
    """A spider argument that cannot be used; the message is the whole one-line explanation."""


@dataclass(frozen=True)
class Arg:
    """One ``-a name=value`` argument: ``check`` raises ValueError(why) for a bad value; ``allowed`` says what is."""

    name: str
    help: str
    allowed: str = "any text"
    check: Callable[[str], object] | None = None


@dataclass(frozen=True)
class ArgSpec:
    args: tuple[Arg, ...]
    # Groups of which at least one argument must be given (github_repos: repos or repos_file).
    one_of: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [a.name for a in self.args]

    def check(self, spider: str, given: Mapping[str, str]) -> None:
        """Raise ArgumentError for the first unknown name, bad value or missing required group."""
        by_name = {a.name: a for a in self.args}
        for name, value in given.items():
            arg = by_name.get(name)
            if arg is None:
                valid = ", ".join(self.names) or "none"
                raise ArgumentError(
                    f"{spider}: unknown argument -a {name} (valid: {valid}; -a {HELP_ARG}=1 describes them)"
                )
            if arg.check is not None:
                try:
                    arg.check(value)
                except (ValueError, OSError) as exc:
                    raise ArgumentError(
                        f"{spider}: -a {name}={value!r} is invalid: {exc} (allowed: {arg.allowed})"
                    ) from None
        for group in self.one_of:
            if not any(given.get(name) for name in group):
                raise ArgumentError(f"{spider}: give one of " + ", ".join(f"-a {name}=..." for name in group))

    def describe(self, spider: str) -> str:
        """The text ``scrapy crawl SPIDER -a help=1`` prints."""
        width = max((len(a.name) for a in self.args), default=0)
        lines = [f"Arguments of {spider} (-a name=value):"]
        lines += [f"  {a.name:<{width}}  {a.help} [{a.allowed}]" for a in self.args]
        for group in self.one_of:
            lines.append("  one of " + ", ".join(group) + " is required")
        return "\n".join(lines) + "\n"


def spec_of(spidercls: type) -> ArgSpec:
    """The spider's declared arguments (a spider without a spec takes none)."""
    spec = getattr(spidercls, "arguments", None)
    return spec if isinstance(spec, ArgSpec) else ArgSpec(())


# --- conversions the spiders use (the spec's checks below decide what is accepted) --------------------------------


def flag(value: str | None, default: bool) -> bool:
    """A yes/no spider argument: ``0``, ``false``, ``no``, ``off`` and empty are no; absent is ``default``."""
    if value is None:
        return default
    return value.strip().lower() not in (*NO_VALUES, "")


def csv(value: str | None, sep: str = ",") -> list[str]:
    """A list spider argument: stripped, non-empty entries."""
    return [v.strip() for v in (value or "").split(sep) if v.strip()]


# --- value checks (each raises ValueError with the reason) -----------------------------------------------------


def integer(minimum: int) -> Callable[[str], int]:
    def check(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise ValueError("not a whole number") from None
        if number < minimum:
            raise ValueError(f"less than {minimum}")
        return number

    return check


def choice(*values: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        if value not in values:
            raise ValueError("not a known value")
        return value

    return check


def yes_no(value: str) -> bool:
    if value.strip().lower() not in FLAG_VALUES:
        raise ValueError("not a yes/no value")
    return value.strip().lower() not in NO_VALUES


def nonempty(value: str) -> str:
    if not value.strip():
        raise ValueError("empty")
    return value


def comma_list(value: str) -> list[str]:
    """Comma-separated names or fnmatch patterns: at least one, no empty entries (``a,,b`` is a typo)."""
    items = [v.strip() for v in value.split(",")]
    if not any(items):
        raise ValueError("empty")
    if not all(items):
        raise ValueError("an empty entry between commas")
    return items


def full_name(value: str) -> str:
    owner, _, name = value.strip().partition("/")
    if not owner or not name or "/" in name:
        raise ValueError("not owner/name")
    return value


def readable_file(value: str) -> Path:
    path = Path(value)
    if not path.is_file():
        raise ValueError("no such file")
    with path.open("rb"):
        pass
    return path


def writable_file(value: str) -> Path:
    path = Path(value)
    if path.is_dir():
        raise ValueError("a folder, not a file")
    if not path.parent.is_dir():
        raise ValueError(f"folder {str(path.parent)!r} does not exist")
    return path


# Shared allowed-value wordings, so every spider says the same thing for the same kind of value.
FLAG = "1/0, true/false, yes/no, on/off"
COMMA_LIST = "comma-separated, no empty entries"

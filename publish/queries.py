"""The researchers' canned queries (``queries.sql`` beside this module) for Datasette."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

QUERIES = Path(__file__).with_name("queries.sql")


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    description: str
    sql: str  # without the terminating ';'


@cache
def canned_queries() -> tuple[Query, ...]:
    """Every query of ``queries.sql``, in file order."""
    return tuple(parse_queries(QUERIES.read_text(encoding="utf-8")))


def parse_queries(text: str) -> list[Query]:
    """``-- name:`` blocks: an optional ``-- title:``, comment lines (the description), SQL up to a ``;``."""
    out: list[Query] = []
    name = title = ""
    notes: list[str] = []
    sql: list[str] = []
    for line in text.splitlines():
        if line.startswith("-- name:"):
            name, title, notes, sql = line.split(":", 1)[1].strip(), "", [], []
        elif not name:
            continue
        elif line.startswith("-- title:") and not sql:
            title = line.split(":", 1)[1].strip()
        elif line.startswith("--") and not sql:
            notes.append(line[2:].strip())
        elif line.strip() or sql:
            sql.append(line)
            if line.rstrip().endswith(";"):
                statement = "\n".join(sql).rstrip().rstrip(";").rstrip()
                out.append(Query(name, title or name.replace("_", " ").capitalize(), " ".join(notes), statement))
                name = ""
    return out

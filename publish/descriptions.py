"""Table and column descriptions for the published metadata (Croissant, dataset card, Datasette).

They come from ``descriptions.json`` beside this module, generated from two sources and checked in (so a user's
export needs neither ``../shared`` nor a Markdown parser at run time):

- the 76 PeaTMOSS tables: the schema reference (``reference/peatmoss-schema.md``, section 4: each table's first
  paragraph and each column's "meaning / source" cell);
- our tables and trailing columns: the comments above each ``Table(...)`` / ``append_column`` and beside each
  ``Column(...)`` in ``crawler/db/*.py``; a table without a comment of its own gets its line of the README's table
  of our tables, else its module's docstring.

Regenerate after a schema change::

    python -m publish.descriptions ../shared/reference/peatmoss-schema.md

A column without a description gets one derived from the schema (key, foreign key) by :func:`column_description`.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import re
import tokenize
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Table

DATA = Path(__file__).with_name("descriptions.json")
REPO = Path(__file__).resolve().parents[1]
DB_SOURCES = REPO / "crawler" / "db"
_HEADING = re.compile(r"^#### \d+\. `(\w+)`")
_README_ROW = re.compile(r"^\| *`(\w+)` *\| *([^|]+?) *\| *$")
_ROW = re.compile(r"^\| *\d+ *\| *`(\w+)` *\|([^|]*)\|([^|]*)\|(.*)\| *$")


@cache
def descriptions() -> dict[str, dict[str, Any]]:
    """``{table: {"description": str, "columns": {column: str}}}`` from the checked-in file."""
    return json.loads(DATA.read_text(encoding="utf-8"))["tables"]


def table_description(table: Table) -> str:
    entry = descriptions().get(table.name) or {}
    return entry.get("description") or f"Table {table.name} of the PeaTMOSS crawler's database."


def column_description(table: Table, column: Column[Any]) -> str:
    """The documented meaning of ``column``, else what the schema says about it (key, reference)."""
    text = ((descriptions().get(table.name) or {}).get("columns") or {}).get(column.name)
    if text:
        return text
    parts = []
    if column.primary_key:
        parts.append("primary key")
    parts += [f"references {fk.target_fullname}" for fk in column.foreign_keys]
    return ("; ".join(parts) or column.name.replace("_", " ")).capitalize()


# --- generation ------------------------------------------------------------------------------------------------


def parse_schema_reference(text: str) -> dict[str, dict[str, Any]]:
    """Section 4 of peatmoss-schema.md: the description of every table and column."""
    out: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    paragraph: list[str] = []
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = out.setdefault(heading.group(1), {"description": "", "columns": {}})
            paragraph = []
            continue
        if current is None:
            continue
        if line.startswith("## "):  # the next section: table descriptions end here
            current = None
            continue
        row = _ROW.match(line)
        if row:
            current["columns"][row.group(1)] = _clean(row.group(4))
        elif line.strip() and not line.startswith("|") and not current["description"]:
            paragraph.append(line.strip())
        elif paragraph and not current["description"]:
            current["description"] = _clean(" ".join(paragraph))
    return out


def parse_our_sources(directory: Path = DB_SOURCES, readme: Path = REPO / "README.md") -> dict[str, dict[str, Any]]:
    """Descriptions of our tables and trailing columns from the comments of ``crawler/db/*.py`` (and the README)."""
    out: dict[str, dict[str, Any]] = {}
    listed = {m.group(1): m.group(2) for m in map(_README_ROW.match, readme.read_text("utf-8").splitlines()) if m}
    for path in sorted(directory.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        module = ast.parse(source)
        lines = source.splitlines()
        comments = _comments_by_line(source)
        docstring = (ast.get_docstring(module) or "").split("\n\n")[0].replace("\n", " ")
        for node in ast.walk(module):
            if not isinstance(node, ast.Call):
                continue
            name = _call_name(node)
            if name == "Table" and node.args and isinstance(node.args[0], ast.Constant):
                table_name = str(node.args[0].value)
                entry = out.setdefault(table_name, {"description": "", "columns": {}})
                entry["description"] = (
                    _comment_above(lines, comments, node.lineno) or _sentence(listed.get(table_name, "")) or docstring
                )
                for arg in node.args:
                    if isinstance(arg, ast.Call) and _call_name(arg) == "Column":
                        _add_column(entry, arg, comments)
            elif name == "append_column" and isinstance(node.func, ast.Attribute):
                target = node.func.value
                column = node.args[0] if node.args else None
                if isinstance(target, ast.Name) and isinstance(column, ast.Call):
                    entry = out.setdefault(target.id, {"description": "", "columns": {}})
                    _add_column(entry, column, comments, _comment_above(lines, comments, node.lineno))
    return out


def generate(schema_reference: Path, directory: Path = DB_SOURCES) -> dict[str, Any]:
    """Both sources merged: the reference for PeaTMOSS tables, source comments for what we added."""
    tables = parse_schema_reference(schema_reference.read_text(encoding="utf-8"))
    for name, ours in parse_our_sources(directory).items():
        entry = tables.setdefault(name, {"description": "", "columns": {}})
        entry["description"] = entry["description"] or ours["description"]
        for column, text in ours["columns"].items():
            if text and not entry["columns"].get(column):
                entry["columns"][column] = text
    for entry in tables.values():
        entry["columns"] = {column: text for column, text in entry["columns"].items() if text}
    return {
        "generated_by": "python -m publish.descriptions " + schema_reference.name,
        "tables": {name: tables[name] for name in sorted(tables)},
    }


def _add_column(entry: dict[str, Any], call: ast.Call, comments: dict[int, str], fallback: str = "") -> None:
    if call.args and isinstance(call.args[0], ast.Constant):
        entry["columns"][call.args[0].value] = comments.get(call.lineno) or fallback


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _comments_by_line(source: str) -> dict[int, str]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {tok.start[0]: tok.string.lstrip("#").strip() for tok in tokens if tok.type == tokenize.COMMENT}


def _comment_above(lines: list[str], comments: dict[int, str], lineno: int) -> str:
    """The block of whole-line comments right above line ``lineno`` (1-based), joined."""
    block: list[str] = []
    number = lineno - 1
    while number >= 1 and lines[number - 1].lstrip().startswith("#"):
        block.insert(0, comments.get(number, ""))
        number -= 1
    return _clean(" ".join(block))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "." if text else ""


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Regenerate publish/descriptions.json")
    parser.add_argument("schema_reference", type=Path, help="path of reference/peatmoss-schema.md")
    args = parser.parse_args(argv)
    DATA.write_text(json.dumps(generate(args.schema_reference), indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {DATA}")


if __name__ == "__main__":
    main()

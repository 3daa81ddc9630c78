"""The database built by open_engine matches the PeaTMOSS reference schema and runs researchers' queries."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, insert, select

from crawler.db import metadata, table
from crawler.db.engine import DEFAULT_DATABASE_URL, database_url, forget_engine, open_engine
from crawler.db.migrate import alembic_config, render_item

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
REFERENCE = SHARED / "reference"


@dataclass
class RefTable:
    number: int
    name: str
    columns: list[tuple[str, str]] = field(default_factory=list)  # (name, declared type)
    pk: set[str] = field(default_factory=set)
    unique: list[frozenset[str]] = field(default_factory=list)
    fks: set[tuple[str, str, str]] = field(default_factory=set)  # (column, table, column)
    autoincrement: bool = False


def _reference_tables() -> list[RefTable]:
    path = REFERENCE / "peatmoss-schema.md"
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared not found")
    text = path.read_text(encoding="utf-8")
    section = text.split("\n## 4.")[1].split("\n## 5.")[0]
    tables = []
    for block in re.split(r"\n(?=#### \d+\. )", section)[1:]:
        head = re.match(r"#### (\d+)\. `(\w+)`", block)
        assert head, block[:80]
        ref = RefTable(int(head.group(1)), head.group(2))
        for _, col, typ, cons in re.findall(r"^\| (\d+) \| `(\w+)` \| (\w+) \| ([^|]*) \|", block, re.M):
            ref.columns.append((col, typ))
            if re.search(r"\bPK\b", cons):
                ref.pk.add(col)
            if "AUTOINCREMENT" in cons:
                ref.autoincrement = True
            if re.search(r"UNIQUE(?!\()", cons):
                ref.unique.append(frozenset([col]))
            for group in re.findall(r"UNIQUE\(([\w,]+)\)", cons):
                if frozenset(group.split(",")) not in ref.unique:
                    ref.unique.append(frozenset(group.split(",")))
            for fk_table, fk_col in re.findall(r"FK→(\w+)\.(\w+)", cons):
                ref.fks.add((col, fk_table, fk_col))
        tables.append(ref)
    return tables


@pytest.fixture(scope="module")
def reference() -> list[RefTable]:
    tables = _reference_tables()
    assert len(tables) == 76
    return tables


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh SQLite database made by open_engine, in a folder that does not exist yet."""
    path = tmp_path_factory.mktemp("db") / "nested" / "peatmoss.db"
    url = f"sqlite:///{path}"
    open_engine(url)
    yield path
    forget_engine(url)


@pytest.fixture
def sqlite_conn(db_file: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(db_file)
    yield conn
    conn.close()


def test_every_reference_table_has_its_columns_in_order(
    reference: list[RefTable], sqlite_conn: sqlite3.Connection
) -> None:
    for ref in reference:
        info = sqlite_conn.execute(f'PRAGMA table_info("{ref.name}")').fetchall()
        assert info, f"table {ref.name} missing"
        actual = [(row[1], row[2]) for row in info]
        assert actual[: len(ref.columns)] == ref.columns, ref.name
        assert {row[1] for row in info if row[5] > 0} == ref.pk, f"primary key of {ref.name}"


def test_unique_constraints_and_foreign_keys_match_reference(
    reference: list[RefTable], sqlite_conn: sqlite3.Connection
) -> None:
    for ref in reference:
        uniques = set()
        for _, index_name, is_unique, *_ in sqlite_conn.execute(f'PRAGMA index_list("{ref.name}")'):
            if is_unique:
                cols = sqlite_conn.execute(f'PRAGMA index_info("{index_name}")').fetchall()
                uniques.add(frozenset(c[2] for c in cols))
        for group in ref.unique:
            assert group in uniques, f"UNIQUE{tuple(group)} on {ref.name}"
        fks = {(r[3], r[2], r[4]) for r in sqlite_conn.execute(f'PRAGMA foreign_key_list("{ref.name}")')}
        assert ref.fks <= fks, ref.name


def test_hand_written_tables_autoincrement_and_named_constraints(
    reference: list[RefTable], sqlite_conn: sqlite3.Connection
) -> None:
    ddl = dict(sqlite_conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
    for ref in reference:
        assert ("AUTOINCREMENT" in ddl[ref.name]) == ref.autoincrement, ref.name
    assert "CONSTRAINT unique_owner_name UNIQUE (owner, name)" in ddl["reuse_repository"]
    assert "CONSTRAINT unique_path_model_id UNIQUE (path, model_id)" in ddl["reuse_file"]


def test_metadata_defines_reference_tables_first_in_ddl_order(reference: list[RefTable]) -> None:
    assert list(metadata.tables)[:76] == [ref.name for ref in reference]


def _queries() -> list[tuple[str, str]]:
    path = REFERENCE / "peatmoss-queries.sql"
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared not found")
    blocks = re.split(r"^-- name: (\S+)\n", path.read_text(encoding="utf-8"), flags=re.M)
    return list(zip(blocks[1::2], blocks[2::2], strict=True))


def test_researcher_queries_run_unchanged(sqlite_conn: sqlite3.Connection) -> None:
    queries = _queries()
    assert len(queries) >= 6
    for name, sql in queries:
        try:
            assert sqlite_conn.execute(sql).fetchall() == [], name
        except sqlite3.Error as exc:  # pragma: no cover - reported with the query name
            pytest.fail(f"query {name} failed: {exc}")


def test_alembic_head_matches_metadata(db_file: Path) -> None:
    """A table or column added to the metadata without a migration makes this fail."""
    engine = open_engine(f"sqlite:///{db_file}")
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert context.get_current_revision() == head
        assert compare_metadata(context, metadata) == []


def test_autogenerate_renders_custom_type_and_generated_column(tmp_path: Path) -> None:
    """What a new revision would contain for an empty database: importable code for our special columns."""
    engine = create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        ops = produce_migrations(context, metadata).upgrade_ops
        assert ops is not None
        code = render_python_code(ops, render_item=render_item)
    engine.dispose()
    assert "sa.Column('context_id', crawler.db.types.ContextId(), nullable=True)" in code
    assert "sa.Column('name', sa.String(), sa.Computed('title', persisted=True), nullable=True)" in code


def test_model_hub_rows_and_sqlite_settings(sqlite_conn: sqlite3.Connection) -> None:
    assert sqlite_conn.execute("SELECT * FROM model_hub ORDER BY id").fetchall() == [
        (1, "HuggingFace", "https://huggingface.co/"),
        (2, "PyTorch", "https://pytorch.org"),
    ]
    assert sqlite_conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_open_engine_twice_keeps_one_schema_and_two_hubs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    first = open_engine(url)
    assert open_engine(url) is first
    forget_engine(url)
    engine = open_engine(url)  # a new engine: runs the migration step again
    try:
        with engine.connect() as conn:
            assert conn.execute(select(table("model_hub").c.name)).scalars().all() == ["HuggingFace", "PyTorch"]
    finally:
        forget_engine(url)


def test_context_id_round_trips_as_text_and_paper_name_aliases_title(db_file: Path) -> None:
    engine: Engine = open_engine(f"sqlite:///{db_file}")
    model, paper = table("model"), table("paper")
    with engine.connect() as conn:
        conn.execute(insert(model), [{"context_id": "openai/whisper-base"}, {"context_id": "123"}])
        conn.execute(insert(paper).values(title="https://arxiv.org/abs/1810.04805"))
        ids = conn.execute(select(model.c.context_id).order_by(model.c.id)).scalars().all()
        assert ids == ["openai/whisper-base", "123"]
        # the PeaTMOSS quirk: INTEGER affinity stores a numeric-looking id as an integer
        kinds = conn.exec_driver_sql("SELECT typeof(context_id) FROM model ORDER BY id").scalars().all()
        assert kinds == ["text", "integer"]
        assert conn.exec_driver_sql("SELECT name FROM paper").scalar() == "https://arxiv.org/abs/1810.04805"
        conn.rollback()


def test_in_memory_database_is_usable_across_connections() -> None:
    engine = open_engine("sqlite://")
    try:
        with engine.connect() as conn:
            assert conn.execute(select(table("model_hub").c.id)).scalars().all() == [1, 2]
    finally:
        forget_engine("sqlite://")


def test_database_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_url() == DEFAULT_DATABASE_URL
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h:5432/db")
    assert database_url() == "postgresql+psycopg://u@h:5432/db"
    assert database_url("postgresql://x@y/z") == "postgresql+psycopg://x@y/z"
    assert database_url("sqlite:///other.db") == "sqlite:///other.db"

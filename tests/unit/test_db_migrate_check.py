"""Start-up on a current schema costs one query (issue 14); an older or new database is still migrated."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, event, text

from crawler.db.engine import forget_engine, open_engine
from crawler.db.migrate import alembic_config, head_revisions, is_current


def test_head_revisions_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    assert head_revisions() == set(ScriptDirectory.from_config(alembic_config()).get_heads())


def test_open_engine_on_a_current_schema_runs_one_query(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.db'}"
    open_engine(url)
    forget_engine(url)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        engine = open_engine(url)
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert statements == ["SELECT version_num FROM alembic_version"]
    assert is_current(engine)
    forget_engine(url)


def test_new_and_older_databases_are_not_current(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'older.db'}"
    engine = open_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001_initial'"))
    assert not is_current(engine)
    forget_engine(url)
    fresh = open_engine(f"sqlite:///{tmp_path / 'fresh.db'}")  # a new file is migrated: its tables exist
    with fresh.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM model")).scalar_one() == 0
    forget_engine(f"sqlite:///{tmp_path / 'fresh.db'}")

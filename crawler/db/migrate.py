"""Run the packaged Alembic migrations programmatically (no alembic.ini needed).

Also a small command line for developers::

    python -m crawler.db.migrate upgrade [URL]                  # bring a database to head
    python -m crawler.db.migrate revision 0002_mapping mapping  # autogenerate the next revision

``revision`` compares the metadata (every module imported by ``crawler.db``) against a scratch SQLite
database at the current head and writes ``migrations/versions/<rev_id>.py``, formatted with ruff.
Review the result: tables with ``model.context_id``-style dialect quirks may need hand edits.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError

from crawler.db.types import ContextId

if TYPE_CHECKING:  # Alembic is imported only when a migration runs (it costs a crawl's start-up a third of a second)
    from alembic.autogenerate.api import AutogenContext
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(.+)$", re.MULTILINE)
# Arbitrary constant shared by every process that migrates the same PostgreSQL database.
PG_ADVISORY_LOCK_KEY = 0x7EA7_0055


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` pointing at the packaged scripts; ``env.py`` uses ``connection`` if given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("file_template", "%%(rev)s")  # versions/0002_mapping.py
    config.attributes["connection"] = connection
    return config


def head_revisions() -> set[str]:
    """The newest revision(s) of the packaged scripts, read from their ``revision``/``down_revision`` lines (the
    same graph Alembic builds, without importing Alembic and every script)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for name, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            ids = set(re.findall(r"[\"']([^\"']+)[\"']", value))
            (revisions if name == "revision" else parents).update(ids)
    return revisions - parents


def is_current(engine: Engine) -> bool:
    """True when the database is at the head revision: one query, so a crawl on a current schema starts fast."""
    try:
        with engine.connect() as connection:
            stored = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    except DBAPIError:  # no alembic_version table yet: a new database
        return False
    return bool(stored) and stored == head_revisions()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision, serialised against concurrent callers."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PG_ADVISORY_LOCK_KEY})
            connection.commit()
            try:
                _upgrade(connection)
            finally:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_ADVISORY_LOCK_KEY})
                connection.commit()
        elif connection.dialect.name == "sqlite":
            # Take the write lock before Alembic reads the current revision, so a second process waits
            # (busy_timeout) and then finds the schema already at head. SQLite DDL is transactional.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            _upgrade(connection)
        else:
            _upgrade(connection)


def _upgrade(connection: Connection) -> None:
    from alembic import command

    try:
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
    except BaseException:
        connection.rollback()
        raise


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Autogenerate hook: render our column types with an import, so generated revisions import cleanly."""
    if type_ == "type" and isinstance(obj, ContextId):
        autogen_context.imports.add("import crawler.db.types")
        return "crawler.db.types.ContextId()"
    return False


def new_revision(rev_id: str, message: str) -> None:
    """Autogenerate revision ``rev_id`` from the metadata diff against a scratch database at head."""
    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        try:
            upgrade_to_head(engine)
            with engine.connect() as connection:
                config = alembic_config(connection)
                config.set_section_option("post_write_hooks", "hooks", "ruff_format")
                config.set_section_option("post_write_hooks", "ruff_format.type", "exec")
                config.set_section_option("post_write_hooks", "ruff_format.executable", "ruff")
                config.set_section_option("post_write_hooks", "ruff_format.options", "format REVISION_SCRIPT_FILENAME")
                command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        finally:
            engine.dispose()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m crawler.db.migrate", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    up = sub.add_parser("upgrade", help="bring a database to head (default: DATABASE_URL or the SQLite default)")
    up.add_argument("url", nargs="?")
    rev = sub.add_parser("revision", help="autogenerate a new revision from the metadata")
    rev.add_argument("rev_id", help="revision id, e.g. 0002_mapping (also the file name)")
    rev.add_argument("message")
    args = parser.parse_args(argv)
    if args.action == "upgrade":
        from crawler.db.engine import database_url, open_engine

        open_engine(database_url(args.url))
    else:
        new_revision(args.rev_id, args.message)


if __name__ == "__main__":
    main()

"""Run the packaged Alembic migrations programmatically (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Arbitrary constant shared by every process that migrates the same PostgreSQL database.
PG_ADVISORY_LOCK_KEY = 0x7EA7_0055


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` pointing at the packaged scripts; ``env.py`` uses ``connection`` if given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


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
    try:
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
    except BaseException:
        connection.rollback()
        raise

"""Alembic environment for the crawler database.

Normally driven by :func:`crawler.db.migrate.upgrade_to_head`, which passes an open connection in
``config.attributes["connection"]``. Without one (e.g. the ``alembic`` CLI) it connects to the
``sqlalchemy.url`` option or, failing that, to :func:`crawler.db.engine.database_url`.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine

from crawler.db import metadata
from crawler.db.migrate import render_item

config = context.config


def _configure(**kwargs: Any) -> None:
    context.configure(
        target_metadata=metadata,
        render_item=render_item,
        compare_type=True,
        **kwargs,
    )


def _url() -> str:
    from crawler.db.engine import database_url

    return config.get_main_option("sqlalchemy.url") or database_url()


def _run_online(connection: Connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    _run_online(config.attributes["connection"])
else:
    with create_engine(_url()).connect() as conn:
        _run_online(conn)
        conn.commit()

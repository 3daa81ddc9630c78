"""Column types with dialect-specific rendering."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class ContextId(TypeDecorator[str]):
    """``model.context_id``: declared ``INTEGER`` in PeaTMOSS but holding text ids (``openai/whisper-base``).

    SQLite keeps the original ``INTEGER`` declaration (type affinity stores text as text, and a
    numeric-looking id as an integer); PostgreSQL is strict, so there the column is ``VARCHAR``.
    Values always go in and come out as ``str``.
    """

    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(Integer())
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_literal_param(self, value: Any, dialect: Dialect) -> str:
        return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"

    def __repr__(self) -> str:
        return "ContextId()"

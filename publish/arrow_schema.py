"""Arrow types of the exported columns, derived from the SQLAlchemy schema.

The mapping (the dataset card repeats it):

- ``Integer``, ``BigInteger`` -> ``int64``. PeaTMOSS's 0/1 booleans (``has_snapshot``, ``closed``, ``is_draft`` ...)
  stay 0/1 integers, as the database and the researchers' SQL have them.
- ``Float`` -> ``double``.
- ``String``, ``Text`` -> ``string``. Timestamps stay the strings the sources gave (ISO-8601, or ``str(datetime)``
  for HF commits); JSON columns stay JSON text.
- ``ContextId`` (``model.context_id``) -> ``string``: declared ``INTEGER`` in PeaTMOSS, but it holds text ids.

Every column is nullable, as in the database; generated columns (``paper.name``) are exported with their values.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Float, Integer, String, Table, Text

from crawler.db.types import ContextId

# Logical type names: pyarrow types by arrow_schema(), Croissant data types in croissant.py, card features in card.py.
INT, FLOAT, STRING = "int64", "double", "string"


def logical_type(column: Column[Any]) -> str:
    """``int64``, ``double`` or ``string`` for a column of our schema (an unknown type exports as a string)."""
    kind = column.type
    if isinstance(kind, ContextId | String | Text):
        return STRING
    if isinstance(kind, Integer | BigInteger):
        return INT
    if isinstance(kind, Float):
        return FLOAT
    return STRING


def arrow_schema(table: Table) -> Any:
    """The pyarrow schema of ``table``'s Parquet file: its columns in declaration order."""
    import pyarrow as pa

    types = {INT: pa.int64(), FLOAT: pa.float64(), STRING: pa.string()}
    return pa.schema([pa.field(c.name, types[logical_type(c)], nullable=True) for c in table.columns])

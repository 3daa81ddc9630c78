"""The PeaTMOSS model lookups (author, library, license, tag ...) and the one writer of a model's lookup rows.

A lookup is a table of names (``author``, ``tag`` ...) joined to ``model`` by a junction table
(``model_to_author`` ...). Every registry's model writer hands over, per lookup, the names of each model.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection, Table, delete

from crawler.db import schema
from crawler.db.upsert import ensure_names, insert_ignore

# lookup name -> (lookup table, junction table, junction's lookup column)
LOOKUPS: dict[str, tuple[Table, Table, str]] = {
    "author": (schema.author, schema.model_to_author, "author_id"),
    "library": (schema.library, schema.model_to_library, "library_id"),
    "license": (schema.license, schema.model_to_license, "license_id"),
    "dataset": (schema.dataset, schema.model_to_dataset, "dataset_id"),
    "language": (schema.language, schema.model_to_language, "language_id"),
    "architecture": (schema.architecture, schema.model_to_architecture, "architecture_id"),
    "framework": (schema.framework, schema.model_to_framework, "framework_id"),
    "tag": (schema.tag, schema.model_to_tag, "tag_id"),
}


def replace_lookups(conn: Connection, names: Mapping[str, Mapping[int, list[str]]]) -> None:
    """Make each given lookup of each given model exactly ``names[lookup][model id]`` (names are created as
    needed). Lookups not in ``names`` are left alone."""
    for kind, by_model in names.items():
        lookup, junction, column = LOOKUPS[kind]
        wanted = {name for values in by_model.values() for name in values}
        name_ids = ensure_names(conn, lookup, wanted) if wanted else {}
        conn.execute(delete(junction).where(junction.c.model_id.in_(list(by_model))))
        rows = [{"model_id": mid, column: name_ids[name]} for mid, values in by_model.items() for name in values]
        insert_ignore(conn, junction, rows, keys=["model_id", column])

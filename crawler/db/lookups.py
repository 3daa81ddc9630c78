"""The PeaTMOSS model lookups (author, library, license, tag ...) and the one writer of a model's lookup rows.

A lookup is a table of names (``author``, ``tag`` ...) joined to ``model`` by a junction table
(``model_to_author`` ...). Every registry's model writer hands over, per lookup, the names of each model.

Lookup rows are only ever inserted, never changed or deleted, so a name's id, once committed, is remembered for
the life of the engine (:func:`lookup_ids`): a listing then asks the database only for names it has not met yet (a
name another node inserted meanwhile is found there, as before). Ids learnt inside a transaction are remembered only
when it commits: a rolled-back batch may have inserted names that do not exist afterwards.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, event

from crawler.db import schema
from crawler.db.upsert import ensure_names, insert_ignore_tuples

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

# engine -> lookup table name -> {name: id}, committed rows only
_known: weakref.WeakKeyDictionary[Engine, dict[str, dict[str, int]]] = weakref.WeakKeyDictionary()
_known_lock = threading.Lock()
PENDING = "peatmoss_lookup_ids"  # Connection.info key: ids learnt in the open transaction


def _commit(conn: Connection) -> None:
    pending = conn.info.pop(PENDING, None)
    if pending:
        known = _remembered(conn.engine)
        for table, ids in pending.items():
            known.setdefault(table, {}).update(ids)


def _rollback(conn: Connection, *_: Any) -> None:
    conn.info.pop(PENDING, None)


def _remembered(engine: Engine) -> dict[str, dict[str, int]]:
    with _known_lock:
        known = _known.get(engine)
        if known is None:
            known = _known[engine] = {}
            if not event.contains(engine, "commit", _commit):
                event.listen(engine, "commit", _commit)
                event.listen(engine, "rollback", _rollback)
                event.listen(engine, "rollback_savepoint", _rollback)
        return known


def lookup_ids(conn: Connection, table: Table, names: Iterable[str]) -> dict[str, int]:
    """``{name: id}`` for every name of the lookup ``table``, inserting the missing ones (like ``ensure_names``),
    asking the database only about names this engine has not seen committed before."""
    known = _remembered(conn.engine).get(table.name, {})
    found: dict[str, int] = {}
    missing: list[str] = []
    for name in names:
        id_ = known.get(name)
        if id_ is None:
            missing.append(name)
        else:
            found[name] = id_
    if missing:
        fetched = ensure_names(conn, table, missing)
        conn.info.setdefault(PENDING, {}).setdefault(table.name, {}).update(fetched)
        found.update(fetched)
    return found


def replace_lookups(
    conn: Connection, names: Mapping[str, Mapping[int, list[str]]], new: Collection[int] = frozenset()
) -> None:
    """Make each given lookup of each given model exactly ``names[lookup][model id]`` (names are created as
    needed). Lookups not in ``names`` are left alone. ``new``: models created in this transaction, which have no
    lookup rows to delete yet."""
    for kind, by_model in names.items():
        lookup, junction, column = LOOKUPS[kind]
        wanted = {name for values in by_model.values() for name in values}
        name_ids = lookup_ids(conn, lookup, wanted) if wanted else {}
        stored = [mid for mid in by_model if mid not in new]
        if stored:
            conn.execute(delete(junction).where(junction.c.model_id.in_(stored)))
        rows = [(mid, name_ids[name]) for mid, values in by_model.items() for name in values]
        insert_ignore_tuples(conn, junction, ("model_id", column), rows, keys=("model_id", column))

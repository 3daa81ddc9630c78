"""Dead letters: an item the store cannot write, even alone in its transaction, is kept in ``crawl_rejected_item``.

Only data errors reject an item (a value the database refuses: NUL, out of range, a broken constraint); a database
that is down or locked is not the item's fault, and fails the crawl instead.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, StatementError

from crawler.db.ours import crawl_rejected_item
from crawler.timestamps import now_iso

# Fields that name an item, in the order they are tried (the first ones present make its natural key).
KEY_FIELDS = ("context_id", "full_name", "repo", "url", "issue_url", "path", "revision", "num", "number")
MAX_ERROR = 2000


def is_data_error(exc: BaseException) -> bool:
    """True when the database (or its driver) refused the values, not when it could not be reached."""
    if isinstance(exc, OperationalError | InterfaceError):
        return False
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return False
    return isinstance(exc, StatementError | ValueError | TypeError | OverflowError | KeyError)


def natural_key(item: Any) -> str:
    """The item's natural key as JSON (``{"context_id": ..., "num": ...}``)."""
    values = {name: getattr(item, name) for name in KEY_FIELDS if getattr(item, name, None) is not None}
    return json.dumps(values, default=str, ensure_ascii=False)


def item_json(item: Any) -> str:
    data = dataclasses.asdict(item) if dataclasses.is_dataclass(item) and not isinstance(item, type) else vars(item)
    return json.dumps(data, default=repr, ensure_ascii=False)  # NUL becomes the six characters \u0000


def error_text(exc: BaseException) -> str:
    """The database's reason, without the statement and parameters SQLAlchemy appends (they repeat the item)."""
    text = str(getattr(exc, "orig", None) or exc).split("\n[SQL:")[0]
    return f"{type(exc).__name__}: {text}"[:MAX_ERROR].replace("\x00", "\\0")


def reject(conn: Connection, run_id: int | None, item: Any, exc: BaseException) -> None:
    conn.execute(
        crawl_rejected_item.insert().values(
            run_id=run_id,
            rejected_at=now_iso(),
            item_type=type(item).__name__,
            natural_key=natural_key(item),
            error=error_text(exc),
            item=item_json(item),
        )
    )

"""Settings a crawl cannot run without, checked before the first request.

A wrong ``DATABASE_URL`` used to end in a 131-line asyncio traceback and a read-only ``SNAPSHOT_STORE`` in a
crawl that wasted every detail request; here each one is one line naming the setting, what is wrong and what is
allowed. Passwords never appear in a message.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings
from sqlalchemy import Engine

from crawler.hf.snapshot_policy import POLICIES

REMOTE_STORE_SCHEMES = ("s3", "gs", "ftp")
REDIS_SCHEMES = ("redis", "rediss", "unix")


class SettingError(ValueError):
    """A setting that cannot be used; the message is the whole one-line explanation."""


def hide_password(url: str) -> str:
    """``scheme://user:***@host/...`` for any URL-like text, parsable or not."""
    return re.sub(r"(//[^/:@]*:)[^/]*@", r"\1***@", url)


def check_settings(settings: BaseSettings) -> None:
    """Raise SettingError for the first setting a crawl cannot use (opens the database: it migrates it, once)."""
    check_choice(settings, "SNAPSHOT_POLICY", POLICIES)
    check_number(settings, "PROGRESS_INTERVAL")
    check_redis_url(settings.get("REDIS_URL"))
    check_snapshot_store(str(settings.get("SNAPSHOT_STORE") or ""))
    check_database(settings.get("DATABASE_URL"))


def check_choice(settings: BaseSettings, name: str, allowed: tuple[str, ...]) -> None:
    value = settings.get(name)
    if value is not None and value not in allowed:
        raise SettingError(f"{name}={value!r} is not a known value (allowed: {', '.join(allowed)})")


def check_number(settings: BaseSettings, name: str) -> None:
    value = settings.get(name)
    try:
        ok = value is None or float(value) >= 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise SettingError(f"{name}={value!r} is not a number of seconds (allowed: a number >= 0, 0 = off)")


def check_redis_url(url: str | None) -> None:
    if not url:
        return
    shown = hide_password(url)
    allowed = "redis://[user:password@]host[:port][/db], rediss://..., unix:///path"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise SettingError(f"REDIS_URL {shown!r} is malformed: {exc} (allowed: {allowed})") from None
    if parts.scheme not in REDIS_SCHEMES:
        raise SettingError(f"REDIS_URL {shown!r} is malformed: scheme {parts.scheme!r} (allowed: {allowed})")
    if parts.scheme != "unix" and not parts.hostname:
        raise SettingError(f"REDIS_URL {shown!r} is malformed: no host (allowed: {allowed})")
    db = parts.path.strip("/")
    if parts.scheme != "unix" and db and not db.isdigit():
        raise SettingError(f"REDIS_URL {shown!r} is malformed: database {db!r} (allowed: {allowed})")
    try:
        import redis  # noqa: F401 - only whether the cluster extra is installed
    except ImportError:
        raise SettingError("REDIS_URL is set but cluster mode is not installed: pip install -e '.[cluster]'") from None


def check_snapshot_store(store: str) -> None:
    """A local store must be a folder this process can create and write (remote stores are checked by use)."""
    scheme = urlsplit(store).scheme
    if scheme in REMOTE_STORE_SCHEMES:
        return
    allowed = "a folder this user can write, or s3://, gs://, ftp://"
    if not store:
        raise SettingError(f"SNAPSHOT_STORE is empty (allowed: {allowed})")
    path = Path(store.removeprefix("file://"))
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise SettingError(
            f"SNAPSHOT_STORE {store!r} is not writable: {exc.strerror or exc} (allowed: {allowed})"
        ) from None


def check_database(setting: str | None) -> Engine:
    """Parse the URL, connect and bring the schema to head (what the crawl would do first anyway); the engine."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from crawler.db.engine import database_url, open_engine

    url = database_url(setting)
    allowed = "sqlite:///PATH or postgresql://user[:password]@host[:port]/db"
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        raise SettingError(f"DATABASE_URL {hide_password(url)!r} is not a database URL (allowed: {allowed})") from None
    try:
        return open_engine(url)
    except ModuleNotFoundError as exc:
        extra = "postgres" if "psycopg" in str(exc.name) else None
        hint = f"pip install -e '.[{extra}]'" if extra else f"allowed: {allowed}"
        raise SettingError(f"DATABASE_URL {shown!r} needs the missing module {exc.name!r} ({hint})") from None
    except (SQLAlchemyError, OSError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise SettingError(f"DATABASE_URL {shown!r} cannot be opened: {hide_password(reason)}") from None

"""``scrapy browse``: the crawled database in Datasette, read-only, with generated metadata.

The SQLite store is opened immutable (no write can happen, whatever a plugin or a request tries); arbitrary SQL is
off unless ``allow_sql``; the researchers' queries are canned queries. A PostgreSQL store is first exported to a
SQLite file (``scrapy export-sqlite``), since Datasette reads SQLite only.
"""

from __future__ import annotations

import importlib
import json
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import make_url

from publish.datasette_metadata import datasette_metadata
from publish.extra import require
from publish.source import existing_sqlite, open_source

PLUGINS = Path(__file__).with_name("datasette_plugins")


def sqlite_file(url: str, export_to: Path, say: Callable[[str], None]) -> Path:
    """The SQLite file to serve: the store itself, or for PostgreSQL a fresh export of it to ``export_to``."""
    path = existing_sqlite(url)
    if path is not None:
        return path
    say(
        f"{make_url(url).render_as_string(hide_password=True)} is not SQLite: exporting it to {export_to} first "
        "(scrapy export-sqlite), Datasette reads SQLite files"
    )
    export_to.parent.mkdir(parents=True, exist_ok=True)
    export_to.unlink(missing_ok=True)
    # The command module owns the export; its name has a dash, as every scrapy command with one.
    exporter = importlib.import_module("crawler.commands.export-sqlite")
    exporter.export_sqlite(open_source(url), export_to)
    return export_to


def datasette_command(db: Path, metadata_file: Path, port: int, host: str, allow_sql: bool) -> list[str]:
    """The ``datasette serve`` command line for ``db`` (what the README documents for running it by hand)."""
    return [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "--immutable",
        str(db),
        "--metadata",
        str(metadata_file),
        "--plugins-dir",
        str(PLUGINS),
        "--host",
        host,
        "--port",
        str(port),
        "--setting",
        "default_allow_sql",
        "on" if allow_sql else "off",
        "--setting",
        "allow_download",
        "off",  # the file can be gigabytes; export-sqlite is the way to get it
    ]


def browse(url: str, port: int, host: str, allow_sql: bool, export_to: Path, say: Callable[[str], None]) -> int:
    """Serve the store at ``url`` until Datasette stops (Ctrl-C); Datasette's exit code."""
    require("datasette")
    db = sqlite_file(url, export_to, say)
    with tempfile.TemporaryDirectory(prefix="peatmoss-browse-") as tmp:
        metadata_file = Path(tmp) / "metadata.json"
        metadata_file.write_text(json.dumps(datasette_metadata(db.stem), indent=1), encoding="utf-8")
        say(f"serving {db} read-only on http://{host}:{port}/ (arbitrary SQL {'on' if allow_sql else 'off'})")
        signal.signal(signal.SIGTERM, _stop)  # subprocess.run kills Datasette when interrupted: no orphan server
        try:
            return subprocess.run(datasette_command(db, metadata_file, port, host, allow_sql), check=False).returncode
        except KeyboardInterrupt:
            return 0


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt

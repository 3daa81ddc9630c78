"""The peer of the listing benchmark: what a user would script with the Hub's own client.

``HfApi(endpoint).list_models(full=True, cardData=True, fetch_config=True)`` into SQLite with executemany: one model
row and one tag row per tag, committed every 1,000 models. Run as a script so that it is timed as a whole process:

    python bench/peer_hub_script.py --endpoint http://127.0.0.1:8000 --db /tmp/peer.db
"""

from __future__ import annotations

import argparse
import sqlite3
import time
from itertools import islice

from huggingface_hub import HfApi


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()

    started = time.perf_counter()
    conn = sqlite3.connect(args.db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS model (id TEXT PRIMARY KEY, author TEXT, sha TEXT, downloads INTEGER,"
        " likes INTEGER, pipeline_tag TEXT, library_name TEXT, created_at TEXT, last_modified TEXT)"
    )
    conn.execute("CREATE TABLE IF NOT EXISTS model_tag (model_id TEXT, tag TEXT, PRIMARY KEY (model_id, tag))")
    models = HfApi(endpoint=args.endpoint).list_models(full=True, cardData=True, fetch_config=True, limit=args.limit)
    total = 0
    while chunk := list(islice(models, 1000)):
        conn.executemany(
            "INSERT OR REPLACE INTO model VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    m.id,
                    m.author,
                    m.sha,
                    m.downloads,
                    m.likes,
                    m.pipeline_tag,
                    m.library_name,
                    m.created_at.isoformat() if m.created_at else None,
                    m.last_modified.isoformat() if m.last_modified else None,
                )
                for m in chunk
            ],
        )
        conn.executemany(
            "INSERT OR IGNORE INTO model_tag VALUES (?, ?)", [(m.id, t) for m in chunk for t in (m.tags or [])]
        )
        conn.commit()
        total += len(chunk)
    conn.close()
    print(f"{total} {time.perf_counter() - started:.3f}")  # models stored, seconds from connect to close


if __name__ == "__main__":
    main()

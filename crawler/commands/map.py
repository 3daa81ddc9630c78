"""``scrapy map``: which pre-trained models downstream repositories load.

scrapy map                                  # every clone under <SNAPSHOT_STORE>/git and Space -> database
scrapy map PATH [PATH ...] --output F.jsonl # any checkouts -> JSON lines, no database needed

Files that cannot be analysed (too large, unreadable, not a regular file, unparsable, timed out) are listed with
their reason on stderr and, with ``--errors FILE``, as JSON lines; a PATH that is not a directory is reported and
the others are mapped. The exit code is 1 when a PATH or a repository could not be mapped.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

if TYPE_CHECKING:  # mapping (astroid) is imported when the command runs: Scrapy loads every command at start-up
    from mapping.runner import RunSummary


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "[PATH ...] [--output FILE.jsonl]"

    def short_desc(self) -> str:
        return "Find the pre-trained models that repositories load (astroid static analysis)"

    def long_desc(self) -> str:
        return (
            "Without PATH: analyse every clone under <SNAPSHOT_STORE>/git/<owner>/<name> and fill "
            "model_to_reuse_repository, reuse_file, reuse_repository and map_call_site, and every snapshotted Space "
            "(scrapy crawl hf_spaces) into hf_space_call_site. With PATHs: analyse "
            "those checkouts and write one JSON object per load call site to --output (or stdout)."
        )

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        from mapping.runner import DEFAULT_FILE_TIMEOUT

        super().add_options(parser)
        group = parser.add_argument_group("Mapping")
        group.add_argument("-o", "--output", metavar="FILE", help="JSON-lines output (PATH mode; '-' = stdout)")
        group.add_argument("-j", "--workers", type=int, default=None, help="worker processes (default: CPUs, max 8)")
        group.add_argument(
            "--file-timeout", type=float, default=DEFAULT_FILE_TIMEOUT, help="seconds per file (default 20)"
        )
        group.add_argument("--signatures", metavar="YAML", help="signatures file (default: mapping/signatures.yaml)")
        group.add_argument("--store", metavar="DIR", help="snapshot store root (default: SNAPSHOT_STORE setting)")
        group.add_argument(
            "--errors",
            metavar="FILE",
            help="write each file that could not be analysed as a JSON line (repo, file, reason)",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        from mapping.runner import RunSummary, default_workers, discover_checkouts, snapshot_checkouts

        assert self.settings is not None
        workers = opts.workers or default_workers()
        summary = RunSummary()
        bad: list[str] = []
        if args:
            tasks, bad = discover_checkouts(args)
            for line in bad:
                sys.stderr.write(f"[map] skipped {line}\n")
            self._to_jsonl(tasks, opts, workers, summary)
        else:
            if opts.output:
                raise UsageError("--output needs one or more PATHs (without PATH the results go to the database)")
            store = opts.store or self.settings.get("SNAPSHOT_STORE") or "data/snapshots"
            tasks = snapshot_checkouts(store)
            if not tasks:
                sys.stderr.write(f"[map] no clones under {Path(store) / 'git'}\n")
            self._to_database(tasks, opts, workers, summary, store)
        sys.stderr.write(f"[map] done: {summary.line()}\n")
        for err in summary.errors[:20]:
            sys.stderr.write(f"[map] failed: {err}\n")
        self._report_files(summary, opts.errors)
        for line in bad:
            sys.stderr.write(f"[map] not mapped: {line}\n")
        if summary.errors or bad:
            self.exitcode = 1

    def _report_files(self, summary: RunSummary, path: str | None) -> None:
        """Per-file errors: the first ones on stderr, all of them in ``--errors FILE``."""
        shown = 50
        for e in summary.file_errors[:shown]:
            sys.stderr.write(f"[map] file skipped: {e['repo']}: {e['file']}: {e['reason']}\n")
        if len(summary.file_errors) > shown:
            more = len(summary.file_errors) - shown
            sys.stderr.write(f"[map] ... {more} more skipped files{' (see ' + path + ')' if path else ''}\n")
        if path:
            with open(path, "w", encoding="utf-8") as fh:
                for e in summary.file_errors:
                    fh.write(json.dumps(e, ensure_ascii=False) + "\n")

    def _to_jsonl(self, tasks, opts, workers: int, summary: RunSummary) -> None:  # type: ignore[no-untyped-def]
        from mapping.runner import run

        out = sys.stdout if not opts.output or opts.output == "-" else open(opts.output, "w", encoding="utf-8")
        try:
            for result in run(tasks, workers, opts.file_timeout, signatures_path=opts.signatures, summary=summary):
                for rec in result.records:
                    out.write(json.dumps(rec.to_json(), ensure_ascii=False) + "\n")
        finally:
            if out is not sys.stdout:
                out.close()

    def _to_database(self, tasks, opts, workers: int, summary: RunSummary, store: str) -> None:  # type: ignore[no-untyped-def]
        import tempfile

        from crawler.db.engine import database_url, open_engine
        from mapping.resolve import Resolver
        from mapping.runner import run, space_snapshots
        from mapping.store import resolve_records, space_revisions, store_repository, store_space

        engine = open_engine(database_url(self.settings.get("DATABASE_URL")))
        with engine.connect() as conn:
            resolver = Resolver.from_connection(conn)
            revisions = space_revisions(conn)
        with tempfile.TemporaryDirectory(prefix="peatmoss-spaces-") as workdir:
            # Space files are mapped like clones; their results go to hf_space_call_site, apart from declared links.
            space_tasks = space_snapshots(store, revisions, workdir)
            spaces = {task.root: space for space, task in space_tasks.items()}
            tasks = [*tasks, *space_tasks.values()]
            undeclared = 0
            for result in run(tasks, workers, opts.file_timeout, signatures_path=opts.signatures, summary=summary):
                resolve_records(result.records, resolver)
                with engine.begin() as conn:
                    space = spaces.get(result.task.root)
                    if space is None:
                        store_repository(conn, result.task.name, result.records)
                    else:
                        undeclared += store_space(conn, space, revisions[space], result.records)
        if spaces:
            sys.stderr.write(f"[map] {len(spaces)} Spaces mapped: {undeclared} loads of models they do not declare\n")

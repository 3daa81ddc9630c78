"""`scrapy enrich`: the 20 enhanced-metadata fields of model cards, by rules and (when configured) an LLM.

scrapy enrich [--mode cheap|accurate] [--rules-only] [--limit N] [--force]         # crawled cards -> DB
scrapy enrich --cards DIR --output FILE.jsonl [--rules-only] [--evaluate LABELS.json]

Each card runs in isolation: an exception or a timeout (`--card-timeout`, ENRICH_CARD_TIMEOUT) costs that card only
and is reported with its reason (database mode: an `error` row in enrich_review).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from enrich.defaults import CARD_TIMEOUT, LLM_BREAKER, LLM_CARD_TIMEOUT, MODES

if TYPE_CHECKING:  # the enrichment (pydantic, openai) is imported when the command runs, not when Scrapy starts
    from enrich.llm import LLMExtractor, LLMSettings
    from enrich.pipeline import CardOutcome


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--cards DIR --output FILE.jsonl] [--rules-only] [--evaluate LABELS.json] [--mode cheap|accurate]"

    def short_desc(self) -> str:
        return "Extract enhanced metadata from model cards (rules first, then an LLM)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument(
            "--cards",
            metavar="DIR",
            help="folder of model cards, read recursively: DIR/*.md (id = file stem) and DIR/org/model/README.md "
            "(the Hub's layout, id = org/model); no database needed",
        )
        parser.add_argument("--output", metavar="FILE", help="JSON Lines output for --cards")
        parser.add_argument("--rules-only", action="store_true", help="deterministic rules only, no LLM")
        parser.add_argument("--evaluate", metavar="LABELS", help="score the --cards output against labels.json")
        parser.add_argument("--mode", choices=MODES, default=None, help="LLM mode (default: ENRICH_LLM_MODE or cheap)")
        parser.add_argument("--model", default=None, help="LLM model (default: ENRICH_LLM_MODEL or gpt-4o-mini)")
        parser.add_argument("--concurrency", type=int, default=None, help="LLM requests in flight")
        parser.add_argument("--limit", type=int, default=None, help="at most N models (database mode)")
        parser.add_argument("--force", action="store_true", help="re-enrich models whose card did not change")
        parser.add_argument(
            "--card-timeout",
            type=float,
            default=None,
            help=f"seconds of rules per card before it is given up (default: ENRICH_CARD_TIMEOUT or {CARD_TIMEOUT:g})",
        )

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("unexpected arguments: " + " ".join(args))
        if opts.cards and not opts.output:
            raise UsageError("--cards needs --output FILE.jsonl")
        if opts.evaluate and not opts.cards:
            raise UsageError("--evaluate works with --cards")
        from enrich.llm import LLMSettings

        settings = LLMSettings.from_env(
            mode=opts.mode or self.settings.get("ENRICH_LLM_MODE"),
            model=opts.model or self.settings.get("ENRICH_LLM_MODEL"),
            concurrency=opts.concurrency,
            card_timeout=self.settings.getfloat("ENRICH_LLM_CARD_TIMEOUT", LLM_CARD_TIMEOUT),
            breaker_failures=self.settings.getint("ENRICH_LLM_BREAKER", LLM_BREAKER),
        )
        self.card_timeout = (
            opts.card_timeout
            if opts.card_timeout is not None
            else self.settings.getfloat("ENRICH_CARD_TIMEOUT", CARD_TIMEOUT)
        )
        if opts.cards:
            self.exitcode = self._run_cards(opts, settings)
        else:
            self.exitcode = self._run_database(opts, settings)

    # ------------------------------------------------------------------------------------- helpers

    def _llm(self, opts: argparse.Namespace, settings: LLMSettings, cache: Any) -> LLMExtractor | None:
        from enrich.llm import LLMExtractor

        if opts.rules_only:
            print("LLM pass: off (--rules-only)")
            return None
        if not settings.api_key:
            print("LLM pass skipped: OPENAI_API_KEY is not set (rules only)")
            return None

        print(f"LLM pass: {settings.model}, {settings.mode} mode, base URL {settings.base_url or 'OpenAI'}")
        return LLMExtractor(settings, cache=cache)

    def _report(self, outcomes: list[CardOutcome], llm: LLMExtractor | None) -> None:
        rejected = sum(sum(o.rejected.values()) for o in outcomes)
        review = sum(len(o.review) for o in outcomes)
        filled = sum(len(o.fields.present()) for o in outcomes)
        failed = [o for o in outcomes if o.error]
        print(f"{len(outcomes)} cards, {filled} field values; {rejected} LLM values rejected, {review} for review")
        if failed:
            print(f"{len(failed)} cards failed (rules' time limit {self.card_timeout:g} s):", file=sys.stderr)
            for o in failed:
                print(f"  {o.key}: {o.error}", file=sys.stderr)
        if llm is not None:
            print(llm.ledger.summary())
            for key, n in sorted(llm.counters.items()):
                print(f"  {key}: {n}")
            for e in llm.ledger.entries:
                if not e.cached and e.status == "ok":
                    print(f"  {e.card}: {e.prompt_tokens}+{e.completion_tokens} tokens, ${e.cost_usd:.5f}")

    def _cache(self, opts: argparse.Namespace) -> Any:
        from crawler.db.engine import database_url, open_engine
        from enrich.store import DbCache

        return DbCache(open_engine(database_url(self.settings.get("DATABASE_URL"))))

    def _run_cards(self, opts: argparse.Namespace, settings: LLMSettings) -> int:
        from enrich.cards import read_cards
        from enrich.evaluate import evaluate
        from enrich.pipeline import enrich_cards

        folder = Path(opts.cards)
        if not folder.is_dir():
            raise UsageError(f"--cards: {folder} is not a folder")
        jobs = read_cards(folder)
        if not jobs:
            print(
                f"error: --cards {folder}: no model cards found (expected DIR/*.md or DIR/org/model/README.md); "
                f"{opts.output} left as it was",
                file=sys.stderr,
            )
            return 1
        cache = self._cache(opts) if (settings.api_key and not opts.rules_only) else None
        llm = self._llm(opts, settings, cache)
        outcomes = enrich_cards(jobs, llm, self.card_timeout)
        out = Path(opts.output)
        _write_atomically(out, [_record(o) for o in outcomes])
        print(f"wrote {len(outcomes)} records to {out}")
        self._report(outcomes, llm)
        if opts.evaluate:
            labels = json.loads(Path(opts.evaluate).read_text(encoding="utf-8"))
            report = evaluate({o.key: o.fields.as_json() for o in outcomes}, labels)
            print("\n".join(report.lines()))
        return 0

    def _run_database(self, opts: argparse.Namespace, settings: LLMSettings) -> int:
        from crawler.db.engine import database_url, open_engine
        from enrich.pipeline import CardJob, enrich_cards
        from enrich.store import DbCache, load_jobs, write_ledger, write_outcomes

        engine = open_engine(database_url(self.settings.get("DATABASE_URL")))
        run_id = uuid.uuid4().hex[:12]
        llm = self._llm(opts, settings, DbCache(engine))
        total = 0
        batch: list[CardJob] = []
        outcomes_all: list[CardOutcome] = []

        def flush() -> None:
            nonlocal total
            outcomes = enrich_cards(batch, llm, self.card_timeout)
            total += write_outcomes(engine, outcomes, run_id)
            outcomes_all.extend(outcomes)
            batch.clear()

        for job in load_jobs(engine, opts.limit, opts.force):
            batch.append(job)
            if len(batch) >= 200:
                flush()
        if batch:
            flush()
        if llm is not None:
            write_ledger(engine, llm.ledger, run_id)
        print(f"enriched {total} models (run {run_id})")
        self._report(outcomes_all, llm)
        return 0


def _record(o: CardOutcome) -> dict[str, Any]:
    record: dict[str, Any] = {"id": o.key, "fields": o.fields.as_json()}
    if o.error:
        record["error"] = o.error
    return record


def _write_atomically(out: Path, records: list[dict[str, Any]]) -> None:
    """JSON lines to a temporary file next to `out`, renamed over it only when complete."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

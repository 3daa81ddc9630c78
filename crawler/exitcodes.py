"""Exit codes of ``scrapy crawl``, one per run state (README "Exit codes and run states").

Whatever decides a run's state sets the stat ``crawl/exit_code`` to one of these; the crawl command
(crawler/commands/crawl.py) exits with it. No stat means the crawl finished (0).
"""

from __future__ import annotations

STAT = "crawl/exit_code"

FINISHED = 0  # run state `finished`: everything listed was fetched and stored
USAGE = 2  # a bad argument or setting, refused before the first request
INCOMPLETE = 3  # run state `incomplete`: something could not be fetched for good (the row's stats say what)
INTERRUPTED = 4  # run state `interrupted`: Ctrl-C, SIGTERM, CLOSESPIDER_*
FAILED = 5  # run state `failed`: an exception stopped the crawl (or the crawler could not start)

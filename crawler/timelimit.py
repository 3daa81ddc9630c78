"""A wall-clock limit for a block of pure-Python work (card rules, one file's analysis).

`SIGALRM` interrupts the block even inside a running regular expression (CPython's `re` checks for signals), so a
pathological input costs at most its budget. Signals reach only the main thread: elsewhere the block runs unlimited.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(BaseException):  # noqa: N818 - reads as what happened
    """The block ran longer than its budget.

    A BaseException, like KeyboardInterrupt: the `except Exception` of the code being limited (astroid inference,
    a rule) must not swallow it, or the block would go on with no timer left."""


def can_limit() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `TimeLimitExceeded` in the block after `seconds` (no limit for None or <= 0, or off the main thread)."""
    if not seconds or seconds <= 0 or not can_limit():
        yield
        return

    def _alarm(signum: int, frame: object) -> None:
        raise TimeLimitExceeded(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)

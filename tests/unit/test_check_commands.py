"""The README's check commands are the ones CI runs (.ci/run), so a reader runs exactly what CI does."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _command(line: str) -> tuple[str, ...]:
    """A command without its flags and without a leading ``python -m``: what it runs, on what."""
    words = [w for w in shlex.split(line, comments=True) if not w.startswith("-")]
    return tuple(words[1:] if words[:1] == ["python"] else words)


def test_readme_check_commands_are_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Tests and benchmarks\n.*?```bash\n(.*?)```", readme, re.S)
    assert block, "the README's Tests section shows the check commands"
    documented = [_command(part) for line in block.group(1).splitlines() for part in line.split("&&")]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").split("# The README's check commands")[1]
    run = [_command(line) for line in ci.splitlines()[1:]]
    assert [c for c in documented if c] == [c for c in run if c]

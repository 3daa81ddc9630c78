"""The result of the mapping pass: one record per (load call site, identifier)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class CallSite:
    """A call that loads a pre-trained model, and the identifier it loads (``ptm``, or None + reason).

    ``resolvable`` is True when the identifier was determined statically and, when a database was
    consulted, matched one of its models; ``resolution`` says how it matched.
    """

    repo: str
    path: str
    line: int
    library: str
    call: str
    ptm: str | None
    resolvable: bool
    reason: str | None
    column: int = 0
    hub: str = ""
    argument: str | None = None
    confidence: float = 1.0
    resolution: str | None = None
    model_id: int | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("model_id")
        return d

    def sort_key(self) -> tuple[str, str, int, int, str]:
        return (self.repo, self.path, self.line, self.column, self.ptm or "")

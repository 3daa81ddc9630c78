"""Access to the real recorded HTTP exchanges in ../shared/fixtures/real/ (skip when ../shared is absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REAL = SHARED / "fixtures" / "real"


def require_shared() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"{REAL} not found: the real recorded fixtures live in ../shared beside the clone")
    return REAL


def hf_interactions(name: str) -> list[dict[str, Any]]:
    """The interactions of one vcrpy cassette: [{uri, status, headers, body}] with the body parsed as JSON."""
    data = yaml.safe_load((require_shared() / name).read_text())
    out = []
    for interaction in data["interactions"]:
        response = interaction["response"]
        body = response["body"]["string"]
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = body
        out.append(
            {
                "uri": interaction["request"]["uri"],
                "status": response["status"]["code"],
                "headers": response["headers"],
                "body": parsed,
            }
        )
    return out


def hf_model_info(repo_id: str) -> dict[str, Any]:
    """The recorded 200 body of GET /api/models/{repo_id}."""
    for name in sorted(p.name for p in require_shared().glob("hf_*.yaml")):
        for interaction in hf_interactions(name):
            if interaction["status"] == 200 and interaction["uri"].split("?")[0].endswith(f"/api/models/{repo_id}"):
                return interaction["body"]
    raise LookupError(repo_id)

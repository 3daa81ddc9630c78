"""Fake Hub Spaces and datasets: ``/api/spaces``, ``/api/datasets`` (+ per-repo info) and their files.

Routes: ``GET /api/spaces`` and ``/api/datasets`` (``expand``/``full``, ``limit``, ``author``, ``search``, opaque
``cursor`` in a ``Link: rel="next"`` header), ``GET /api/spaces/{id}[/revision/{rev}][?blobs=true]``,
``GET /api/datasets/{id}[/revision/{rev}]``, ``GET /spaces/{id}/resolve/{rev}/{path}`` and
``GET /datasets/{id}/resolve/{rev}/{path}``. Shapes: those huggingface_hub's ``SpaceInfo`` / ``DatasetInfo`` parse
(docs/hub-repos.md). Faults (``--error-rate`` ...) apply as to every route; the rate limiter counts the ``api`` and
``resolvers`` buckets like the models module.

Spaces declare models of the same fake Hub (served by tests/fakehub/hf.py), and some declare a private model, a
disabled one or one that does not exist; they declare datasets of this module and one that does not exist. Their
``app.py`` loads a declared model and plants one load the Space does not declare. Datasets come with and without
a card. Generation 1 changes every fourth Space (new sha, new app.py) and every fifth dataset, and adds one Space.
``GET /_fake/hub-repos/truth`` returns what a complete crawl must find.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import unquote

from .hf import RateLimiter, decode_cursor, encode_cursor, error, next_link
from .hf_data import HubData
from .hf_model import hexid, iso
from .server import FakeRequest, FakeResponse, json_response

PAGE_MAX = 1000
MODEL_SCAN = 400  # models a Space may declare: the first ones of the fake Hub
BASE_TS = 1_680_000_000
SDKS = ("gradio", "streamlit", "docker", "static")
STAGES = ("RUNNING", "SLEEPING", "RUNTIME_ERROR", "BUILDING")
HARDWARE = ("cpu-basic", "cpu-upgrade", "t4-small", "a10g-small")
ORGS = ("gwen", "acme-lab", "open-lab", "tiny-lab", "alice")
# Dataset ids the fake models' cards name (hf_vocab), so PeaTMOSS `dataset` rows can link to them.
CANONICAL_DATASETS = ("squad", "glue", "imdb", "tatsu-lab/alpaca", "mnist", "scikit-learn/iris")
TASKS = ("text-classification", "question-answering", "image-classification", "translation")
SIZES = ("n<1K", "1K<n<10K", "10K<n<100K", "1M<n<10M")
SPACE_EXPANDABLE = frozenset(
    "author cardData createdAt datasets disabled lastModified likes models private region resourceGroup runtime "
    "sdk sha siblings subdomain tags trendingScore usedStorage".split()
)
DATASET_EXPANDABLE = frozenset(
    "author cardData citation createdAt description disabled downloads downloadsAllTime gated lastModified likes "
    "mainSize paperswithcode_id private resourceGroup sha siblings tags trendingScore usedStorage".split()
)
GHOST_MODEL = "ghost-org/no-such-model"
GHOST_DATASET = "ghost-org/no-such-dataset"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Hugging Face Spaces and datasets")
    group.add_argument("--spaces", type=int, default=12, help="number of generated Spaces (generation 0)")
    group.add_argument("--datasets", type=int, default=10, help="generated datasets besides the canonical ones")
    group.add_argument(
        "--big-file-size", type=int, default=64 * 1024, help="size of each Space's big_module.py (snapshot limit)"
    )


def create(args: argparse.Namespace) -> HubReposApi:
    models = HubData(args.seed, args.models, args.generation)
    return HubReposApi(
        HubRepos(args.seed, models, args.spaces, args.datasets, args.big_file_size),
        args.generation,
        args.token,
        RateLimiter(args.rate_limit, args.rate_window),
    )


@dataclass
class Repo:
    """One Space or dataset at one generation: its listing fields and its files."""

    id: str
    kind: str  # space | dataset
    sha: str
    fields: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    planted: list[str] = field(default_factory=list)  # model ids loaded in code but not declared (Spaces)


class HubRepos:
    """Every generated Space and dataset; deterministic in (seed, generation)."""

    def __init__(self, seed: int, models: HubData, spaces: int, datasets: int, big_file_size: int) -> None:
        self.seed, self.models, self.n_spaces, self.n_datasets = seed, models, spaces, datasets
        self.big_file_size = big_file_size
        self._cache: dict[tuple[str, int], list[Repo]] = {}
        self._by_id: dict[tuple[str, int], dict[str, Repo]] = {}

    @cached_property
    def _models(self) -> list[Any]:
        """Skeletons of the first models (built on first use: a benchmark hub of a million models never pays)."""
        return [self.models.skeleton(k) for k in range(min(self.models.count(0), MODEL_SCAN))]

    @cached_property
    def public_models(self) -> list[str]:
        return [sk.id for sk in self._models if not sk.private and not sk.disabled and not sk.gated]

    @cached_property
    def private_model(self) -> str | None:
        return next((sk.id for sk in self._models if sk.private), None)

    @cached_property
    def disabled_model(self) -> str | None:
        return next((sk.id for sk in self._models if sk.disabled), None)

    def dataset_ids(self) -> list[str]:
        return [*CANONICAL_DATASETS, *(f"{ORGS[j % len(ORGS)]}/dataset-{j:04d}" for j in range(self.n_datasets))]

    def repos(self, kind: str, generation: int) -> list[Repo]:
        key = (kind, generation)
        if key not in self._cache:
            if kind == "space":
                self._cache[key] = [self._space(i, generation) for i in range(self.n_spaces + min(generation, 1))]
            else:
                self._cache[key] = [self._dataset(j, d, generation) for j, d in enumerate(self.dataset_ids())]
        return self._cache[key]

    def find(self, kind: str, repo_id: str, generation: int) -> Repo | None:
        """Repository by id, case-insensitive like the Hub."""
        key = (kind, generation)
        if key not in self._by_id:
            self._by_id[key] = {r.id.lower(): r for r in self.repos(kind, generation)}
        return self._by_id[key].get(repo_id.lower())

    # ---------------------------------------------------------------- Spaces
    def _space(self, i: int, generation: int) -> Repo:
        space_id = f"{ORGS[i % len(ORGS)]}/space-{i:04d}"
        version = 1 if generation >= 1 and i % 4 == 1 else 0
        pool = self.public_models or [GHOST_MODEL]
        declared = [pool[(i * 3 + k) % len(pool)] for k in range(i % 3 + 1)]
        if i % 5 == 3 and self.private_model:
            declared.append(self.private_model)
        if i % 5 == 4:
            declared.append(GHOST_MODEL)
        if i % 7 == 6 and self.disabled_model:
            declared.append(self.disabled_model)
        if i % 8 == 7:  # the Hub's ids are case-insensitive: a declaration need not match the model's own case
            declared.append(pool[(i * 5) % len(pool)].upper())
        datasets = self.dataset_ids()
        used = [datasets[(i + k) % len(datasets)] for k in range(i % 3)] + ([GHOST_DATASET] if i % 6 == 5 else [])
        planted = [pool[(i * 7 + 1 + version) % len(pool)]]
        sdk = SDKS[i % len(SDKS)]
        card = {
            "title": f"Space {i}",
            "emoji": "🚀",
            "colorFrom": "blue",
            "colorTo": "green",
            "sdk": sdk,
            "app_file": "app.py",
            "pinned": False,
            "license": ("mit", "apache-2.0", "openrail")[i % 3],
            "models": declared,
            "datasets": used,
        }
        app = "\n".join(
            [
                "import gradio as gr",
                "from transformers import AutoModel, pipeline",
                "",
                f'classifier = pipeline("text-classification", model="{declared[0]}")',
                f'extra = AutoModel.from_pretrained("{planted[0]}")',
                "",
                f"demo = gr.Interface(fn=lambda text: classifier(text), inputs='text', outputs='label')  # v{version}",
                "demo.launch()",
                "",
            ]
        )
        files = {
            ".gitattributes": b"*.bin filter=lfs diff=lfs merge=lfs -text\n",
            "README.md": _card(card, f"# Space {i}\n\nA demo of {declared[0]}.\n"),
            "app.py": app.encode(),
            "requirements.txt": b"transformers\ntorch\ngradio\n",
            "utils/helpers.py": b"def clean(text):\n    return text.strip()\n",
            "big_module.py": _padded(b"WEIGHTS = [\n", self.big_file_size),
            "assets/logo.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        }
        if i == 2:  # a hostile sibling name: must be rejected, never fetched or stored
            files["../../etc/evil.py"] = b"import os\n"
        sha = hexid("space", self.seed, space_id, version)
        created = BASE_TS + i * 86_400
        stage = STAGES[i % len(STAGES)]
        fields = {
            "author": space_id.split("/")[0],
            "sha": sha,
            "lastModified": iso(created + 3_600 + version * 86_400 * 30),
            "createdAt": iso(created),
            "likes": (i * 37) % 500,
            "private": False,
            "disabled": False,
            "gated": False,
            "sdk": sdk,
            "subdomain": space_id.replace("/", "-").replace("_", "-").lower(),
            "host": f"https://{space_id.replace('/', '-').lower()}.hf.space",
            "tags": [sdk, "region:us", f"license:{card['license']}"],
            "cardData": card,
            "runtime": {
                "stage": stage,
                "hardware": {"current": None if stage == "BUILDING" else HARDWARE[i % 4], "requested": HARDWARE[i % 4]},
                "storage": None,
                "gcTimeout": 172_800,
                "replicas": {"current": 1, "requested": 1},
                "devMode": False,
                "domains": [{"domain": f"{space_id.replace('/', '-').lower()}.hf.space", "stage": "READY"}],
            },
            "models": declared,
            "datasets": used,
            "trendingScore": i % 4,
            "usedStorage": sum(len(b) for b in files.values()),
            "region": "us",
        }
        return Repo(space_id, "space", sha, fields, files, planted)

    # ---------------------------------------------------------------- datasets
    def _dataset(self, j: int, dataset_id: str, generation: int) -> Repo:
        version = 1 if generation >= 1 and j % 5 == 2 else 0
        has_card = j % 4 != 3
        task, size = TASKS[j % len(TASKS)], SIZES[j % len(SIZES)]
        licence = ("mit", "cc-by-4.0", "apache-2.0")[j % 3]
        card = (
            {
                "license": licence,
                "task_categories": [task],
                "size_categories": [size],
                "language": ["en"] + (["fr"] if j % 2 else []),
                "pretty_name": f"Dataset {dataset_id}",
            }
            if has_card
            else None
        )
        files = {".gitattributes": b"*.parquet filter=lfs diff=lfs merge=lfs -text\n"}
        if card:
            files["README.md"] = _card(card, f"# Dataset Card for {dataset_id}\n\nRevision {version}.\n")
        files["data/train.parquet"] = b"PAR1" + bytes(64) + b"PAR1"
        sha = hexid("dataset", self.seed, dataset_id, version)
        created = BASE_TS + j * 43_200
        tags = [f"task_categories:{task}", f"size_categories:{size}", "language:en", f"license:{licence}", "region:us"]
        fields = {
            "author": dataset_id.split("/")[0] if "/" in dataset_id else None,
            "sha": sha,
            "lastModified": iso(created + 7_200 + version * 86_400 * 30),
            "createdAt": iso(created),
            "private": False,
            "gated": False,
            "disabled": False,
            "downloads": (j * 1_291) % 100_000,
            "downloadsAllTime": (j * 9_001) % 1_000_000,
            "likes": (j * 13) % 300,
            "tags": tags,
            "description": f"Dataset {dataset_id}",
            "citation": None,
            "paperswithcode_id": None,
            "trendingScore": j % 3,
            "usedStorage": sum(len(b) for b in files.values()),
            "mainSize": sum(len(b) for b in files.values()),
        }
        if card:
            fields["cardData"] = card
        return Repo(dataset_id, "dataset", sha, fields, files)


def _card(meta: dict[str, Any], body: str) -> bytes:
    lines = ["---"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return ("\n".join([*lines, "---", "", body])).encode()


def _padded(head: bytes, size: int) -> bytes:
    row = b"    0.0,\n"
    return head + row * max(0, (size - len(head) - 2) // len(row)) + b"]\n"


class HubReposApi:
    name = "hf_repos"
    prefixes = ("/api/spaces", "/api/datasets", "/spaces/", "/datasets/")
    control_prefixes = ("/_fake/hub-repos/",)

    def __init__(self, repos: HubRepos, generation: int, token: str | None, limiter: RateLimiter) -> None:
        self.data, self.generation, self.token, self.limiter = repos, generation, token, limiter

    def urls(self, base: str) -> dict[str, str]:
        return {}

    def set_generation(self, generation: int) -> None:
        self.generation = generation

    def control(self, req: FakeRequest) -> FakeResponse | None:
        if req.path == "/_fake/hub-repos/truth":
            spaces = self.data.repos("space", self.generation)
            return json_response(
                200,
                {
                    "spaces": {
                        s.id: {"sha": s.sha, "models": s.fields["models"], "planted": s.planted} for s in spaces
                    },
                    "datasets": {d.id: {"sha": d.sha, "card": "README.md" in d.files} for d in self._datasets()},
                    "private_model": self.data.private_model,
                    "disabled_model": self.data.disabled_model,
                    "ghost_model": GHOST_MODEL,
                },
            )
        return None

    def _datasets(self) -> list[Repo]:
        return self.data.repos("dataset", self.generation)

    def handle(self, req: FakeRequest) -> FakeResponse | None:
        bucket = "api" if req.path.startswith("/api/") else "resolvers"
        if bucket == "resolvers" and "/resolve/" not in req.path:
            return None
        allowed, remaining, reset = self.limiter.take(bucket)
        if not allowed:
            resp = error(429, f"You have exceeded our rate limit for the '{bucket}' bucket. Retry in {reset} seconds.")
        elif req.method not in ("GET", "HEAD"):
            resp = error(405, "Method not allowed")
        else:
            resp = self._route(req)
        resp.headers += self.limiter.headers(bucket, remaining, reset)
        return resp

    def _route(self, req: FakeRequest) -> FakeResponse:
        header = req.headers.get("Authorization")
        if header and (not header.lower().startswith("bearer ") or (self.token and header[7:].strip() != self.token)):
            return error(401, "Invalid credentials in Authorization header")
        segs = [unquote(s) for s in req.path.strip("/").split("/")]
        if segs[0] == "api":
            kind = "space" if segs[1] == "spaces" else "dataset"
            if len(segs) == 2:
                return self._list(req, kind)
            return self._info(req, kind, segs[2:])
        kind = "space" if segs[0] == "spaces" else "dataset"
        at = segs.index("resolve")
        repo = self.data.find(kind, "/".join(segs[1:at]), self.generation)
        if repo is None or len(segs) < at + 3:
            return error(401, "Invalid username or password.")
        if segs[at + 1] not in (repo.sha, "main"):
            return error(404, f"Invalid rev id: {segs[at + 1]}", "RevisionNotFound")
        content = repo.files.get("/".join(segs[at + 2 :]))
        if content is None:
            return error(404, "Entry not found", "EntryNotFound", [("X-Repo-Commit", repo.sha)])
        return FakeResponse(
            200,
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("X-Repo-Commit", repo.sha),
                ("ETag", f'"{hashlib.sha1(content).hexdigest()}"'),
            ],
            content,
            api=False,
        )

    def _entry(self, repo: Repo, fields: set[str] | None, blobs: bool = False) -> dict[str, Any]:
        """``fields`` None: every field (info, ``full``); else the expanded ones. ``_id`` and ``id`` always."""
        entry: dict[str, Any] = {"_id": hexid(repo.kind, repo.id, length=24), "id": repo.id}
        for key, value in repo.fields.items():
            if fields is None or key in fields:
                entry[key] = value
        if fields is None or "siblings" in fields:
            entry["siblings"] = [
                {"rfilename": path, **({"size": len(body), "blobId": hashlib.sha1(body).hexdigest()} if blobs else {})}
                for path, body in sorted(repo.files.items())
            ]
        return entry

    def _list(self, req: FakeRequest, kind: str) -> FakeResponse:
        expand = req.query.get("expand", []) + req.query.get("expand[]", [])
        allowed = SPACE_EXPANDABLE if kind == "space" else DATASET_EXPANDABLE
        bad = [e for e in expand if e not in allowed]
        if bad:
            return error(400, f'"expand" must be one of {sorted(allowed)}, got {bad[0]!r}')
        if expand and req.flag("full"):
            return error(400, '"expand" cannot be used with "full"')
        try:
            limit = min(PAGE_MAX, int(req.param("limit") or PAGE_MAX))
            start = decode_cursor(req.param("cursor")) if req.param("cursor") else 0
        except (ValueError, KeyError, TypeError):
            return error(400, "Invalid limit or cursor")
        if limit <= 0:
            return error(400, '"limit" must be a positive integer')
        author, search = (req.param("author") or "").lower(), (req.param("search") or "").lower()
        repos = [
            r
            for r in self.data.repos(kind, self.generation)
            if (not author or (r.fields.get("author") or "").lower() == author) and search in r.id.lower()
        ]
        if expand:
            fields: set[str] | None = set(expand)
        elif req.flag("full"):
            fields = None
        else:
            fields = {"likes", "private", "sdk", "tags", "createdAt"} if kind == "space" else {"downloads", "likes"}
        page = [self._entry(r, fields) for r in repos[start : start + limit]]
        headers = []
        if start + limit < len(repos):
            headers.append(("Link", next_link(req, cursor=encode_cursor(start + limit))))
        return json_response(200, page, headers)

    def _info(self, req: FakeRequest, kind: str, segs: list[str]) -> FakeResponse:
        at = segs.index("revision") if "revision" in segs else len(segs)
        repo = self.data.find(kind, "/".join(segs[:at]), self.generation)
        if repo is None:
            if req.headers.get("Authorization"):
                return error(404, "Repository not found", "RepoNotFound")
            return error(401, "Invalid username or password.")
        if at < len(segs) and (len(segs) != at + 2 or segs[at + 1] not in (repo.sha, "main")):
            return error(404, f"Invalid rev id: {'/'.join(segs[at + 1 :])}", "RevisionNotFound")
        return json_response(200, self._entry(repo, None, blobs=req.flag("blobs")))

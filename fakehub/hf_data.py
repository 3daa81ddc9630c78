"""Deterministic generated Hugging Face models: a pure function of (seed, index, generation).

Generation 0 of seed S is identical everywhere.  Generation G+1: about 1% of models get a new commit (new sha, new
lastModified, longer commit list), about 1% of new models are appended, and downloads/likes of every model drift.
Nothing is stored per model: a model is rebuilt on demand (with a small LRU cache), and only the sort orders of the
listing (one list of ints per sort key and generation) are kept.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import math
import random
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import hf_vocab as V
from .hf_files import FileStore, is_lfs_path, safetensors_params
from .hf_model import SENTINEL_CREATED, Commit, Discussion, Event, FileSpec, Model, hexid, iso

EPOCH0 = 1748736000  # 2025-06-01T00:00:00Z: "now" of generation 0
WEEK = 7 * 86400
START = 1546300800  # 2019-01-01: oldest generated repo
SENTINEL_TS = 1646263744  # 2022-03-02T23:29:04Z: repos older than this show the sentinel createdAt
CHANGE_RATE = 0.01
NEW_RATE = 0.01
MAX_GENERATION = 1000  # changes are drawn up to this generation
_RELATIONS = [("finetune", 60), ("adapter", 20), ("quantized", 15), ("merge", 5)]
_TASK_TABLE = list(V.TASK_WEIGHTS.items())
SORT_KEYS = ("downloads", "likes", "lastModified", "createdAt", "trendingScore")
_SUFFIX = re.compile(r"-(\d+)$")


def _u(*parts: object) -> float:
    """Cheap deterministic uniform [0, 1) draw."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _rng(*parts: object) -> random.Random:
    """Deterministic generator for ``parts`` (a 64-bit integer seed is much cheaper than a string seed)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _pick(rng: random.Random, population: list[str], k: int) -> list[str]:
    """``rng.sample`` with cheap paths for the usual k = 0 or 1."""
    if k <= 0:
        return []
    if k == 1:
        return [population[int(rng.random() * len(population))]]
    return rng.sample(population, k)


_CUMULATIVE: dict[int, tuple[list[str], list[int]]] = {}


def _weighted(rng: random.Random, table: Iterable[tuple[str, int]]) -> str:
    cached = _CUMULATIVE.get(id(table))
    if cached is None:
        items = list(table)
        cached = ([k for k, _ in items], list(itertools.accumulate(w for _, w in items)))
        if isinstance(table, list | tuple):
            _CUMULATIVE[id(table)] = cached
    names, cum = cached
    return names[bisect.bisect(cum, rng.random() * cum[-1])]


@dataclass(frozen=True, slots=True)
class Skeleton:
    """Generation-independent facts about one generated model, cheap enough to compute for every index."""

    index: int
    org: str
    name: str
    task: str | None
    library: str | None
    family: str
    created_ts: int
    sentinel: bool
    legacy: bool
    base_downloads: int
    base_likes: int
    private: bool
    gated: bool | str
    disabled: bool
    n_commits: int
    last_base_ts: int
    change_gens: tuple[int, ...]
    born_gen: int

    @property
    def id(self) -> str:
        return f"{self.org}/{self.name}"


class HubData:
    """All models of one fake hub; thread-safe, generation switchable at run time."""

    def __init__(self, seed: int, models: int, generation: int = 0, extras: Iterable[Model] = ()) -> None:
        self.seed = seed
        self.base_count = models
        self.generation = generation
        self.new_per_gen = max(1, round(models * NEW_RATE)) if models else 0
        self.files = FileStore(seed)
        self.extras: list[Model] = list(extras)
        for j, extra in enumerate(self.extras):
            extra.key = -(j + 1)
        self._extra_by_id = {m.id.lower(): m for m in self.extras}
        self._extra_legacy = {m.legacy_id.lower(): m for m in self.extras if m.legacy_id}
        self._lock = threading.Lock()
        self._orders: dict[tuple[str, int], list[int]] = {}
        self._cache: OrderedDict[tuple[int, int], Model] = OrderedDict()
        self._building: dict[tuple[int, int], threading.Event] = {}
        self.skeleton = lru_cache(maxsize=1 << 17)(self._skeleton)

    # ---------------------------------------------------------------- indexing
    def count(self, generation: int | None = None) -> int:
        """Number of generated models that exist in ``generation``."""
        g = self.generation if generation is None else generation
        return self.base_count + g * self.new_per_gen

    def keys(self, generation: int | None = None) -> range:
        return range(self.count(generation))

    def all_keys(self, generation: int | None = None) -> list[int]:
        """Generated model keys followed by the extra (trap / real) models, whose keys are negative."""
        return [*self.keys(generation), *(-(j + 1) for j in range(len(self.extras)))]

    def model(self, key: int, generation: int | None = None) -> Model | None:
        g = self.generation if generation is None else generation
        if key < 0:
            j = -key - 1
            return self.extras[j] if j < len(self.extras) else None
        if key >= self.count(g):
            return None
        with self._lock:
            cached = self._cache.get((key, g))
            if cached is not None:
                self._cache.move_to_end((key, g))
                return cached
            pending = self._building.get((key, g))
            if pending is None:
                self._building[(key, g)] = threading.Event()
        if pending is not None:  # another thread (e.g. the prefetcher) is building it: wait, don't redo it
            pending.wait(5)
            with self._lock:
                cached = self._cache.get((key, g))
            return cached if cached is not None else self._build(self.skeleton(key), g)
        try:
            model = self._build(self.skeleton(key), g)
            with self._lock:
                self._cache[(key, g)] = model
                while len(self._cache) > 4096:
                    self._cache.popitem(last=False)
        finally:
            with self._lock:
                self._building.pop((key, g)).set()
        return model

    def find(self, repo_id: str) -> Model | None:
        """Model by canonical id (case-insensitive, like the Hub)."""
        extra = self._extra_by_id.get(repo_id.lower())
        if extra is not None:
            return extra
        match = _SUFFIX.search(repo_id)
        if not match or "/" not in repo_id:
            return None
        key = int(match.group(1))
        if key >= self.count():
            return None
        if self.skeleton(key).id.lower() != repo_id.lower():
            return None
        return self.model(key)

    def find_legacy(self, legacy_id: str) -> Model | None:
        """Model whose legacy un-namespaced id is ``legacy_id``."""
        extra = self._extra_legacy.get(legacy_id.lower())
        if extra is not None:
            return extra
        match = _SUFFIX.search(legacy_id)
        if not match or "/" in legacy_id:
            return None
        key = int(match.group(1))
        if key >= self.count():
            return None
        sk = self.skeleton(key)
        if not sk.legacy or sk.name.lower() != legacy_id.lower():
            return None
        return self.model(key)

    def order(self, sort: str | None, generation: int | None = None) -> list[int]:
        """Keys in listing order: creation order by default, else descending by ``sort``."""
        g = self.generation if generation is None else generation
        cache_key = (sort or "", g)
        with self._lock:
            cached = self._orders.get(cache_key)
        if cached is not None:
            return cached
        keys = self.all_keys(g)
        if sort:
            value: Callable[[int], Any] = lambda k: self.sort_value(k, sort, g)  # noqa: E731
            keys = sorted(keys, key=value, reverse=True)
        with self._lock:
            self._orders[cache_key] = keys
        return keys

    def sort_value(self, key: int, sort: str, g: int) -> Any:
        if key < 0:
            m = self.model(key, g)
            assert m is not None
            return {
                "downloads": m.downloads,
                "likes": m.likes,
                "trendingScore": m.trending,
                "createdAt": m.created_ts,
                "lastModified": m.commits[0].ts,
            }[sort]
        sk = self.skeleton(key)
        if sort == "downloads":
            return self._downloads(sk, g)
        if sort == "likes":
            return self._likes(sk, g)
        if sort == "createdAt":
            return self._created_sort_ts(sk)
        if sort == "lastModified":
            return self._last_modified_ts(sk, g)
        return self._trending(sk, g)

    def set_generation(self, generation: int) -> None:
        with self._lock:
            self.generation = generation

    # ---------------------------------------------------------------- skeletons
    def identity(self, key: int) -> str:
        return self.skeleton(key).id

    def _skeleton(self, key: int) -> Skeleton:
        r = _rng(self.seed, key, "core")
        task = _weighted(r, _TASK_TABLE) if r.random() > 0.06 else None
        library: str | None = _weighted(r, V.LIBRARIES_BY_TASK.get(task or "", V.DEFAULT_LIBRARIES))
        if r.random() < 0.04:
            library = None
        family = _family(task, library)
        n_orgs = max(8, self.base_count // 25)
        org_no = int(n_orgs * r.random() ** 1.5)  # a few big orgs, a long tail of small ones
        org = _org_name(org_no, r.random() < 0.3)
        stem = r.choice(V.NAME_STEMS[family])
        suffix = r.choice(V.NAME_SUFFIXES)
        name = f"{stem}-{suffix}-{key:05d}" if r.random() < 0.7 else f"{stem}-{key:05d}"
        if key < self.base_count:
            born = 0
            created = int(START + (EPOCH0 - 86400 - START) * r.random() ** 0.6)
        else:
            born = (key - self.base_count) // self.new_per_gen + 1
            created = EPOCH0 + (born - 1) * WEEK + int(r.random() * (WEEK - 3600))
        sentinel = created < SENTINEL_TS
        legacy = sentinel and created < 1577836800 and r.random() < 0.15
        downloads = int(math.exp(r.gauss(1.2, 2.7)))
        likes = int(math.exp(0.55 * math.log1p(downloads) + r.gauss(-1.8, 1.0)))
        flag = r.random()
        private = flag < 0.005
        disabled = 0.005 <= flag < 0.007
        gated: bool | str = "auto" if 0.01 <= flag < 0.03 else "manual" if 0.03 <= flag < 0.04 else False
        n_commits = 1 + int(r.random() ** 2 * 12)
        now = EPOCH0 + born * WEEK
        last_base = created + int((min(now, created + 2 * 365 * 86400) - created) * r.random())
        if n_commits == 1:
            last_base = created
        gens: list[int] = []
        gen = born
        while True:  # geometric gaps between changes: about CHANGE_RATE per generation
            gen += 1 + int(math.log(1 - r.random()) / math.log(1 - CHANGE_RATE))
            if gen > MAX_GENERATION:
                break
            gens.append(gen)
        return Skeleton(
            key,
            org,
            name,
            task,
            library,
            family,
            created,
            sentinel,
            legacy,
            downloads,
            likes,
            private,
            gated,
            disabled,
            n_commits,
            max(created, min(last_base, now - 60)),
            tuple(gens),
            born,
        )

    def _late_sentinel(self, sk: Skeleton) -> bool:
        """Old repos show ``...:04.000Z`` or ``...:05.000Z``; which one is fixed per model."""
        return _u(self.seed, sk.index, "sentinel") < 0.5

    def _created_sort_ts(self, sk: Skeleton) -> int:
        """The creation time the Hub shows (and sorts by): the sentinel for old repos."""
        if sk.sentinel:
            return SENTINEL_TS + self._late_sentinel(sk)
        return sk.created_ts

    def _downloads(self, sk: Skeleton, g: int) -> int:
        if g == sk.born_gen:
            return sk.base_downloads
        return int(sk.base_downloads * math.exp(0.1 * (_u(self.seed, sk.index, "dl", g) - 0.5)))

    def _likes(self, sk: Skeleton, g: int) -> int:
        if g == sk.born_gen:
            return sk.base_likes
        return sk.base_likes + int(_u(self.seed, sk.index, "lk", g) * (1 + sk.base_likes // 40) * (g - sk.born_gen))

    def _trending(self, sk: Skeleton, g: int) -> int:
        return int(self._likes(sk, g) * _u(self.seed, sk.index, "tr", g) ** 3 * 0.2)

    def _last_modified_ts(self, sk: Skeleton, g: int) -> int:
        changes = [c for c in sk.change_gens if c <= g]
        return _change_ts(self.seed, sk, changes[-1]) if changes else sk.last_base_ts

    # ---------------------------------------------------------------- full models
    def _build(self, sk: Skeleton, g: int) -> Model:
        r = _rng(self.seed, sk.index, "detail")
        task, library, family = sk.task, sk.library, sk.family
        domain = V.TASKS.get(task or "", "")
        model_id = sk.id
        object_id = (
            ("621ffdc1" if self._late_sentinel(sk) else "621ffdc0") + hexid(self.seed, sk.index, "oid", length=16)
            if sk.sentinel
            else f"{sk.created_ts:08x}" + hexid(self.seed, sk.index, "oid", length=16)
        )
        created_at = (
            SENTINEL_CREATED.replace(":04.", ":05.")
            if sk.sentinel and object_id.startswith("621ffdc1")
            else SENTINEL_CREATED
            if sk.sentinel
            else iso(sk.created_ts)
        )
        # card facts
        languages: list[str] = []
        if domain in ("natural-language-processing", "audio") or task in ("feature-extraction", "sentence-similarity"):
            languages = sorted(set(_pick(r, V.LANGUAGES, r.choice([1, 1, 1, 2, 3]))))
        license_ = r.choice(V.LICENSES) if r.random() < 0.8 else None
        pool = V.DATASETS_BY_DOMAIN.get(domain, [])
        datasets = _pick(r, pool, min(len(pool), r.choice([0, 0, 1, 1, 2]))) if pool else []
        arxiv = _pick(r, V.ARXIV_IDS, r.choice([0, 0, 0, 1, 2]))
        base_model: tuple[str, str] | None = None
        if sk.index > 0 and r.random() < 0.3:
            relation = _weighted(r, _RELATIONS)
            base_model = (relation, self.identity(r.randrange(sk.index)))
        mt, arch, auto_model, processor = _architecture(r, task, library)
        files = _files(r, library, family, has_card=r.random() < 0.9)
        has_st = any(f.path.endswith(".safetensors") for f in files)
        frameworks = ["pytorch"] if r.random() < 0.9 and library not in ("sklearn", "keras", "gguf") else []
        if library == "transformers" and r.random() < 0.15:
            frameworks.append("tf")
            files.append(FileSpec("tf_model.h5", "binary", True, r.randrange(1024, 65536)))
        if library == "transformers" and r.random() < 0.08:
            frameworks.append("jax")
            files.append(FileSpec("flax_model.msgpack", "binary", True, r.randrange(1024, 65536)))
        files.sort(key=lambda f: f.path)
        tags: list[str] = []
        if library:
            tags.append(library)
        tags += frameworks
        if has_st:
            tags.append("safetensors")
        if any(f.path.endswith(".onnx") for f in files):
            tags.append("onnx")
        if mt:
            tags.append(mt)
        if task:
            tags.append(task)
        custom_tags = _pick(
            r, ["generated_from_trainer", "exbert", "lora", "medical", "legal", "code", "chat"], r.choice([0, 0, 1, 2])
        )
        tags += custom_tags
        tags += languages
        tags += [f"dataset:{d}" for d in datasets]
        tags += [f"arxiv:{a}" for a in arxiv]
        if base_model:
            tags += [f"base_model:{base_model[1]}", f"base_model:{base_model[0]}:{base_model[1]}"]
        if license_:
            tags.append(f"license:{license_}")
        model_index = None
        if task and r.random() < 0.2:
            model_index = _model_index(r, model_id, task, datasets)
            tags.append("model-index")
        if library == "transformers":
            tags += (["autotrain_compatible"] if r.random() < 0.5 else []) + ["endpoints_compatible"]
            if task == "text-generation" and r.random() < 0.5:
                tags.append("text-generation-inference")
        tags.append("region:us")
        card: dict[str, Any] | None = None
        if any(f.path == "README.md" for f in files):
            card = {}
            if languages:
                card["language"] = languages[0] if len(languages) == 1 else languages
            if license_:
                card["license"] = license_
            if datasets:
                card["datasets"] = datasets
            if custom_tags:
                card["tags"] = custom_tags
            if base_model:
                card["base_model"] = base_model[1]
            if library and r.random() < 0.5:
                card["library_name"] = library
            if task and r.random() < 0.5:
                card["pipeline_tag"] = task
            if model_index is not None:
                card["model-index"] = model_index
            card = card or None  # a README without YAML front matter has no card data
        config: dict[str, Any] | None = None
        info: dict[str, Any] | None = None
        if mt:
            config = {"architectures": [arch], "model_type": mt}
            if processor == "AutoTokenizer":
                config["tokenizer_config"] = {}
            if library == "transformers":
                info = {"auto_model": auto_model, "pipeline_tag": task, "processor": processor}
        elif library == "diffusers":
            config = {"diffusers": {"_class_name": "StableDiffusionPipeline"}}
        downloads = self._downloads(sk, g)
        likes = self._likes(sk, g)
        tag_refs = (
            [("v1.0", hexid(self.seed, sk.index, "commit", r.randrange(sk.n_commits)))] if r.random() < 0.1 else []
        )
        n_spaces = min(100, downloads // 20000)
        spaces = [f"{r.choice(V.USER_NAMES)}/{model_id.split('/')[1][:20]}-demo-{i}" for i in range(n_spaces)]
        return Model(
            key=sk.index,
            id=model_id,
            object_id=object_id,
            author=sk.org,
            created_at=created_at,
            created_ts=sk.created_ts,
            private=sk.private,
            gated=sk.gated,
            disabled=sk.disabled,
            downloads=downloads,
            downloads_all_time=downloads * (1 + int(_u(self.seed, sk.index, "dlat") * 20)),
            likes=likes,
            trending=self._trending(sk, g),
            library=library,
            pipeline_tag=task,
            tags=tags,
            config=config,
            card_data=card,
            model_index=model_index,
            transformers_info=info,
            mask_token=V.MASK_TOKENS.get(mt or "") if task == "fill-mask" else None,
            widget_data=_widget(task),
            inference="warm" if downloads >= 100 and r.random() < 0.7 else None,
            spaces=spaces,
            files=files,
            tag_refs=tag_refs,
            head=self._head(sk, g),
            commits_fn=lambda: self._commits(sk, g),
            discussions_fn=lambda: _discussions(self.seed, sk, self._commits(sk, g), files),
            legacy_id=sk.name if sk.legacy else None,
            base_model=base_model,
            children=int(_u(self.seed, sk.index, "children") ** 6 * 40),
        )

    def _head(self, sk: Skeleton, g: int) -> tuple[str, int]:
        changes = [c for c in sk.change_gens if c <= g]
        if changes:
            return hexid(self.seed, sk.index, "change", changes[-1]), _change_ts(self.seed, sk, changes[-1])
        return hexid(self.seed, sk.index, "commit", sk.n_commits - 1), sk.last_base_ts

    def _commits(self, sk: Skeleton, g: int) -> list[Commit]:
        r = _rng(self.seed, sk.index, "commits")
        out: list[Commit] = []
        span = max(1, sk.last_base_ts - sk.created_ts)
        times = sorted(sk.created_ts + int(span * r.random()) for _ in range(sk.n_commits - 1))
        times = [sk.created_ts, *times[: sk.n_commits - 2], sk.last_base_ts][: sk.n_commits]
        for n, ts in enumerate(times):
            title = "initial commit" if n == 0 else r.choice(V.COMMIT_TITLES)
            message = "" if r.random() < 0.6 else f"{title}\n\nSigned-off-by: {r.choice(V.USER_NAMES)}"
            out.append(
                Commit(
                    hexid(self.seed, sk.index, "commit", n),
                    title,
                    message,
                    r.choice([sk.org, *V.USER_NAMES[:6]]),
                    ts,
                    0,
                )
            )
        for version, gen in enumerate((c for c in sk.change_gens if c <= g), start=1):
            out.append(
                Commit(
                    hexid(self.seed, sk.index, "change", gen),
                    "Update README.md",
                    "",
                    sk.org,
                    _change_ts(self.seed, sk, gen),
                    version,
                )
            )
        out.reverse()
        return out


def _change_ts(seed: int, sk: Skeleton, gen: int) -> int:
    return EPOCH0 + (gen - 1) * WEEK + 3600 + int(_u(seed, sk.index, "chgts", gen) * (WEEK - 7200))


def _org_name(org_no: int, user: bool) -> str:
    if user:
        return f"{V.USER_NAMES[org_no % len(V.USER_NAMES)]}{org_no // len(V.USER_NAMES) or ''}"
    a = V.ORG_PARTS_A[org_no % len(V.ORG_PARTS_A)]
    b = V.ORG_PARTS_B[(org_no // len(V.ORG_PARTS_A)) % len(V.ORG_PARTS_B)]
    rest = org_no // (len(V.ORG_PARTS_A) * len(V.ORG_PARTS_B))
    return f"{a}-{b}{rest or ''}"


def _family(task: str | None, library: str | None) -> str:
    if library == "diffusers":
        return "diffusion"
    if library in ("stable-baselines3", "ml-agents", "sample-factory"):
        return "rl"
    if task in V.TASK_HEADS and library in (
        "transformers",
        "peft",
        "sentence-transformers",
        "gguf",
        "mlx",
        "adapter-transformers",
        "setfit",
    ):
        return V.TASK_HEADS[task][0]
    if task in ("image-classification", "zero-shot-image-classification", "feature-extraction"):
        return "vision"
    return "other"


def _architecture(r: random.Random, task: str | None, library: str | None) -> tuple[str | None, str, str, str]:
    """(model_type, architecture class, auto class, processor) for transformers-like models."""
    if task not in V.TASK_HEADS or library not in ("transformers", "sentence-transformers", "peft", "setfit"):
        return None, "", "", ""
    fam, suffix, auto_model, processor = V.TASK_HEADS[task]
    mt, prefix = r.choice(V.MODEL_TYPES[fam])
    arch = "GPT2LMHeadModel" if mt == "gpt2" and suffix == "ForCausalLM" else f"{prefix}{suffix}"
    return mt, arch, auto_model, processor


def _files(r: random.Random, library: str | None, family: str, has_card: bool) -> list[FileSpec]:
    def lfs(path: str, lo: int = 1024, hi: int = 65536) -> FileSpec:
        kind = "safetensors" if path.endswith(".safetensors") else "binary"
        return FileSpec(path, kind, True, r.randrange(lo, hi))

    files = [FileSpec(".gitattributes", "gitattributes")]
    if has_card:
        files.append(FileSpec("README.md", "readme"))
    if library == "diffusers":
        files += [
            FileSpec("model_index.json", "json"),
            FileSpec("scheduler/scheduler_config.json", "json"),
            FileSpec("unet/config.json", "json"),
            lfs("unet/diffusion_pytorch_model.safetensors"),
            FileSpec("vae/config.json", "json"),
            lfs("vae/diffusion_pytorch_model.safetensors"),
            FileSpec("tokenizer/vocab.json", "json", size_hint=2048),
        ]
        return files
    if library in ("stable-baselines3", "ml-agents", "sample-factory"):
        files += [
            FileSpec("config.json", "config"),
            FileSpec("results.json", "json"),
            lfs("model.zip"),
            lfs("replay.mp4"),
        ]
        return files
    if library in ("sklearn", "keras"):
        files += [FileSpec("config.json", "config"), lfs("model.joblib" if library == "sklearn" else "model.h5")]
        return files
    if library == "gguf":
        files += [lfs("model-q4_k_m.gguf"), lfs("model-q8_0.gguf")]
        return files
    files.append(FileSpec("config.json", "config"))
    if r.random() < 0.85:
        files.append(lfs("model.safetensors"))
    if r.random() < 0.5 or len(files) < 4:
        files.append(lfs("pytorch_model.bin"))
    if family in ("encoder", "decoder", "seq2seq", "embedding"):
        files += [
            FileSpec("tokenizer.json", "json", size_hint=r.randrange(512, 8192)),
            FileSpec("tokenizer_config.json", "json"),
            FileSpec("special_tokens_map.json", "json"),
        ]
        files.append(FileSpec("vocab.txt", "text", size_hint=r.randrange(512, 8192)))
    if library == "sentence-transformers":
        files += [FileSpec("modules.json", "json"), FileSpec("1_Pooling/config.json", "json")]
    if r.random() < 0.1:
        files.append(lfs("onnx/model.onnx"))
    if r.random() < 0.2:
        files.append(lfs("training_args.bin", 512, 4096))
    return files


def _model_index(r: random.Random, model_id: str, task: str, datasets: list[str]) -> list[dict[str, Any]]:
    ds = datasets[0] if datasets else "custom"
    metric = r.choice(["accuracy", "f1", "exact_match", "wer", "bleu"])
    return [
        {
            "name": model_id,
            "results": [
                {
                    "task": {"type": task, "name": task.replace("-", " ").title()},
                    "dataset": {"name": ds, "type": ds, "split": "validation"},
                    "metrics": [
                        {
                            "type": metric,
                            "value": round(r.uniform(0.3, 0.99) * 100, 4),
                            "name": metric.title(),
                            "verified": False,
                        }
                    ],
                }
            ],
        }
    ]


def _widget(task: str | None) -> list[dict[str, Any]] | None:
    if task == "fill-mask":
        return [{"text": "Paris is the [MASK] of France."}]
    if task == "text-classification":
        return [{"text": "I like you. I love you"}]
    if task == "question-answering":
        return [{"text": "Where do I live?", "context": "My name is Wolfgang and I live in Berlin"}]
    if task == "text-generation":
        return [{"text": "My name is Julien and I like to"}]
    return None


def _discussions(seed: int, sk: Skeleton, commits: list[Commit], files: list[FileSpec]) -> list[Discussion]:
    r = _rng(seed, sk.index, "discussions")
    if r.random() < 0.6:
        return []
    out: list[Discussion] = []
    t = sk.created_ts
    end = max(commits[0].ts, sk.created_ts + 86400)
    for num in range(1, r.randint(1, 6) + 1):
        t = t + int((end - t) * r.random() * 0.5) + 60
        is_pr = r.random() < 0.4
        author = r.choice(V.USER_NAMES)
        status = r.choice(["open", "merged", "closed", "draft"] if is_pr else ["open", "closed"])
        title = r.choice(V.DISCUSSION_TITLES)
        events: list[Event] = []
        clock = [t]

        def add(
            kind: str,
            who: str,
            data: dict[str, Any],
            num: int = num,
            events: list[Event] = events,
            clock: list[int] = clock,
        ) -> None:
            event_id = hexid(seed, sk.index, "ev", num, len(events), length=24)
            events.append(Event(event_id, kind, clock[0], who, data))
            clock[0] += 3600 + int(r.random() * 86400)

        add("comment", author, _comment(r, author, clock[0], r.choice(V.COMMENT_TEXTS)))
        head = hexid(seed, sk.index, "pr", num)
        if is_pr:
            add("commit", author, {"subject": r.choice(V.COMMIT_TITLES), "oid": head})
        for _ in range(r.choice([0, 0, 1, 2, 3])):
            who = r.choice([author, sk.org, r.choice(V.USER_NAMES)])
            add("comment", who, _comment(r, who, clock[0], r.choice(V.COMMENT_TEXTS)))
        if r.random() < 0.1:
            new_title = title + " (updated)"
            add("title-change", author, {"from": title, "to": new_title})
            title = new_title
        if status in ("closed", "merged"):
            add("status-change", sk.org, {"status": status})
        path = r.choice(files).path
        out.append(
            Discussion(
                num=num,
                title=title,
                status=status,
                author=author,
                ts=t,
                is_pr=is_pr,
                pinned=r.random() < 0.05,
                events=events,
                head_commit=head,
                merge_commit=commits[0].id if status == "merged" else None,
                conflicts=[path] if is_pr and status == "open" and r.random() < 0.2 else [],
                diff=(
                    f"diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -1 +1 @@\n-old\n+new\n"
                    if is_pr
                    else ""
                ),
            )
        )
    return out


def _comment(r: random.Random, who: str, ts: int, text: str) -> dict[str, Any]:
    edited = r.random() < 0.1
    return {
        "edited": edited,
        "hidden": r.random() < 0.03,
        "latest": {"raw": text, "html": f"<p>{text}</p>\n", "updatedAt": iso(ts), "author": {"name": who}},
        "numEdits": 1 if edited else 0,
    }


def lfs_size_hint(path: str, rng: random.Random) -> int:
    """Size of a generated LFS file (used for real-fixture models too)."""
    return rng.randrange(1024, 65536) if is_lfs_path(path) else 0


def safetensors_total(model: Model) -> int | None:
    total = [safetensors_params(f.size_hint) for f in model.files if f.kind == "safetensors"]
    return sum(total) if total else None

"""Scoring of extracted fields against hand labels, as specified in ../shared/eval/cards/README.md ("Scoring").

One score per (card, field) cell, the best over the gold value and its accepted alternatives. Three figures:
overall accuracy (mean of all cells), accuracy on stated fields (cells whose gold value is non-empty) and the
hallucination rate (gold-empty cells, `demonstration` excluded, where a value was given that no alternative accepts).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from enrich.fields import FIELD_NAMES, FIELDS
from enrich.rules import dedup
from enrich.values import is_empty as empty

IGNORED_PAPERS = {"1910.09700"}
LIST_FIELDS = frozenset(f.name for f in FIELDS if f.type == list[str])  # scored as sets of names
PRESENCE_FIELDS = frozenset(f.name for f in FIELDS if f.free_text)


def _an(value: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", str(value).lower())


def _words(value: Any) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", str(value).lower()) if w}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _listify(value: Any) -> list:
    return [] if empty(value) else (value if isinstance(value, list) else [value])


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    m = re.fullmatch(r"\s*([-+]?\d[\d,]*\.?\d*(?:e[-+]?\d+)?)\s*%?\s*", str(value).lower())
    if not m:
        return None
    try:
        return float(m.group(1).replace(",", ""))
    except ValueError:
        return None


def _drop_org(name: Any) -> str:
    s = str(name).strip()
    return s.rsplit("/", 1)[-1] if "/" in s and not s.lower().startswith("http") else s


# -------------------------------------------------------------------------------------------- normalizers

_TASK_SYNONYMS = {
    "ner": "token-classification", "namedentityrecognition": "token-classification",
    "extractiveqa": "question-answering", "qa": "question-answering", "tableqa": "table-question-answering",
    "tablequestionanswering": "table-question-answering", "asr": "automatic-speech-recognition",
    "speechrecognition": "automatic-speech-recognition", "tts": "text-to-speech", "texttospeech": "text-to-speech",
    "vqa": "visual-question-answering", "imagecaptioning": "image-to-text",
    "monoculardepthestimation": "depth-estimation", "keywordspotting": "audio-classification",
    "causallm": "text-generation", "languagemodeling": "text-generation", "dialogue": "conversational",
}  # fmt: skip
_LIBRARY_SYNONYMS = {"scikitlearn": "sklearn", "nemotoolkit": "nemo", "nvidianemo": "nemo", "sbert":
                     "sentencetransformers", "huggingfacetransformers": "transformers", "pytorchimagemodels": "timm",
                     "tfkeras": "keras"}  # fmt: skip
_FRAMEWORK_SYNONYMS = {"torch": "pytorch", "pt": "pytorch", "tf": "tensorflow", "flax": "jax", "jaxflax": "jax"}
_LANGUAGE_NAMES = {"english": "en", "german": "de", "spanish": "es", "russian": "ru", "czech": "cs", "dutch": "nl",
                   "icelandic": "is", "french": "fr", "chinese": "zh", "japanese": "ja"}  # fmt: skip
_LICENSE_SYNONYMS = {"apache20": "apache-2.0", "apache2": "apache-2.0", "apachelicense20": "apache-2.0",
                     "mitlicense": "mit", "bsd3clause": "bsd-3-clause", "bsd3": "bsd-3-clause", "ccby40": "cc-by-4.0",
                     "ccbync40": "cc-by-nc-4.0", "ccbyncsa40": "cc-by-nc-sa-4.0",
                     "creativemlopenrailm": "creativeml-openrail-m"}  # fmt: skip
_DATASET_SYNONYMS = {"squad20": "squadv2", "squad2": "squadv2", "squadv20": "squadv2", "pile": "thepile",
                     "commonvoice11": "commonvoice110"}  # fmt: skip
_METRIC_SYNONYMS = {
    "exact": "exactmatch", "em": "exactmatch", "f1score": "f1", "fscore": "f1", "entsf": "f1", "nerfscore": "f1",
    "entsp": "precision", "nerprecision": "precision", "entsr": "recall", "nerrecall": "recall", "acc": "accuracy",
    "top1": "accuracy", "top1accuracy": "accuracy", "top1performance": "accuracy", "validationaccuracy": "accuracy",
    "validationtop3accuracy": "top3accuracy", "testwer": "wer", "testcer": "cer", "chrf2": "chrf", "ppl": "perplexity",
    "lambadappl": "perplexity", "is": "inceptionscore", "map05": "map50", "meanaverageprecision05": "map50",
    "125": "delta125",
}  # fmt: skip
_SKIPPED_METRICS = {"loss", "validationloss", "trainloss", "evalloss", "trainingloss", "genlen", "runtime",
                    "samplespersecond", "stepspersecond", "epoch", "trainaccuracy", "traintop3accuracy",
                    "transformerloss", "nerloss"}  # fmt: skip
_HP_NAMES = {
    "learning_rate": "learning_rate lr learning_rate_init initial_learning_rate base_learning_rate",
    "train_batch_size": "train_batch_size batch_size per_device_train_batch_size batch training_batch_size",
    "eval_batch_size": "eval_batch_size per_device_eval_batch_size evaluation_batch_size",
    "total_train_batch_size": "total_train_batch_size total_batch_size effective_batch_size global_batch_size",
    "epochs": "epochs num_epochs n_epochs num_train_epochs epoch",
    "training_steps": "training_steps max_steps train_steps total_steps steps num_training_steps",
    "optimizer": "optimizer optim solver",
    "adam_beta1": "adam_beta1 beta_1 beta1",
    "adam_beta2": "adam_beta2 beta_2 beta2",
    "adam_epsilon": "adam_epsilon epsilon adam_eps eps",
    "weight_decay": "weight_decay weight_decay_rate wd",
    "lr_scheduler_type": "lr_scheduler_type lr_scheduler lr_schedule scheduler learning_rate_schedule",
    "warmup_steps": "warmup_steps lr_scheduler_warmup_steps num_warmup_steps",
    "warmup_ratio": "warmup_ratio warmup_proportion lr_scheduler_warmup_ratio",
    "seed": "seed random_seed",
    "gradient_accumulation_steps": "gradient_accumulation_steps gradient_accumulation gradient_accumulations "
    "grad_accum_steps",
    "mixed_precision": "mixed_precision mixed_precision_training training_precision precision fp16",
    "max_seq_length": "max_seq_length max_seq_len max_length sequence_length seq_len n_ctx max_source_length",
}
_HP_CANON = {_an(alias): key for key, aliases in _HP_NAMES.items() for alias in aliases.split()}


def norm_task(v: Any) -> str:
    return _TASK_SYNONYMS.get(_an(v), str(v).strip().lower().replace("_", "-").replace(" ", "-"))


def norm_library(v: Any) -> str:
    return _LIBRARY_SYNONYMS.get(_an(v), _an(v))


def norm_framework(v: Any) -> str:
    return _FRAMEWORK_SYNONYMS.get(_an(v), _an(v))


def norm_language(v: Any) -> str:
    s = str(v).strip().lower()
    return _LANGUAGE_NAMES.get(s, re.split(r"[-_]", s)[0])


def norm_license(v: Any) -> str | None:
    return None if empty(v) else _LICENSE_SYNONYMS.get(_an(v), str(v).strip().lower().replace(" ", "-"))


def norm_repo(v: Any) -> str:
    s = re.sub(r"^(https?://)?(www\.)?github\.com/", "", str(v).strip().lower())
    return "/".join([p for p in re.sub(r"\.git$", "", s).split("/") if p][:2])


def norm_arxiv(v: Any) -> str:
    m = re.search(r"\d{4}\.\d{4,5}", str(v))
    return m.group(0) if m else _an(v)


def norm_metric(v: Any) -> str:
    return _METRIC_SYNONYMS.get(_an(v), _an(v))


def hardware_key(v: Any) -> str:
    low = str(v).lower()
    for rx, fmt in ((r"tpu\s*-?v?\s*(\d)", "tpuv{}"), (r"\b([ahvtpk]\d{1,3}g?)\b", "{}"), (r"rtx\s*-?(\d{4})", "rtx{}"),
                    (r"gtx\s*-?(\d{4})", "gtx{}"), (r"xeon\s+platinum\s+(\d{4})", "xeonplatinum{}")):  # fmt: skip
        m = re.search(rx, low)
        if m:
            return fmt.format(m.group(1))
    return "tpu" if "tpu" in low else "gpu" if "gpu" in low else _an(low)


def same_name(p: Any, g: Any) -> bool:
    """Dataset / model name identity: org dropped, then alphanumerics, containment (>= 4), word Jaccard >= 0.5."""
    if empty(p) or empty(g):
        return False
    a, b = _an(_drop_org(p)), _an(_drop_org(g))
    a, b = _DATASET_SYNONYMS.get(a, a), _DATASET_SYNONYMS.get(b, b)
    if a == b or _an(p) == _an(g):
        return True
    if min(len(a), len(b)) >= 4 and (a in b or b in a):
        return True
    return _jaccard(_words(_drop_org(p)), _words(_drop_org(g))) >= 0.5


# -------------------------------------------------------------------------------------------- cell scores


def _f1(pred: list, gold: list, match: Callable[[Any, Any], bool]) -> float:
    """Set F1 with one-to-one matching (each prediction used at most once)."""
    if not pred and not gold:
        return 1.0
    if not pred or not gold:
        return 0.0
    free = list(range(len(pred)))
    hits = 0
    for g in gold:
        for i in free:
            if match(pred[i], g):
                free.remove(i)
                hits += 1
                break
    if not hits:
        return 0.0
    precision, recall = hits / len(pred), hits / len(gold)
    return 2 * precision * recall / (precision + recall)


_LIST_RULES: dict[str, tuple[Callable[[Any], Any], Callable[[Any, Any], bool]]] = {
    "model_tasks": (
        norm_task,
        lambda p, g: norm_task(p) == norm_task(g) or _jaccard(_words(p), _words(g)) >= 0.5,
    ),
    "libraries": (norm_library, lambda p, g: norm_library(p) == norm_library(g) or same_name(p, g)),
    "frameworks": (norm_framework, lambda p, g: norm_framework(p) == norm_framework(g)),
    "languages": (norm_language, lambda p, g: norm_language(p) == norm_language(g)),
    "hardware": (hardware_key, lambda p, g: hardware_key(p) == hardware_key(g)),
    "github_repo": (norm_repo, lambda p, g: norm_repo(p) == norm_repo(g)),
}


def score_list(name: str, pred: Any, gold: Any) -> float:
    if name == "papers":
        p = dedup((norm_arxiv(x) for x in _listify(pred)), lambda x: x)
        g = [norm_arxiv(x) for x in _listify(gold)]
        return _f1([x for x in p if x not in IGNORED_PAPERS], [x for x in g if x not in IGNORED_PAPERS], str.__eq__)
    if name in ("datasets", "base_models"):
        return _f1(_listify(pred), _listify(gold), same_name)
    key, match = _LIST_RULES[name]
    return _f1(dedup(_listify(pred), key), _listify(gold), match)


def _canonical_hp(values: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(values, dict):
        for k, v in values.items():
            ck = _HP_CANON.get(_an(k))
            if ck and ck not in out and not empty(v):
                out[ck] = v
    return out


def _hp_equal(key: str, p: Any, g: Any) -> bool:
    pn, gn = _number(p), _number(g)
    if pn is not None and gn is not None:
        return abs(pn - gn) <= 1e-6 * max(1.0, abs(gn))
    if isinstance(p, bool) or isinstance(g, bool):
        return str(p).lower() == str(g).lower()
    if key == "optimizer":
        first = {"adamweightdecay": "adamw", "adamwtorch": "adamw", "adamwhf": "adamw"}

        def head(s: Any) -> str:
            return re.split(r"[^a-z0-9]+", str(s).lower().strip())[0]

        return first.get(head(p), head(p)) == first.get(head(g), head(g))
    if key == "lr_scheduler_type":
        return bool(_an(p) and _an(g)) and (_an(p) in _an(g) or _an(g) in _an(p))
    return _an(p) == _an(g)


def score_hyperparameters(pred: Any, gold: Any) -> float:
    p, g = _canonical_hp(pred), _canonical_hp(gold)
    if not p and not g:
        return 1.0
    if not p or not g:
        return 0.0
    hits = sum(1 for k, v in g.items() if k in p and _hp_equal(k, p[k], v))
    if not hits:
        return 0.0
    precision, recall = hits / len(p), hits / len(g)
    return 2 * precision * recall / (precision + recall)


_GENERIC_DATASET_WORDS = {"test", "dev", "validation", "val", "eval", "evaluation", "set", "split", "data",
                          "dataset", "the", "and", "of", "on", "en", "zero", "shot"}  # fmt: skip


def _result_matches(p: dict, g: dict) -> bool:
    gm = norm_metric(g.get("metric"))
    if gm != "score" and gm != norm_metric(p.get("metric")):
        return False
    pv, gv = _number(p.get("value")), _number(g.get("value"))
    if pv is None or gv is None:
        return False

    def near(a: float) -> bool:
        return abs(a - gv) <= 0.005 * max(1.0, abs(gv))

    if not (near(pv) or near(pv * 100) or near(pv / 100)):
        return False
    pd, gd = p.get("dataset"), g.get("dataset")
    if empty(pd) or empty(gd):
        return True
    shared = (_words(_drop_org(pd)) & _words(_drop_org(gd))) - _GENERIC_DATASET_WORDS
    return same_name(pd, gd) or bool(shared)


def score_evaluation(pred: Any, gold: Any) -> float:
    kept = [r for r in _listify(pred) if isinstance(r, dict) and norm_metric(r.get("metric")) not in _SKIPPED_METRICS]
    return _f1(kept, _listify(gold), _result_matches)


def score_scalar(name: str, pred: Any, gold: Any) -> float:
    if name == "domain":
        return float((None if empty(pred) else _an(pred)) == (None if empty(gold) else _an(gold)))
    if name == "license":
        return float(norm_license(pred) == norm_license(gold))
    if name in ("parameter_count", "carbon_emitted_kg"):
        if empty(gold) or empty(pred):
            return float(empty(gold) and empty(pred))
        pn, gn = _number(pred), _number(gold)
        return float(pn is not None and gn is not None and abs(pn - gn) <= 0.01 * abs(gn))
    if name == "demonstration":
        return float(bool(pred) == bool(gold))
    return float(empty(pred) == empty(gold))  # free text: presence only


def score_cell(name: str, pred: Any, gold: Any) -> float:
    if name in LIST_FIELDS:
        return score_list(name, pred, gold)
    if name == "hyperparameters":
        return score_hyperparameters(pred, gold)
    if name == "evaluation":
        return score_evaluation(pred, gold)
    return score_scalar(name, pred, gold)


# -------------------------------------------------------------------------------------------- report


@dataclass
class Report:
    overall_accuracy: float
    accuracy_on_stated_fields: float
    hallucination_rate: float
    per_field: dict[str, float]
    per_card: dict[str, float]
    invented: list[tuple[str, str]] = field(default_factory=list)  # (card id, field)

    def lines(self) -> list[str]:
        out = [
            f"overall accuracy: {100 * self.overall_accuracy:.2f}%  ({len(self.per_card)} cards x {len(FIELD_NAMES)} "
            "fields)",
            f"accuracy on fields the card states: {100 * self.accuracy_on_stated_fields:.2f}%",
            f"hallucination rate (value given where the card states none): {100 * self.hallucination_rate:.2f}%",
        ]
        out += [f"  {name:24s} {100 * v:6.2f}%" for name, v in self.per_field.items()]
        return out


def evaluate(predictions: dict[str, dict], labels: list[dict]) -> Report:
    """Score predictions ({card id: fields}) against label records ({id, fields, alternatives})."""
    per_field: dict[str, list[float]] = {n: [] for n in FIELD_NAMES}
    per_card: dict[str, float] = {}
    stated: list[float] = []
    unstated = 0
    invented: list[tuple[str, str]] = []
    for record in labels:
        pred = predictions.get(record["id"]) or {}
        scores = []
        for name in FIELD_NAMES:
            gold = record["fields"].get(name)
            candidates = [gold, *record.get("alternatives", {}).get(name, [])]
            best = max(score_cell(name, pred.get(name), c) for c in candidates)
            per_field[name].append(best)
            scores.append(best)
            if name == "demonstration":
                continue
            if empty(gold):
                unstated += 1
                if not empty(pred.get(name)) and best < 1.0:
                    invented.append((record["id"], name))
            else:
                stated.append(best)
        per_card[record["id"]] = sum(scores) / len(scores)
    cells = [v for values in per_field.values() for v in values]
    return Report(
        overall_accuracy=sum(cells) / len(cells) if cells else 0.0,
        accuracy_on_stated_fields=sum(stated) / len(stated) if stated else 1.0,
        hallucination_rate=len(invented) / unstated if unstated else 0.0,
        per_field={n: sum(v) / len(v) if v else 0.0 for n, v in per_field.items()},
        per_card=per_card,
        invented=invented,
    )

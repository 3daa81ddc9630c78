"""Deterministic extraction of the 20 card fields: exact, free, and silent when the card does not say.

Sources, in order of trust: Hub fields (when the database has them), the YAML front matter, then the Markdown
(sections, key/value lists, tables, code blocks, prose patterns). Every rule is written to return nothing rather
than guess: a wrong value costs more than a missing one (the LLM pass may fill the gap).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from crawler.vocab import FRAMEWORK_TAGS, GENERIC_TASKS, LIBRARIES, TASK_DOMAIN, classify_tag, is_loader, normalize_task
from enrich import vocab
from enrich.markdown import Card, key_values, links, parse_card, sentences, strip_inline, tables
from enrich.values import EvalResult
from enrich.vocab import alnum, is_placeholder

RULES_VERSION = "rules-2"


@dataclass
class HubInfo:
    """Hub facts about the model that the crawl database may hold."""

    model_id: str | None = None
    pipeline_tag: str | None = None
    library_name: str | None = None
    tags: list[str] = field(default_factory=list)
    safetensors_total: int | None = None
    architectures: list[str] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------- helpers


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def _str_list(value: Any) -> list[str]:
    return [str(v).strip() for v in _as_list(value) if isinstance(v, (str, int, float)) and not is_placeholder(v)]


def dedup(items: Iterable[Any], key: Callable[[Any], Any] = lambda x: x) -> list:
    """Items in order, the first of each key kept."""
    seen, out = set(), []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _to_number(text: Any) -> int | float | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        return text
    s = str(text).strip().replace(",", "")
    if re.fullmatch(r"[-+]?\d+", s):
        return int(s)
    if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?", s, re.I):
        return float(s)
    return None


def _typed(value: str) -> Any:
    """A hyper-parameter value as number/bool when it is one, else the stripped string."""
    v = value.strip().strip("`").strip()
    num = _to_number(v)
    if num is not None:
        return num
    if v.lower() in ("true", "false"):
        return v.lower() == "true"
    return v


def _names_match(a: str, b: str) -> bool:
    """Loose identity of two dataset/model names (org prefix, punctuation and case ignored)."""

    def core(s: str) -> str:
        s = s.strip()
        if "/" in s and not s.lower().startswith("http"):
            s = s.rsplit("/", 1)[-1]
        s = re.sub(r"(\d)[._]0\b", r"\1", s)  # 2.0 -> 2, 11_0 -> 11
        s = re.sub(r"(?<=[a-z])[ _-]?v(?=\d)", "", s, flags=re.I)  # squad_v2 -> squad2
        return alnum(s)

    ca, cb = core(a), core(b)
    if not ca or not cb:
        return False
    if ca == cb or (min(len(ca), len(cb)) >= 5 and (ca in cb or cb in ca)):
        return True
    ta = set(re.split(r"[^a-z0-9]+", a.lower())) - {""}
    tb = set(re.split(r"[^a-z0-9]+", b.lower())) - {""}
    return bool(ta and tb) and len(ta & tb) / len(ta | tb) >= 0.5


def _add_names(out: list[str], names: Iterable[str]) -> None:
    for n in names:
        n = n.strip().strip(".,;:").strip()
        if n and not is_placeholder(n) and not any(_names_match(n, o) for o in out):
            out.append(n)


def _meta_tags(card: Card, hub: HubInfo) -> list[str]:
    return [t.lower() for t in _str_list(card.meta.get("tags")) + list(hub.tags)]


_HF_MODEL_URL = re.compile(r"https?://(?:www\.)?huggingface\.co/(?!datasets/|spaces/|docs/|blog/)([\w.-]+/[\w.-]+)")
_HF_DATASET_URL = re.compile(r"https?://(?:www\.)?huggingface\.co/datasets/([\w.-]+(?:/[\w.-]+)?)")
_HEDGE = re.compile(
    r"\b(can|could|may|might|should|would|you|your|if|downstream|such as|e\.g\.|for example|intended to be|"
    r"aimed at|recommend|plan|will be)\b",
    re.I,
)


def _usage_section(path: str) -> bool:
    return bool(re.search(r"usage|how to|use|inference|example|get started|quick ?start|demo", path))


# ------------------------------------------------------------------------------------------------- tasks


_PROBLEM_TYPES = {
    "binary classification": "text-classification",
    "multi-class classification": "text-classification",
    "multi class classification": "text-classification",
    "multi-label classification": "text-classification",
    "entity extraction": "token-classification",
    "extractive question answering": "question-answering",
    "single column regression": "regression",
    "regression": "regression",
}

_TASK_PHRASES = {
    "named entity recognition": "token-classification",
    "ner": "token-classification",
    "token classification": "token-classification",
    "part-of-speech tagging": "token-classification",
    "pos tagging": "token-classification",
    "sentiment analysis": "text-classification",
    "sentiment classification": "text-classification",
    "text classification": "text-classification",
    "sequence classification": "text-classification",
    "question answering": "question-answering",
    "extractive question answering": "question-answering",
    "summarization": "summarization",
    "summarisation": "summarization",
    "machine translation": "translation",
    "translation": "translation",
    "text generation": "text-generation",
    "language generation": "text-generation",
    "causal language modeling": "text-generation",
    "causal language modelling": "text-generation",
    "masked language modeling": "fill-mask",
    "masked language modelling": "fill-mask",
    "mlm": "fill-mask",
    "fill-mask": "fill-mask",
    "speech recognition": "automatic-speech-recognition",
    "automatic speech recognition": "automatic-speech-recognition",
    "asr": "automatic-speech-recognition",
    "text-to-speech": "text-to-speech",
    "text to speech": "text-to-speech",
    "speech synthesis": "text-to-speech",
    "image classification": "image-classification",
    "object detection": "object-detection",
    "image segmentation": "image-segmentation",
    "semantic segmentation": "image-segmentation",
    "image captioning": "image-to-text",
    "depth estimation": "depth-estimation",
    "audio classification": "audio-classification",
    "sentence similarity": "sentence-similarity",
    "semantic similarity": "sentence-similarity",
    "sentence embeddings": "sentence-similarity",
    "zero-shot classification": "zero-shot-classification",
    "text-to-image": "text-to-image",
    "text to image": "text-to-image",
    "visual question answering": "visual-question-answering",
    "dialogue response generation": "conversational",
    "response generation": "conversational",
    "paraphrasing": "text2text-generation",
    "paraphrase generation": "text2text-generation",
}
_TASK_PHRASE_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(p) for p in _TASK_PHRASES), key=len, reverse=True)) + r")\b", re.I
)
_OBJECTIVE_RE = re.compile(
    r"\b(?:pre-?trained|trained)\b[^.]{0,80}?\b(?:for|with|using|on)\b[^.]{0,40}?"
    r"(masked language model(?:ing|ling)?|mlm|causal language model(?:ing|ling)?)",
    re.I,
)
_TASK_CLAIM_RE = re.compile(
    r"(?:\b(?:model|checkpoint|system)\s+(?:for|on)\s+(?:the\s+task\s+of\s+)?|"
    r"\b(?:fine-?tuned|trained)\s+(?:for|on)\s+(?:the\s+)?(?:task\s+of\s+)?)"
    r"(?:[\w-]+\s+){0,2}?(" + _TASK_PHRASE_RE.pattern[3:-3] + r")\b",
    re.I,
)
_TASK_NOUN_RE = re.compile(
    r"\b(?:a|an|this|the)\s+(?:[\w-]+\s+){0,3}?(" + _TASK_PHRASE_RE.pattern[3:-3] + r")\s+(?:model|system)\b", re.I
)

_ARCH_TASKS = (
    ("ForSequenceClassification", "text-classification"),
    ("ForTokenClassification", "token-classification"),
    ("ForQuestionAnswering", "question-answering"),
    ("ForMaskedLM", "fill-mask"),
    ("ForCausalLM", "text-generation"),
    ("LMHeadModel", "text-generation"),
    ("ForImageClassification", "image-classification"),
    ("ForObjectDetection", "object-detection"),
    ("ForCTC", "automatic-speech-recognition"),
    ("ForSpeechSeq2Seq", "automatic-speech-recognition"),
    ("ForSemanticSegmentation", "image-segmentation"),
    ("ForAudioClassification", "audio-classification"),
)


def extract_tasks(card: Card, hub: HubInfo) -> tuple[list[str], str]:
    tasks: list[str] = []
    meta = card.meta
    for t in (hub.pipeline_tag, meta.get("pipeline_tag")):
        if isinstance(t, str) and t.strip():
            tasks.append(normalize_task(t) or t.strip().lower())
    for t in _str_list(meta.get("task")) + _str_list(meta.get("tasks")) + _meta_tags(card, hub):
        n = normalize_task(t)
        if n:
            tasks.append(n)
    for result in _model_index_results(meta):
        task = result.get("task") if isinstance(result.get("task"), dict) else {}
        for key in ("type", "name"):
            n = normalize_task(str(task.get(key) or ""))
            if n:
                tasks.append(n)
                break
    if tasks:
        return dedup(tasks), "yaml"
    for key, value in key_values(card.prose):
        if alnum(key) in ("problemtype", "task", "tasktype", "modeltask"):
            v = strip_inline(value).lower()
            n = normalize_task(v) or _PROBLEM_TYPES.get(v) or _TASK_PHRASES.get(v)
            if n:
                tasks.append(n)
    if tasks:
        return dedup(tasks), "key-value"
    for sent in sentences(card.prose):
        m = _OBJECTIVE_RE.search(sent)
        if m and not re.search(r"\b(can|could|may|you)\b", sent[: m.start()], re.I):
            tasks.append(
                _TASK_PHRASES.get(m.group(1).lower().replace("modelling", "modeling"), "fill-mask")
                if "causal" in m.group(1).lower()
                else "fill-mask"
            )
            continue
        if _HEDGE.search(sent):
            continue
        for rx in (_TASK_NOUN_RE, _TASK_CLAIM_RE):
            m = rx.search(sent)
            if m:
                tasks.append(_TASK_PHRASES[m.group(1).lower()])
                break
    if tasks:
        return dedup(tasks), "prose"
    for arch in hub.architectures:
        for suffix, task in _ARCH_TASKS:
            if arch.endswith(suffix):
                return [task], "hub-config"
    return [], ""


# ------------------------------------------------------------------------------------------------- domain

DOMAIN_HINTS = (
    (
        "multimodal",
        r"\b(clip|blip|layoutlm\w*|llava|vilt|git-base|donut|pix2struct|stable[- ]diffusion|"
        r"latent[- ]diffusion|text-to-image|image-to-text|vision[- ]language|visual question)\b",
    ),
    ("audio", r"\b(whisper|wav2vec2?|hubert|wavlm|speecht5|tts|asr|speech|audio|voice|speaker|acoustic)\b"),
    (
        "computer-vision",
        r"\b(vit|deit|beit|swin|convnext|resnet\d*|efficientnet|yolo\w*|detr|mobilenet\w*|"
        r"segformer|mask2former|unet|ddpm|gan|image|images|pixel|vision|cifar\d*|imagenet)\b",
    ),
    (
        "reinforcement-learning",
        r"\b(reinforcement learning|ppo|dqn|a2c|sac|td3|gym|atari|mujoco|agent|"
        r"stable-baselines3|ml-agents)\b",
    ),
    ("tabular", r"\b(tabular|sklearn|scikit-learn|xgboost|lightgbm|catboost|dataframe|csv)\b"),
    (
        "nlp",
        r"\b(bert|roberta|gpt-?\d?|t5|bart|pegasus|electra|xlnet|deberta|albert|longformer|llama|mistral|"
        r"language model|text|sentence|sentences|token|tokens|nlp|translation|summari[sz]ation|"
        r"question answering|ner|corpus|vocabulary|words?)\b",
    ),
)
_LIBRARY_DOMAIN = {
    "spacy": "nlp",
    "flair": "nlp",
    "sentence-transformers": "nlp",
    "stanza": "nlp",
    "allennlp": "nlp",
    "paddlenlp": "nlp",
    "span-marker": "nlp",
    "setfit": "nlp",
    "fasttext": "nlp",
    "bertopic": "nlp",
    "gliner": "nlp",
    "timm": "computer-vision",
    "yolov5": "computer-vision",
    "ultralytics": "computer-vision",
    "speechbrain": "audio",
    "espnet": "audio",
    "pyannote.audio": "audio",
    "asteroid": "audio",
    "stable-baselines3": "reinforcement-learning",
    "ml-agents": "reinforcement-learning",
    "sample-factory": "reinforcement-learning",
    "open_clip": "multimodal",
}


def extract_domain(card: Card, hub: HubInfo, tasks: list[str], libraries: list[str]) -> tuple[str | None, str]:
    specific = [t for t in tasks if t in TASK_DOMAIN and t not in GENERIC_TASKS]
    for t in specific or [t for t in tasks if t in TASK_DOMAIN]:
        return TASK_DOMAIN[t], "task"
    if any(t in ("regression", "classification") for t in tasks) and not card.prose.strip():
        return None, ""
    for lib in libraries:
        if lib in _LIBRARY_DOMAIN:
            return _LIBRARY_DOMAIN[lib], "library"
    tags = " ".join(_meta_tags(card, hub))
    for dom, word in (
        ("audio", "audio"),
        ("computer-vision", "vision"),
        ("nlp", "nlp"),
        ("reinforcement-learning", "reinforcement-learning"),
        ("tabular", "tabular"),
    ):
        if re.search(rf"\b{word}\b", tags):
            return dom, "tag"
    text = " ".join([tags, card.prose, " ".join(b.text for b in card.code_blocks)]).lower()
    if len(alnum(card.prose)) < 40 and not card.code_blocks:
        return None, ""
    scores = {d: len(re.findall(rx, text)) for d, rx in DOMAIN_HINTS}
    best = max(scores, key=lambda d: scores[d])
    if scores[best] >= 2:
        return best, "keywords"
    return None, ""


# ------------------------------------------------------------------------------------------------- libraries

_IMPORT_RE = re.compile(r"^[ \t]*+(?:from|import)\s++([A-Za-z_]\w*)", re.M)
_PIP_RE = re.compile(r"pip3?\s+install\s+(?:-[-\w]+\s+)*([^\n#]+)")
_LIB_PROSE_RE = re.compile(
    r"\b(?:trained|fine-?tuned|built|implemented|created|developed|loaded|served|run|used)\s+(?:with|using|in|by)\s+"
    r"(?:the\s+)?(?:hugging\s*face\s+)?([\w.-]+)"
    r"|\b(?:this|a|an)\s+([\w.-]+)\s+model\b"
    r"|\busing\s+(?:the\s+)?([\w.-]+)\s+(?:library|toolkit)\b"
    r"|\b(?:load|use|run)\s+(?:the|this)\s+model\s+(?:in|with)\s+(?:an?\s+|the\s+)?([\w.-]+)",
    re.I,
)
_LIB_CASE: dict[str, str] = {}
for _lib in sorted(LIBRARIES):  # sorted: of two spellings (open_clip, openclip) the same one wins on every run
    _LIB_CASE.setdefault(alnum(_lib), _lib)
_LIB_CASE.update(
    {
        "scikitlearn": "scikit-learn",
        "sentencetransformers": "sentence-transformers",
        "huggingfacetransformers": "transformers",
        "nemotoolkit": "nemo",
    }
)


def _framework_versions(card: Card) -> list[tuple[str, str]]:
    out = []
    for sec in card.sections_matching(r"framework versions|software|dependencies|requirements|environment"):
        for line in sec.text.split("\n"):
            m = re.match(r"\s*[-*+]\s+\**([A-Za-z][\w .-]*?)\**\s*[:=]?\s*v?(\d[\w.+-]*)?\s*$", line)
            if m:
                out.append((m.group(1).strip().lower(), m.group(2) or ""))
    return out


def extract_libraries(card: Card, hub: HubInfo) -> tuple[list[str], str]:
    libs: list[str] = []
    how = []
    for name in (hub.library_name, card.meta.get("library_name")):
        if isinstance(name, str) and name.strip() and not is_placeholder(name):
            libs.append(name.strip().lower())
            how.append("library_name")
    for tag in _meta_tags(card, hub):
        if classify_tag(tag).loader:
            libs.append(tag)
            how.append("tags")
        elif tag == "generated_from_trainer":
            libs.append("transformers")
            how.append("tags")
        elif tag == "generated_from_keras_callback":
            libs += ["transformers", "keras"]
            how.append("tags")
    for name, _ in _framework_versions(card):
        if name in vocab.VERSION_LIST_LIBRARIES:
            libs.append(vocab.VERSION_LIST_LIBRARIES[name])
            how.append("framework-versions")
    for block in card.code_blocks:
        if block.lang in ("bibtex", "bib", "latex", "tex"):
            continue
        for mod in _IMPORT_RE.findall(block.text):
            if mod in vocab.IMPORT_LIBRARIES:
                libs.append(vocab.IMPORT_LIBRARIES[mod])
                how.append("code")
        if "from_pretrained_keras" in block.text:
            libs.append("keras")
            how.append("code")
        for pkgs in _PIP_RE.findall(block.text):
            for pkg in re.split(r"\s+", pkgs.strip()):
                pkg = re.split(r"[<>=\[@]", pkg.lower())[0]
                if is_loader(pkg):
                    libs.append(pkg)
                    how.append("code")
    for sent in sentences(card.prose):
        for m in _LIB_PROSE_RE.finditer(re.sub(r"[`*]", "", sent)):
            word = next(g for g in m.groups() if g)
            lib = _LIB_CASE.get(alnum(word))
            if lib and is_loader(lib):
                libs.append(lib)
                how.append("prose")
    return dedup(libs), (how[0] if how else "")


# ------------------------------------------------------------------------------------------------- frameworks

_FW_WORD_RE = re.compile(r"(?<![\w/.-])(pytorch|tensorflow|jax|flax)(?![\w/-])", re.I)


def extract_frameworks(card: Card, hub: HubInfo) -> tuple[list[str], str]:
    fws: list[str] = []
    how = []
    for tag in _meta_tags(card, hub):
        if tag in FRAMEWORK_TAGS:
            fws.append(FRAMEWORK_TAGS[tag])
            how.append("tags")
    for name, _ in _framework_versions(card):
        if name in vocab.VERSION_LIST_FRAMEWORKS:
            fws.append(vocab.VERSION_LIST_FRAMEWORKS[name])
            how.append("framework-versions")
    for block in card.code_blocks:
        for mod in _IMPORT_RE.findall(block.text):
            if mod in vocab.FRAMEWORK_IMPORTS:
                fws.append(vocab.FRAMEWORK_IMPORTS[mod])
                how.append("code")
    for sent in sentences(card.prose):
        plain = re.sub(r"https?://\S+|\([^)]{0,400}?https?://[^)]{0,400}+\)", " ", sent)
        if re.search(
            r"\b(convert\w*|port(ed|ing)?|original(ly)?|checkpoints? (from|of)|instructions|examples?|see|"
            r"refer\w*|check out|follow|also|can|could|you|if)\b",
            plain,
            re.I,
        ):
            continue
        for m in _FW_WORD_RE.finditer(plain):
            fws.append(FRAMEWORK_TAGS[m.group(1).lower()])
            how.append("prose")
    return dedup(fws), (how[0] if how else "")


# ------------------------------------------------------------------------------------------------- licence

_LICENSE_SENT_RE = re.compile(
    r"\b(?:released|licen[sc]ed|distributed|available|provided)\s+under\s+(?:the\s+|an?\s+)?([\w .+-]{2,40}?)"
    r"(?:\s+licen[sc]e)?(?=[.,;)\n]|\s+\(|$)",
    re.I,
)


def extract_license(card: Card, hub: HubInfo) -> tuple[str | None, str]:
    raw = card.meta.get("license")
    for value in _as_list(raw):
        if isinstance(value, str) and not is_placeholder(value):
            lic = vocab.normalize_license(value)
            if lic:
                return lic, "yaml"
            if value.strip().lower() != "unknown":
                return "other", "yaml"
    for tag in hub.tags:
        if tag.startswith("license:"):
            lic = vocab.normalize_license(tag.split(":", 1)[1])
            if lic:
                return lic, "hub-tags"
    for key, value in key_values(card.prose):
        if alnum(key) in ("license", "licence", "licensing", "modellicense"):
            lic = vocab.normalize_license(strip_inline(value))
            if lic and lic != "other":
                return lic, "key-value"
    for sent in sentences(card.prose):
        for m in _LICENSE_SENT_RE.finditer(strip_inline(sent)):
            lic = vocab.normalize_license(m.group(1))
            if lic and lic != "other":
                return lic, "prose"
    return None, ""


# ------------------------------------------------------------------------------------------------- datasets

# Bounded spans: unbounded `.*?` ... `.+?` went cubic on a repeated "fine-tuned version of" (issue 13).
_TRAINER_DATA_RE = re.compile(r"fine-?tuned version of\s++\S.{0,200}?\s+on\s+(?:the\s+)?(.{1,120}?)\s+dataset\b", re.I)
_TRAINED_ON_RE = re.compile(
    r"\b(?:pre-?trained|trained|fine-?tuned)\s+(?:\w+\s+)?on\s+(?:the\s+|a\s+)?(.{3,90}?)"
    r"(?:\s+(?:dataset|corpus|data\s*set)s?\b|\s+(?:with|using|for|to|by|in order)\b|[.,;:(\n]|$)",
    re.I,
)
_NOT_DATA = re.compile(
    r"\b(gpus?|tpus?|v100|a100|cpus?|hours?|days?|steps?|epochs?|batch|nodes?|machines?|cluster|top of|"
    r"downstream|tasks?|it|this|that|your|my|our|an unknown|unknown|none|same|following|custom|single|"
    r"multiple|several|various|tokens|offline|online|proprietary|private|internal|in-house)\b",
    re.I,
)
_DATA_KEYS = {
    "dataset",
    "datasets",
    "trainingdata",
    "trainingdataset",
    "trainingdatasets",
    "trainedon",
    "pretrainingdata",
    "finetuningdata",
    "finetuningdataset",
}


def _clean_dataset(name: str) -> str:
    name = re.sub(r"\(\s*https?://[^)]{0,400}+\)|https?://\S+", "", strip_inline(name))
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.I)
    return name.strip(" .,:;-")


_VERB_WORDS = re.compile(r"\b(will|would|not|is|are|was|were|has|have|had|can|cannot|does|do|did|should)\b", re.I)


def _spacy_sources(prose: str) -> list[str]:
    """Corpus names of a spaCy "Sources" row: `| **Sources** | [OntoNotes 5](url) (...)<br />[WordNet 3.0](url) |`."""
    row = re.search(r"^[ \t]*+\|\s*\**Sources\**\s*\|(.*?)\|?\s*$", prose, re.M)
    out: list[str] = []
    for part in re.split(r"<br\s*/?>", row.group(1) if row else ""):
        m = re.match(r"\s*\[([^\]]{2,80})\]\(", part) or re.match(r"\s*([^(<\[]{2,80}?)\s*(?:\(|$)", part)
        if m and not is_placeholder(m.group(1)):
            out.append(m.group(1).strip())
    return out


def extract_datasets(card: Card, hub: HubInfo) -> tuple[list[str], str]:
    out: list[str] = []
    _add_names(out, _str_list(card.meta.get("datasets")))
    _add_names(out, [t.split(":", 1)[1] for t in hub.tags if t.startswith("dataset:")])
    how = "yaml" if out else ""
    found: list[str] = []
    instance_prompt = alnum(card.meta.get("instance_prompt") or "")
    for key, value in key_values(card.prose):
        if alnum(key) == "sources" and "spacy" in _meta_tags(card, hub) and not is_placeholder(value):
            found += _spacy_sources(card.prose)  # spaCy pipeline table: "Sources" lists the training corpora
        if alnum(key) in _DATA_KEYS and not is_placeholder(value):
            for url in _HF_DATASET_URL.findall(value):
                found.append(url)
            cleaned = _clean_dataset(value)
            if cleaned and len(cleaned) <= 80 and not _NOT_DATA.fullmatch(cleaned):
                found.append(cleaned)
    for sent in sentences(card.prose):
        if re.search(r"\b(evaluat\w*|tested|test set|benchmark)\b", sent, re.I):
            m = _TRAINER_DATA_RE.search(sent)
            if not m:
                continue
        m = _TRAINER_DATA_RE.search(sent)
        if m:
            found.append(_clean_dataset(m.group(1)))
            continue
        if _HEDGE.search(sent) or (out and how == "yaml"):
            continue  # loose "trained on ..." phrases only when the YAML names no dataset
        for m in _TRAINED_ON_RE.finditer(sent):
            cand = _clean_dataset(m.group(1))
            if not cand or _NOT_DATA.search(cand) or re.match(r"^\d+\s*(x|×)?\s*$", cand):
                continue
            if instance_prompt and alnum(cand) in instance_prompt:
                continue  # DreamBooth: "trained on a photo of sks dog" is the instance prompt
            parts = re.split(r"\s*,\s*|\s+and\s+", cand)
            if len(parts) > 1 and all(0 < len(p.split()) <= 4 for p in parts):
                found += [p for p in parts if not _VERB_WORDS.search(p)]
            elif not _VERB_WORDS.search(cand):
                found.append(cand)
    if "reinforcement-learning" in _meta_tags(card, hub) or any(
        isinstance(r.get("task"), dict) and r["task"].get("type") == "reinforcement-learning"
        for r in _model_index_results(card.meta)
    ):
        for res in _model_index_results(card.meta):
            ds = res.get("dataset") if isinstance(res.get("dataset"), dict) else {}
            if ds.get("name") or ds.get("type"):
                found.append(str(ds.get("name") or ds.get("type")))
        # the Hub's RL card template: "This is a trained model of a **PPO** agent playing **LunarLander-v2**"
        found += re.findall(r"\bagent\s+playing\s+\*\*([^*\n]{2,60})\*\*", card.prose, re.I)[:1]
    for para in re.split(r"\n\s*\n", card.prose):
        if re.search(r"\btrain", para, re.I) and not re.search(r"\b(evaluat\w*|test set)\b", para, re.I):
            found += [u.rstrip(".") for u in _HF_DATASET_URL.findall(para)]
    found = [f for f in found if f and len(f.split()) <= 10 and not is_placeholder(f)]
    before = len(out)
    _add_names(out, found)
    if len(out) > before and not how:
        how = "prose"
    return out, how


# ------------------------------------------------------------------------------------------------- base models

_NAME = r"\[([^\]]{2,80})\]\(([^)]+)\)|`?([\w.-]+/[\w.-]+)`?|((?:the\s+)?[A-Z][\w.-]*(?:[ -][A-Za-z0-9][\w.-]*){0,3})"
_BASE_RES = (
    re.compile(r"fine-?tuned\s+(?:version|checkpoint)\s+of\s+(?:the\s+)?(?:" + _NAME + ")"),
    re.compile(r"(?i:fork)\s+of\s+(?:" + _NAME + ")"),
    re.compile(
        r"(?i:(?:fine-?tuned|initiali[sz]ed|warm-?started|started|continued|distilled|adapted|derived|trained))"
        r"\s+(?i:from|on top of)\s+(?:the\s+|a\s+|an\s+)?(?:" + _NAME + r")\s*(?i:checkpoint|model|weights)"
    ),
    re.compile(
        r"(?i:(?:fine-?tuned|initiali[sz]ed|warm-?started|started)\s+from)\s+(?:\[([^\]]{2,80})\]\(([^)]+)\)|"
        r"`?([\w.-]+/[\w.-]+)`?)"
    ),
    re.compile(
        r"\bis\s+an?\s+[*_`]*([\w.-]+(?:/[\w.-]+)?)[*_`]*\s+model\s+(?:that|which)\s+(?:was|has\s+been)\s+fine-?tuned",
        re.I,
    ),
    re.compile(
        r"(?i:based\s+on)\s+(?:the\s+)?(?:\[([^\]]{2,80})\]\((https?://(?:www\.)?huggingface\.co/[^)]+)\)|"
        r"`([\w.-]+/[\w.-]+)`)"
    ),
    # "Fine-tuned [facebook/wav2vec2-large-xlsr-53](https://huggingface.co/...) on Turkish using ..." (XLSR template)
    re.compile(
        r"(?i:fine-?tuned)\s+\[([^\]]{2,80})\]\((https?://(?:www\.)?huggingface\.co/[^)]+)\)\s+(?i:on|with|using)\b"
    ),
    # "This is the [roberta-base](https://huggingface.co/roberta-base) model, fine-tuned using ..."
    re.compile(
        r"(?i:this\s+is\s+(?:the|an?))\s+\[([^\]]{2,80})\]\((https?://(?:www\.)?huggingface\.co/[^)]+)\)\s+"
        r"(?i:model|checkpoint),?\s+(?:(?:that|which)\s+(?:was|has\s+been)\s+)?(?i:fine-?tuned)"
    ),
)
_BASE_KEYS = {
    "basemodel",
    "finetunedfrom",
    "finetunedfrommodel",
    "parentmodel",
    "pretrainedmodel",
    "initialisedfrom",
    "initializedfrom",
    "startingcheckpoint",
    "originalmodel",
    "backbone",
}


def _base_from_match(m: re.Match) -> str | None:
    if len(m.groups()) == 1:
        text, url, hub_id, plain = None, None, None, m.group(1)
    else:
        text, url, hub_id, plain = (m.groups() + (None,) * 4)[:4]
    if url:
        hit = _HF_MODEL_URL.match(url.strip())
        return hit.group(1) if hit else text
    name = hub_id or plain
    if not name:
        return None
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.I).strip(" .,")
    if name.lower() in ("model", "models", "checkpoint", "it", "this", "a", "an", "pretrained", "scratch"):
        return None
    return name


def extract_base_models(card: Card, hub: HubInfo) -> tuple[list[str], str]:
    out: list[str] = []
    _add_names(out, _str_list(card.meta.get("base_model")))
    for t in hub.tags:
        if t.startswith("base_model:"):
            _add_names(out, [t.split(":")[-1]])
    if out:
        return out, "yaml"
    for key, value in key_values(card.prose):
        k = alnum(key)
        if k in _BASE_KEYS or (k == "model" and _HF_MODEL_URL.search(value)):
            if is_placeholder(value):
                continue
            hit = _HF_MODEL_URL.search(value)
            _add_names(out, [hit.group(1) if hit else _clean_dataset(value)])
    prose = card.prose
    for sent in re.split(r"(?<=[.!?])\s+|\n\s*\n", prose):
        if re.search(r"\b(convert\w*|ported)\b", sent, re.I):
            continue
        for rx in _BASE_RES:
            for m in rx.finditer(sent):
                name = _base_from_match(m)
                if name and len(name) <= 80:
                    _add_names(out, [name])
    return out, ("prose" if out else "")


# ------------------------------------------------------------------------------------------------- languages

_LANG_NAMES_RE = "|".join(n.capitalize() for n in vocab.LANGUAGE_NAMES)
_LANG_PROSE_RE = re.compile(
    rf"\b({_LANG_NAMES_RE})\s+(?:language\s+model|text|texts|speech|corpus|corpora|wikipedia|audio|tweets|"
    rf"news|sentences|data|version|asr|tts|speech recognition|language)\b"
    rf"|\b(?:in|for|on)\s+({_LANG_NAMES_RE})(?:\s+(?:and|or|,)\s+(?:{_LANG_NAMES_RE}))*\s*(?:[.,;]|$)"
)


def extract_languages(card: Card, hub: HubInfo) -> tuple[list[str], str]:
    langs: list[str] = []
    for v in _str_list(card.meta.get("language")) + _str_list(card.meta.get("languages")):
        code = vocab.normalize_language(v)
        if code:
            langs.append(code)
    if langs:
        return dedup(langs), "yaml"
    for key, value in key_values(card.prose):
        if re.fullmatch(r"languages?(?:\s*\(nlp\))?|natural languages?", key.strip().lower()):
            if is_placeholder(value):
                continue
            for part in re.split(r"\s*(?:,|/|;|\band\b)\s*", strip_inline(value)):
                code = vocab.normalize_language(part)
                if code:
                    langs.append(code)
    if langs:
        return dedup(langs), "key-value"
    for sent in sentences(card.prose):
        for m in _LANG_PROSE_RE.finditer(re.sub(r"[`*_]", "", sent)):
            for name in re.findall(_LANG_NAMES_RE, m.group(0)):
                code = vocab.normalize_language(name)
                if code:
                    langs.append(code)
    return dedup(langs), ("prose" if langs else "")


# ------------------------------------------------------------------------------------------------- parameters

_SCALE = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "t": 1e12,
    "trillion": 1e12,
}
_PARAM_RES = (
    re.compile(
        r"(?<!\d)(\d++(?:[.,]\d++)?)\s*+(k|m|mn|b|bn|t|thousand|million|billion|trillion)\b(?!\s*(?:tokens|words|"
        r"images|samples|examples|steps|hours|sentences|pairs|dialogues))[\s-]*(?:trainable\s+)?"
        r"param(?:eter)?s?\b",
        re.I,
    ),
    re.compile(
        r"(?:#\s*+params|num(?:ber)?\s+of\s+param(?:eter)?s|param(?:eter)?\s+count|model\s+param(?:eter)?s|"
        r"^[ \t]*+[-*]?[ \t]*+\**+param(?:eter)?s\**)\s*+[:|=]?\s*+(?:of\s++|is\s++)?(?:~|about|around|approx\.?|"
        r"approximately)?\s*+(\d[\d,]*(?:\.\d+)?)\s*(k|m|mn|b|bn|t|thousand|million|billion|trillion)?\b"
        r"(?!\s*(?:mb|gb|kb))",
        re.I | re.M,
    ),
    re.compile(
        r"(?:with|has|contains|of)\s+(?:~|about|around|approximately|roughly)?\s*(\d[\d,]*(?:\.\d+)?)\s*"
        r"(k|m|mn|b|bn|t|thousand|million|billion|trillion)?\s+(?:trainable\s+)?param(?:eter)?s\b",
        re.I,
    ),
)


_RANGE_BEFORE = re.compile(
    r"\d(?:[\d.,]*\d)?\s*(?:k|m|mn|b|bn|t|thousand|million|billion|trillion)?\s*(?:to|-|–|and|or)\s*$", re.I
)


def extract_parameter_count(card: Card, hub: HubInfo) -> tuple[int | None, str]:
    values: list[int] = []
    text = "\n".join(s.text for s in card.sections)
    for rx in _PARAM_RES:
        for m in rx.finditer(text):
            if _RANGE_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
                continue  # "ranging from 7 billion to 70 billion parameters": a family, not this checkpoint
            num = _to_number(m.group(1).replace(",", "") if m.group(2) or "." not in m.group(1) else m.group(1))
            if num is None:
                continue
            scale = _SCALE.get((m.group(2) or "").lower(), 1)
            count = int(round(float(num) * scale))
            if count >= 1000:
                values.append(count)
    for key, value in key_values(text):
        unit = re.fullmatch(r"\s*(?:#\s*)?params?\s*\(\s*(k|m|b)\s*\)\s*", key, re.I)  # timm: "Params (M): 25.6"
        if unit and _to_number(value.strip()) is not None:
            count = int(round(float(_to_number(value.strip()) or 0) * _SCALE[unit.group(1).lower()]))
            if count >= 1000:
                values.append(count)
            continue
        if re.fullmatch(r"n?(?:num|number|total|model|trainable)?(?:of)?param(?:eter)?s?(?:count)?", alnum(key)):
            m = re.fullmatch(
                r"~?\s*(\d[\d,]*(?:\.\d+)?)\s*(k|m|mn|b|bn|t|thousand|million|billion|trillion)?", value.strip(), re.I
            )
            if m:
                count = int(round(float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1)))
                if count >= 1000:
                    values.append(count)
    distinct = dedup(values, key=lambda v: round(v, -max(len(str(v)) - 3, 0)))
    if len(distinct) == 1:
        return distinct[0], "prose"
    if not distinct and hub.safetensors_total:
        return int(hub.safetensors_total), "hub-safetensors"
    return None, ""


# ------------------------------------------------------------------------------------------------- hyper-parameters

_HP_ALIASES = {
    "learning_rate": (
        "learning_rate",
        "lr",
        "learning_rate_init",
        "initial_learning_rate",
        "base_learning_rate",
        "base_lr",
        "peak_learning_rate",
        "max_learning_rate",
        "learning rate",
    ),
    "train_batch_size": (
        "train_batch_size",
        "batch_size",
        "per_device_train_batch_size",
        "training_batch_size",
        "batch size",
        "train batch size",
        "training batch size",
    ),
    "eval_batch_size": ("eval_batch_size", "per_device_eval_batch_size", "evaluation_batch_size", "eval batch size"),
    "total_train_batch_size": (
        "total_train_batch_size",
        "total_batch_size",
        "effective_batch_size",
        "global_batch_size",
        "total train batch size",
    ),
    "epochs": (
        "epochs",
        "num_epochs",
        "n_epochs",
        "num_train_epochs",
        "number of epochs",
        "max_epochs",
        "training epochs",
        "epoch",
    ),
    "training_steps": (
        "training_steps",
        "max_steps",
        "train_steps",
        "total_steps",
        "num_training_steps",
        "training steps",
    ),
    "optimizer": ("optimizer", "optim", "solver", "optimiser"),
    "adam_beta1": ("adam_beta1", "beta_1", "beta1"),
    "adam_beta2": ("adam_beta2", "beta_2", "beta2"),
    "adam_epsilon": ("adam_epsilon", "epsilon", "adam_eps", "eps"),
    "weight_decay": ("weight_decay", "weight_decay_rate", "wd", "weight decay"),
    "lr_scheduler_type": (
        "lr_scheduler_type",
        "lr_scheduler",
        "lr_schedule",
        "scheduler",
        "learning_rate_schedule",
        "learning rate schedule",
        "lr scheduler",
    ),
    "warmup_steps": ("warmup_steps", "lr_scheduler_warmup_steps", "num_warmup_steps", "warmup steps"),
    "warmup_ratio": ("warmup_ratio", "warmup_proportion", "lr_scheduler_warmup_ratio", "warmup ratio"),
    "seed": ("seed", "random_seed", "random_state"),
    "gradient_accumulation_steps": (
        "gradient_accumulation_steps",
        "gradient_accumulation",
        "grad_accum_steps",
        "accumulate_grad_batches",
        "gradient accumulation steps",
    ),
    "mixed_precision": (
        "mixed_precision",
        "mixed_precision_training",
        "training_precision",
        "precision",
        "fp16",
        "training regime",  # HF card template: "Training regime: fp16 mixed precision"
    ),
    "max_seq_length": (
        "max_seq_length",
        "max_seq_len",
        "sequence_length",
        "seq_len",
        "max_source_length",
        "max sequence length",
    ),
}
HP_CANONICAL = {alnum(a): k for k, aliases in _HP_ALIASES.items() for a in aliases}
_HP_SECTION = (
    r"hyper-?param|training (?:details|procedure|setup|config|configuration|arguments|parameters|args)|"
    r"fine-?tuning (?:details|hyper|setup|procedure)|training$"
)


def _optimizer_word(value: str) -> str | None:
    v = re.sub(r"^(?:use|using)\s+", "", str(value).strip(), flags=re.I)
    v = v.split(".")[-1] if v.lower().startswith("optimizernames.") else v
    m = re.match(r"[A-Za-z][A-Za-z0-9]*", v)
    return m.group(0).lower() if m else None


def _camel_words(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def _keras_optimizer(value: str, out: dict[str, Any]) -> None:
    """Flatten a Keras optimizer config dict literal (parsed, never evaluated) into canonical keys."""
    try:
        tree = ast.literal_eval(value)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        tree = None
    if not isinstance(tree, dict):
        for k, v in re.findall(r"'(\w+)':\s*'?([\w.+-]+)'?", value):
            if k == "name" and "optimizer" not in out:
                out["optimizer"] = v.lower()
            elif v not in ("None", "False", "True"):
                _put_hp(out, k, v, structured=True)
        return

    def walk(node: dict) -> None:
        if isinstance(node.get("inner_optimizer"), dict):
            walk(node["inner_optimizer"])
        cfg = node.get("config") if isinstance(node.get("config"), dict) else node
        name = cfg.get("name") or node.get("class_name")
        if isinstance(name, str) and "optimizer" not in out and node is not tree.get("learning_rate"):
            out["optimizer"] = name.lower()
        for k, v in cfg.items():
            if k == "learning_rate" and isinstance(v, dict):
                sched = v.get("class_name")
                if isinstance(sched, str):
                    out.setdefault("lr_scheduler_type", _camel_words(sched))
                sub = v.get("config") if isinstance(v.get("config"), dict) else {}
                for sk, sv in sub.items():
                    if sk != "name" and sv is not None and not isinstance(sv, (dict, list)):
                        _put_hp(out, sk, sv, structured=True)
            elif k in ("name", "inner_optimizer", "decay") or v is None or isinstance(v, (dict, list)):
                continue
            elif isinstance(v, bool):
                continue
            else:
                _put_hp(out, k, v, structured=True)

    walk(tree)


def _put_hp(out: dict[str, Any], key: str, value: Any, structured: bool) -> None:
    """Store one pair under its canonical name (or its own name when `structured`), first value wins."""
    if value is None or is_placeholder(value):
        return
    canon = HP_CANONICAL.get(alnum(key))
    val = _typed(value) if isinstance(value, str) else value
    if canon == "learning_rate" and not isinstance(val, (int, float)):
        canon = "lr_scheduler_type"  # scikit-learn: `learning_rate` names the schedule
    if canon == "optimizer":
        word = _optimizer_word(str(val))
        if not word:
            return
        if isinstance(value, str):
            betas = re.search(r"betas\s*=\s*\(\s*([\d.e+-]+)\s*,\s*([\d.e+-]+)\s*\)", value)
            if betas:
                out.setdefault("adam_beta1", _typed(betas.group(1)))
                out.setdefault("adam_beta2", _typed(betas.group(2)))
            eps = re.search(r"epsilon\s*=\s*([\d.e+-]+)", value)
            if eps:
                out.setdefault("adam_epsilon", _typed(eps.group(1)))
        val = word
    if canon:
        out.setdefault(canon, val)
    elif structured:
        name = re.sub(r"\s+", "_", key.strip().lower())
        if re.fullmatch(r"[a-z][\w.-]{0,40}", name):
            out.setdefault(name, val)


_PROSE_HP = (
    (
        "learning_rate",
        re.compile(
            r"\blearning[ -]rate\s*(?:of|=|:|was|is|set to|was set to)?\s*"
            r"(\d+(?:\.\d+)?(?:e-?\d+)?)\b(?!\s*%)",
            re.I,
        ),
    ),
    ("train_batch_size", re.compile(r"\bbatch[ -]size\s*(?:of|=|:|was|is|set to)?\s*(\d+)\b", re.I)),
    ("epochs", re.compile(r"\b(?:for|over|during)\s+(\d+)\s+(?:training\s+)?epochs\b", re.I)),
    ("training_steps", re.compile(r"\b(?:for|over)\s+(\d[\d,]*)\s+(?:training\s+|optimi[sz]ation\s+)?steps\b", re.I)),
    (
        "warmup_steps",
        re.compile(r"\b(\d[\d,]*)\s+warm-?up\s+steps\b|\bwarm-?up\s+(?:of|for)\s+(\d[\d,]*)\s+steps\b", re.I),
    ),
    ("weight_decay", re.compile(r"\bweight[ -]decay\s*(?:of|=|:|was|is)?\s*(\d+(?:\.\d+)?(?:e-?\d+)?)\b", re.I)),
)
_CODE_ASSIGN_RE = re.compile(
    r"^[ \t]*+(?:[{,]\s*+)?['\"]?([A-Za-z_]\w*)['\"]?\s*+[=:]\s*+['\"]?([-+\w.]+)['\"]?[ \t]*+[,}]?[ \t]*+(?:#.*)?$",
    re.M,
)
_INLINE_PAIR_RE = re.compile(r"['\"](\w+)['\"]\s*:\s*['\"]?([-+]?[\w.]+)['\"]?\s*[,}]")
_TRAINING_CUE = re.compile(
    r"\b(train\w*|fine-?tun\w*|pre-?train\w*|optimi[sz]\w*|learning[ -]rate|lr\s+schedul\w*|epochs?)\b", re.I
)
_OPT_RE = re.compile(
    r"\b(" + "|".join(vocab.OPTIMIZERS) + r")\b\s+optimi[sz]er|\boptimi[sz]er\s*(?:[:=]|is|was)?"
    r"\s*(?:the\s+)?(" + "|".join(vocab.OPTIMIZERS) + r")\b",
    re.I,
)
_SCHED_RE = re.compile(
    r"\b(cosine|linear|polynomial|constant|inverse[ -]square[ -]root|exponential|step)"
    r"(?:[ -](?:decay|annealing|warm-?up))?\s+(?:learning[ -]rate\s+)?(?:schedule|scheduler|"
    r"decay|lr schedule)\b",
    re.I,
)


def extract_hyperparameters(card: Card, hub: HubInfo) -> tuple[dict[str, Any], str]:
    out: dict[str, Any] = {}
    how = ""
    for sec in card.sections_matching(_HP_SECTION):
        structured = bool(re.search(r"hyper-?param", sec.title))
        for key, value in key_values(sec.text):
            if is_placeholder(value):
                continue
            if alnum(key) == "optimizer" and value.strip().startswith("{"):
                _keras_optimizer(value, out)
            elif len(key) <= 40 and len(value) <= 200:
                _put_hp(out, key, value, structured)
            how = how or "section"
    for block in card.code_blocks:
        context = block.before[-200:] + " " + block.section
        if re.search(
            r"hyper-?param|train\w*\s+(?:with\s+)?(?:the\s+)?param|param\w*\s+of\s+the\s+fit|"
            r"training\s+(?:config|arguments|args|settings)",
            context,
            re.I,
        ):
            under_heading = bool(re.search(r"hyper-?param", block.section.split(" > ")[-1]))
            pairs = _CODE_ASSIGN_RE.findall(block.text) + _INLINE_PAIR_RE.findall(block.text)
            # sentence-transformers fit(): "optimizer_class": "<class 'torch.optim.adamw.AdamW'>"
            opt = re.search(r"['\"]optimizer_class['\"]\s*:\s*['\"]<class\s+'(?:[\w.]*\.)?(\w+)'>", block.text)
            if opt and "optimizer" not in out:
                out["optimizer"] = opt.group(1).lower()
                how = how or "code"
            for key, value in pairs:
                canon = HP_CANONICAL.get(alnum(key))
                if canon in ("lr_scheduler_type", "optimizer") and re.fullmatch(r"[A-Za-z][\w-]*", value):
                    _put_hp(out, key, value, structured=True)
                    how = how or "code"
                elif canon and _to_number(value) is not None:
                    out.setdefault(canon, _to_number(value))
                    how = how or "code"
                elif under_heading and value not in ("None", "null"):
                    _put_hp(out, key, value, structured=True)
    for sec in card.sections:
        training_section = bool(re.search(r"train|hyper|fine-?tun|procedure|setup", sec.path))
        for sent in sentences(sec.text):
            if re.search(r"\b(inference|decoding|generat\w+|sampling|sampler|prompts?|you can|can be)\b", sent, re.I):
                continue
            if not training_section and not _TRAINING_CUE.search(sent):
                continue
            plain = re.sub(r"[`*]", "", sent)
            for key, rx in _PROSE_HP:
                m = rx.search(plain)
                if m and key not in out:
                    val = _to_number((m.group(1) or m.group(m.lastindex or 1)).replace(",", ""))
                    if val is not None:
                        out[key] = val
                        how = how or "prose"
            m = _OPT_RE.search(plain)
            if m and "optimizer" not in out:
                out["optimizer"] = (m.group(1) or m.group(2)).lower()
                how = how or "prose"
            m = _SCHED_RE.search(plain)
            if m and "lr_scheduler_type" not in out:
                word = re.sub(
                    r"\s+(?:learning[ -]rate\s+)?(?:schedule|scheduler|lr schedule)$", "", m.group(0), flags=re.I
                )
                out["lr_scheduler_type"] = word.lower()
                how = how or "prose"
    return out, how


# ------------------------------------------------------------------------------------------------- evaluation

_METRIC_DROP = re.compile(
    r"loss|runtime|samples?[ _/]per[ _]second|steps?[ _/]per[ _]second|^epoch$|^step$|"
    r"gen[ _]?len|^train|^training|^lr$|learning[ _]rate|^total|flos",
    re.I,
)
_RESULT_SECTION = r"evaluation|results?|metrics|performance|accuracy|scores?|benchmarks?"


def _model_index_results(meta: dict) -> list[dict]:
    out = []
    for entry in _as_list(meta.get("model-index")):
        if isinstance(entry, dict):
            out += [r for r in _as_list(entry.get("results")) if isinstance(r, dict)]
    return out


def _metric_name(raw: str) -> str:
    name = strip_inline(raw).strip().lower()
    name = re.sub(r"^(?:eval|validation|valid|val|test|dev)[ _-]+", "", name)
    return name.strip(" :")


def _metric_value(raw: Any) -> float | str | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        return raw
    s = str(raw).strip().strip("*").strip()
    s = re.split(r"\s*(?:\+/-|±|\+-)\s*", s)[0]
    m = re.fullmatch(r"([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*(%?)", s, re.I)
    if not m:
        return None
    return s if m.group(2) else float(m.group(1))


def _same_value(a: Any, b: Any) -> bool:
    fa, fb = _to_number(str(a).rstrip("%")), _to_number(str(b).rstrip("%"))
    if fa is None or fb is None:
        return False
    return any(abs(x - fb) <= 1e-4 * max(1.0, abs(fb)) for x in (fa, fa * 100, fa / 100))


_METRIC_WORD = re.compile(
    r"^(?:eval[ _]|test[ _]|validation[ _]|val[ _])?(?:acc(?:uracy)?|f1|f-?score|precision|recall|wer|cer|bleu|"
    r"sacrebleu|rouge[-_ ]?\w*|exact(?:[ _]match)?|em|map\S*|auc|roc[ _-]?auc|mcc|matthews\w*|pearson|spearman|"
    r"perplexity|ppl|fid|inception[ _]score|chrf\+*|meteor|ter|mae|mse|rmse|r2|iou|miou|top-?\d+(?:[ _-]acc\w*)?|"
    r"mean[ _]reward|bertscore|gleu|spbleu)$",
    re.I,
)
_SPLIT_WORD = re.compile(r"^(?:dev|test|validation|val|eval|evaluation|train|valid)(?:[ _-]?set)?$", re.I)
_NOT_RESULT_ROW = re.compile(r"^(?:model|method|system|checkpoint|size|name|models|baseline)s?$", re.I)


def _table_results(table: list[list[str]], add: Callable[..., None]) -> None:
    """Results from a table of this model: metric/value pairs, metric x split grids, or one row of metrics."""
    header, rows = table[0], [r for r in table[1:] if any(c.strip() for c in r)]
    if not rows or _NOT_RESULT_ROW.match(header[0].strip()):
        return
    if len(header) == 2 and not _METRIC_WORD.match(header[1].strip()):
        for row in table:
            if len(row) == 2:
                add(row[0], row[1])
        return
    cols = header[1:]
    if cols and all(_SPLIT_WORD.match(c.strip()) for c in cols):
        for row in rows:
            for split, cell in zip(cols, row[1:], strict=False):
                if not split.lower().startswith("train"):
                    add(row[0], cell, split.strip())
        return
    metric_cols = [j for j, c in enumerate(header) if _METRIC_WORD.match(c.strip())]
    if metric_cols and (len(rows) == 1 or re.search(r"dataset|split|task|benchmark|eval", header[0], re.I)):
        for row in rows:
            label = row[0].strip() if 0 not in metric_cols else None
            if label and (_NOT_RESULT_ROW.match(label) or label.lower().startswith("train")):
                continue
            for j in metric_cols:
                if j < len(row):
                    add(header[j], row[j], label if len(rows) > 1 or label else None)


def _own_row_results(table: list[list[str]], names: set[str], add: Callable[..., None]) -> None:
    """Metrics of this model's own row in a comparison table (`| model | top1 | top5 |`, one row per model)."""
    header = table[0]
    metric_cols = [j for j, c in enumerate(header) if j and _METRIC_WORD.match(strip_inline(c))]
    own = [r for r in table[1:] if r and alnum(strip_inline(r[0])) in names]
    if metric_cols and len(own) == 1:
        for j in metric_cols:
            if j < len(own[0]):
                add(strip_inline(header[j]), own[0][j])


def _own_names(card: Card, hub: HubInfo) -> set[str]:
    """This model's name as tables spell it: the Hub id's last part, or an id-like card title ("Model card for x")."""
    names = set()
    if hub.model_id:
        names.add(alnum(hub.model_id.rsplit("/", 1)[-1]))
    first = next((sec for sec in card.sections if sec.heading), None)
    if first:
        title = re.sub(r"^\s*model\s+card\s+(?:for|of)\s+", "", strip_inline(first.heading), flags=re.I)
        if re.fullmatch(r"[\w.-]*\d[\w.-]*|[\w-]+[._][\w.-]+", title.strip()):  # an id-like title, not prose
            names.add(alnum(title.rsplit("/", 1)[-1]))
    return {n for n in names if len(n) >= 4}


def extract_evaluation(card: Card, hub: HubInfo) -> tuple[list[EvalResult], str]:
    results: list[EvalResult] = []
    how = ""
    for res in _model_index_results(card.meta):
        ds = res.get("dataset") if isinstance(res.get("dataset"), dict) else {}
        ds_name = ds.get("name") or ds.get("type")
        for metric in _as_list(res.get("metrics")):
            if not isinstance(metric, dict):
                continue
            name = metric.get("type") or metric.get("name")
            value = _metric_value(metric.get("value"))
            if not name or value is None or _METRIC_DROP.search(str(name)):
                continue
            results.append(
                EvalResult(metric=_metric_name(str(name)), value=value, dataset=str(ds_name) if ds_name else None)
            )
            how = "model-index"

    n_index = len(results)  # results from the card text repeating model-index values are dropped
    own_names = _own_names(card, hub)

    def add(name: str, raw_value: str, dataset: str | None = None) -> None:
        nonlocal how
        metric = _metric_name(name)
        value = _metric_value(raw_value)
        if value is None or not metric or _METRIC_DROP.search(metric) or _METRIC_DROP.search(name.strip()):
            return
        if len(metric) > 40 or any(_same_value(value, r.value) for r in results[:n_index]):
            return
        results.append(EvalResult(metric=metric, value=value, dataset=dataset or None))
        how = how or "card"

    for sec in card.sections:
        in_results = bool(re.search(_RESULT_SECTION, sec.title)) and not re.search(r"train", sec.title)
        lines = sec.text.split("\n")
        active = in_results
        for line in lines:
            if re.search(r"(following|these)\s+results|results\s+on\s+the\s+(evaluation|test|validation)", line, re.I):
                active = True
                continue
            if not active:
                continue
            m = re.match(r"\s*[-*+]\s+\**([^:]{1,50}?)\**\s*:\s*\**([-+\d.e%]+)\**\s*$", line)
            if m:
                add(m.group(1), m.group(2))
            elif line.strip() and not line.strip().startswith("|") and not in_results:
                active = False
        for table in tables(sec.text):
            if _NOT_RESULT_ROW.match(strip_inline(table[0][0])) and own_names:
                _own_row_results(table, own_names, add)
            elif in_results:
                _table_results(table, add)
    return results, how


# ------------------------------------------------------------------------------------------------- hardware

_HW_RE = re.compile(
    r"\b(?:nvidia\s+)?(?:tesla\s+)?(a100|a10g|a10|a6000|a5000|a4000|a40|a30|h100|h200|h800|a800|v100|t4|p100|p40|"
    r"k80|l40s|l40|l4|mi250x?|mi300x?|rtx\s*-?\s*\d{4}(?:\s*ti)?|gtx\s*-?\s*\d{3,4}(?:\s*ti)?|titan\s+(?:rtx|xp|x|v)|"
    r"quadro\s+\w+)\b"
    r"|\b(tpu)\s*-?\s*(v\d)?\b(?:-\d+)?"
    r"|\b(xeon)(?:\s*\(r\))?\s+(platinum|gold|silver)?\s*(\d{4}\w?)"
    r"|\b(gpus?)\b",
    re.I,
)
_HW_CONTEXT = re.compile(
    r"\b(train\w*|fine-?tun\w*|pre-?train\w*|ran|run on|using|used|on\s+\d+|hardware|"
    r"compute|infrastructure|evaluated)\b",
    re.I,
)
_HW_STATED = re.compile(
    r"\b(?:was|were|been|is)\s+(?:\w+\s+){0,3}?(?:trained|fine-?tuned|pre-?trained|evaluated|run)\s+(?:on|using|with)\b",
    re.I,
)
_HW_REQUIREMENT = re.compile(
    r"\b(requir\w*|need\w*|should|fits?|at least|recommend\w*|minimum|can run|memory|"
    r"vram needed|if you|you can|could)\b",
    re.I,
)


def canonical_hardware(text: str) -> list[str]:
    """Short names of the accelerators mentioned in a piece of text."""
    out = []
    for m in _HW_RE.finditer(text):
        if m.group(1):
            out.append(
                re.sub(r"\s*-?\s*", "", m.group(1).lower()).replace("rtx", "rtx ").replace("gtx", "gtx ")
                if m.group(1).lower().startswith(("rtx", "gtx"))
                else m.group(1).lower()
            )
        elif m.group(2):
            out.append("tpu " + m.group(3).lower() if m.group(3) else "tpu")
        elif m.group(4):
            out.append(" ".join(p.lower() for p in ("xeon", m.group(5) or "", m.group(6)) if p))
        elif m.group(7):
            out.append("gpu")
    specific = [h for h in out if h != "gpu"]
    return dedup(specific or out)


def extract_hardware(card: Card, hub: HubInfo) -> tuple[list[str], str]:
    co2 = card.meta.get("co2_eq_emissions")
    if isinstance(co2, dict) and isinstance(co2.get("hardware_used"), str) and not is_placeholder(co2["hardware_used"]):
        found = canonical_hardware(co2["hardware_used"])
        if found:
            return found, "yaml"
    out: list[str] = []
    for key, value in key_values(card.prose):
        if re.fullmatch(
            r"hardware(?: type| used)?|gpus?|accelerators?|compute(?: infrastructure)?|"
            r"training hardware|device",
            key.strip().lower(),
        ) and not is_placeholder(value):
            out += canonical_hardware(value)
    if out:
        return dedup(out), "key-value"
    for sec in card.sections:
        if _usage_section(sec.path):
            continue
        for sent in sentences(sec.text):
            stated = _HW_STATED.search(sent)
            if len(sent) > 400 or not _HW_CONTEXT.search(sent) or (_HW_REQUIREMENT.search(sent) and not stated):
                continue
            found = canonical_hardware(sent)
            if found == ["gpu"] and not re.search(
                r"\b(?:on|using|with)\s+(?:a|one|\d+|two|four|eight)\s+"
                r"(?:\w+\s+)?gpus?\b",
                sent,
                re.I,
            ):
                continue
            out += found
    return dedup(out), ("prose" if out else "")


# ------------------------------------------------------------------------------------------------- carbon

_CO2_KEY_RE = re.compile(r"co2|carbon|emission", re.I)


def extract_carbon(card: Card, hub: HubInfo) -> tuple[float | None, str]:
    co2 = card.meta.get("co2_eq_emissions")
    grams = co2.get("emissions") if isinstance(co2, dict) else co2
    num = _to_number(grams) if grams is not None and not isinstance(grams, (dict, list)) else None
    if num is not None and num >= 0:
        return float(num) / 1000.0, "yaml"
    for key, value in key_values(card.prose):
        if not _CO2_KEY_RE.search(key) or is_placeholder(value):
            continue
        m = re.match(
            r"\s*~?\s*(\d+(?:[.,]\d+)?(?:e[-+]?\d+)?)\s*(kg|kilograms?|g|grams?|t|tons?|tonnes?|"
            r"mt|lbs?)?\b",
            value.replace(",", ""),
            re.I,
        )
        if not m:
            continue
        unit = (m.group(2) or "").lower() or (
            "g" if re.search(r"gram", key, re.I) else "kg" if re.search(r"\bkg\b", key, re.I) else ""
        )
        if not unit:
            continue
        val = float(m.group(1))
        factor = {"kg": 1.0, "g": 1e-3, "t": 1e3, "mt": 1e3, "lb": 0.4536}.get(
            unit[0] if unit[0] in "gt" else unit[:2] if unit.startswith("kg") else unit[:2], 1.0
        )
        if unit.startswith(("ton", "tonne")):
            factor = 1e3
        return val * factor, "key-value"
    return None, ""


# ------------------------------------------------------------------------------------------------- free text

_BOILERPLATE = re.compile(
    r"users \(both direct and downstream\) should be made aware|significant research has explored bias and "
    r"fairness|more information needed for further recommendations|carbon emissions can be estimated|"
    r"\{\{.*?\}\}|use the code below to get started",
    re.I,
)
_LIMIT_CUES = re.compile(
    r"\b(limitations?|limited|bias(?:es|ed)?|not (?:be )?(?:intended|suitable|appropriate|reliable|robust|"
    r"accurate|work well|perform well)|should not|shouldn't|must not|may (?:not|produce|generate|contain|"
    r"reflect|perform|fail|output)|might (?:not|produce|generate)|fails?|risks?|harmful|offensive|toxic|"
    r"inaccura\w+|hallucinat\w+|caution|stereotyp\w+|unreliable|poorly|struggles?)\b",
    re.I,
)


def _substantive(text: str) -> str:
    kept = [
        s
        for s in sentences(text)
        if not _BOILERPLATE.search(s) and not is_placeholder(s) and not re.fullmatch(r"[\W_]*", s)
    ]
    return " ".join(kept).strip()


def extract_limitations(card: Card, hub: HubInfo) -> tuple[str | None, str]:
    for sec in card.sections:
        if not re.search(
            r"limitation|bias|risk|ethic|caveat|out-of-scope|misuse|fairness|safety|known issues|"
            r"warning|disclaimer",
            sec.title,
        ):
            continue
        text = _substantive(sec.text)
        mixed = re.search(r"intended use|use cases|uses", sec.title) and not re.search(r"bias|risk", sec.title)
        if len(alnum(text)) < 40 or (mixed and not _LIMIT_CUES.search(text)):
            continue
        if mixed:
            text = " ".join(s for s in sentences(text) if _LIMIT_CUES.search(s))
        return text[:500], "section"
    return None, ""


def _has_demo_code(text: str, lang: str) -> bool:
    if lang in ("bibtex", "bib", "latex", "tex", "text", "txt", "md", "markdown") or not text.strip():
        return False
    if is_placeholder(text) or text.strip().startswith("@"):
        return False
    return bool(
        re.search(
            r"\bimport\b|from_pretrained|pipeline\(|\bcurl\b|pip install|\.predict\(|\.generate\(|load_model|"
            r"^\s*(?:\$\s*)?(?:python3?|bash|sh|docker|git|wget|huggingface-cli|ollama|llama|mlagents-[\w-]+|\./)\s|"
            r"\w+\s*=\s*\w[\w.]*\(|^\s*\w[\w.]*\(.*\)\s*$",
            text,
            re.M,
        )
    )


def demo_snippet(text: str) -> str | None:
    """The first usage example of a card (for the `demo` table), or None."""
    for block in parse_card(text).code_blocks:
        if not re.search(r"citation|cite|bibtex|reference", block.section) and _has_demo_code(block.text, block.lang):
            return block.text.strip()[:4000]
    return None


def extract_demonstration(card: Card, hub: HubInfo) -> tuple[bool, str]:
    for block in card.code_blocks:
        if re.search(r"citation|cite|bibtex|reference", block.section):
            continue
        if _has_demo_code(block.text, block.lang):
            return True, "code-block"
    return False, "code-block"


_INPUT_SEC = re.compile(
    r"^(?:model\s+)?inputs?(?:\s+(?:format|requirements?|data|specification))?$|"
    r"expected\s+(?:request\s+)?(?:payload|input)|input\s+format|request\s+payload|"
    r"^input(?:s)?\s+(?:and|&)\s+outputs?$|^prompt\s+(?:template|format)\b|^instruction\s+format\b"
)
_OUTPUT_SEC = re.compile(
    r"^(?:model\s+)?outputs?(?:\s+(?:format|data|specification))?$|expected\s+(?:output|"
    r"response)|output\s+format|^inputs?\s+(?:and|&)\s+outputs?$"
)
_INPUT_SENT = re.compile(
    r"\b(?:model|it|network|pipeline|endpoint|encoder)\s+(?:takes|accepts|expects|requires|receives)\b(?![^.]{0,40}"
    r"\b(?:time|seconds|minutes|hours|days)\b)|\binputs?\s+(?:should|must|needs? to)\s+be\b|"
    r"\b(?:takes|accepts|expects)\s+(?:as\s+)?inputs?\b|\bsampled\s+at\s+\d+\s*k?hz|"
    r"\b(?:supports|handles|accepts|processes)\s+(?:input\s+)?(?:sequences|inputs|texts?|documents|images)\s+"
    r"(?:of\s+(?:length\s+)?)?up\s+to\s+[\d,]+|\bmax(?:imum)?\s+(?:input\s+|sequence\s+|context\s+)?length\s+"
    r"(?:of|is)\s+[\d,]+|\bmodels?\s+input\s+(?:text|images?|audio|speech)\b",
    re.I,
)
_OUTPUT_SENT = re.compile(
    r"\b(?:model|it|network|pipeline|endpoint)\s+(?:outputs|returns)\b|\b(?:the\s+)?outputs?\s+(?:is|are|will be|"
    r"consists? of)\s+(?:a|an|the)\b|\boutputs?\s+(?:a|an)\s+(?:list|probability|vector|score|embedding|"
    r"tensor|dictionary|json)|\bmodels?\s+(?:generate|output)s?\s+(?:text|images?|audio|speech|code)"
    r"(?:\s+and\s+code)?\s+only\b",
    re.I,
)


def _format_field(card: Card, sec_rx: re.Pattern, sent_rx: re.Pattern, word: str) -> tuple[str | None, str]:
    for sec in card.sections:
        if sec_rx.search(sec.title):
            text = _substantive(sec.text)
            blocks = [b for b in card.code_blocks if b.section.endswith(sec.title)]
            if blocks and blocks[0].text.strip() and not is_placeholder(blocks[0].text):
                return blocks[0].text.strip()[:300], "section"
            if len(alnum(text)) >= 15:
                return text[:300], "section"
    for block in card.code_blocks:
        last = block.before.strip().split("\n")[-1].strip().lower() if block.before.strip() else ""
        if re.fullmatch(rf"(?:expected|example|sample)\s+{word}s?\s*:?|{word}s?\s*:", last):
            if block.text.strip() and not is_placeholder(block.text):
                return block.text.strip()[:300], "code-label"
    for sec in card.sections:
        if re.search(r"citation|reference", sec.title):
            continue
        for sent in sentences(sec.text):
            if sent_rx.search(sent) and not is_placeholder(sent) and len(sent) < 500:
                return sent[:300], "prose"
    return None, ""


def extract_input_format(card: Card, hub: HubInfo) -> tuple[str | None, str]:
    return _format_field(card, _INPUT_SEC, _INPUT_SENT, "input")


def extract_output_format(card: Card, hub: HubInfo) -> tuple[str | None, str]:
    return _format_field(card, _OUTPUT_SEC, _OUTPUT_SENT, "output")


# ------------------------------------------------------------------------------------------------- links

_GITHUB_RE = re.compile(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?(?:[/?#](.*))?$")
_GENERIC_REPOS = {
    "huggingface",
    "pytorch/pytorch",
    "tensorflow/tensorflow",
    "google/jax",
    "keras-team/keras",
    "nvidia/nemo",
    "rwightman/pytorch-image-models",
    "microsoft/deepspeed",
    "facebookresearch/xformers",
    "ggerganov/llama.cpp",
    "ggml-org/llama.cpp",
    "openai/tiktoken",
    "scikit-learn/scikit-learn",
    "explosion/spacy",
    "ultralytics/ultralytics",
    "lightning-ai/lightning",
    "pytorchlightning/pytorch-lightning",
    "mlco2/impact",
    "tensorflow/models",
    "google-research/bert",
    "sentencepiece",
    "google/sentencepiece",
    "ml-explore/mlx",
    "ml-explore/mlx-examples",
    "vllm-project/vllm",
    "oobabooga/text-generation-webui",
    "automatic1111/stable-diffusion-webui",
    "comfyanonymous/comfyui",
    "nomic-ai/gpt4all",
    "ollama/ollama",
    "unslothai/unsloth",
    "hiyouga/llama-factory",
    "openaccess-ai-collective/axolotl",
    "jllllll",
    "apple/coremltools",
    "microsoft/onnxruntime",
    "onnx/onnx",
    "intel/neural-compressor",
    "abetlen/llama-cpp-python",
    "marella/ctransformers",
    "lostruins/koboldcpp",
    "parisneo/lollms-webui",
    "turboderp/exllama",
    "turboderp/exllamav2",
    "panqiwei/autogptq",
    "autogptq/autogptq",
    "casper-hansen/autoawq",
    "mit-han-lab/llm-awq",
    "qwopqwop200/gptq-for-llama",
    "ggerganov/ggml",
    "ggerganov/whisper.cpp",
    "mlc-ai/mlc-llm",
    "timdettmers/bitsandbytes",
    "langchain-ai/langchain",
    "hwchase17/langchain",
    "eleutherai/lm-evaluation-harness",
    "dlr-rm/stable-baselines3",
    "dlr-rm/rl-baselines3-zoo",
    "unity-technologies/ml-agents",
    "deepset-ai/haystack",
    "deepset-ai/farm",
    "ukplab/sentence-transformers",
    "flairnlp/flair",
    "speechbrain/speechbrain",
    "espnet/espnet",
    "open-mmlab/mmdetection",
    "facebookresearch/detectron2",
    "mlfoundations/open_clip",
}
_GITHUB_CONTEXT = re.compile(
    r"\b(code|implementation|repo|repository|github|official|original|source|fork|"
    r"project|training scripts?|codebase)\b",
    re.I,
)


def extract_github_repos(card: Card, hub: HubInfo) -> tuple[list[str], str]:
    out: list[str] = []
    first = next((sec for sec in card.sections if sec.heading), None)
    title = alnum(strip_inline(first.heading)) if first else ""
    if hub.model_id:
        title = alnum(hub.model_id.rsplit("/", 1)[-1])
    for sec in card.sections:
        if re.search(r"citation|cite|reference|acknowledg", sec.title):
            continue
        for sent in re.split(r"\n\s*\n|(?<=[.!?])\s+", f"{sec.heading}\n\n{sec.text}"):
            for text, url in links(sent):
                m = _GITHUB_RE.match(url.strip())
                if not m:
                    continue
                owner, repo, rest = m.group(1), m.group(2), (m.group(3) or "")
                full = f"{owner}/{repo}"
                if (
                    owner.lower() in _GENERIC_REPOS
                    or full.lower() in _GENERIC_REPOS
                    or repo.lower() in ("transformers", "diffusers", "datasets", "peft", "accelerate")
                ):
                    continue
                if re.match(r"(issues|pull|discussions|releases/download|wiki)\b", rest):
                    continue
                context = sent.replace(url, " ")
                if re.search(r"\bdatasets?\b", context, re.I) and not re.search(r"\bcode\b", context, re.I):
                    continue
                named = bool(title) and len(alnum(repo)) >= 4 and (alnum(repo) in title or title in alnum(repo))
                if _GITHUB_CONTEXT.search(context) or _GITHUB_CONTEXT.search(text) or named:
                    out.append(full)
    return dedup(out, key=str.lower), ("links" if out else "")


_ARXIV_RES = (
    re.compile(r"arxiv\.org/(?:abs|pdf|html)/(\d{4}\.\d{4,5})", re.I),
    re.compile(r"arxiv\.org/(?:abs|pdf)/([a-z-]+(?:\.[a-z]{2})?/\d{7})", re.I),
    re.compile(r"arxiv\s*[:\s]\s*(\d{4}\.\d{4,5})", re.I),
    re.compile(r"eprint\s*=\s*[{\"]\s*(\d{4}\.\d{4,5})", re.I),
    re.compile(r"\babs/(\d{4}\.\d{4,5})", re.I),
    re.compile(r"huggingface\.co/papers/(\d{4}\.\d{4,5})", re.I),
)
IGNORED_ARXIV = {"1910.09700"}


def extract_papers(card: Card, hub: HubInfo) -> tuple[list[str], str]:
    ids: list[str] = []
    for tag in _meta_tags(card, hub):
        if tag.startswith("arxiv:"):
            ids.append(tag.split(":", 1)[1].strip())
    for rx in _ARXIV_RES:
        ids += rx.findall(card.raw)
    ids = [re.sub(r"v\d+$", "", i) for i in ids]
    ids = [i for i in dedup(ids) if i not in IGNORED_ARXIV]
    return ids, ("arxiv-ids" if ids else "")


_GRANT_RE = re.compile(
    r"\b(?:funded|sponsored|financed)\s+by\b|\bfunding\s+(?:from|by|was|provided)\b|\bgrants?\s+(?:no\.?|number|"
    r"agreement|from|\w+-\d+)|\bgrant\s+[A-Z0-9-]{4,}|\b(?:tpu|tensorflow)\s+research\s+cloud\b|\btfrc\b|"
    r"\bcompute\s+(?:resources?\s+)?(?:was|were|is|are)?\s*(?:generously\s+)?(?:provided|sponsored|donated)\s+by\b|"
    r"\bsupported\s+(?:in\s+part\s+)?by\s+(?:a\s+|the\s+)?(?:grant|funding|\w+\s+(?:foundation|council|"
    r"agency|ministry|programme|program|fellowship|award))|\bthanks\s+to\s+.{0,60}\b(?:credits|grant|sponsorship)\b|"
    r"\bcloud\s+credits\b",
    re.I,
)


def extract_grant(card: Card, hub: HubInfo) -> tuple[str | None, str]:
    for key, value in key_values(card.prose):
        if re.fullmatch(
            r"funded by|funding|sponsors?|sponsored by|grants?|compute (?:grant|sponsor)",
            re.sub(r"\s*\[optional\]", "", key.strip().lower()),
        ) and not is_placeholder(value):
            return strip_inline(value)[:300], "key-value"
    for sent in sentences(card.prose):
        if _GRANT_RE.search(sent) and not is_placeholder(sent):
            return sent[:300], "prose"
    return None, ""

"""The one vocabulary of Hugging Face tags shared by the crawl and the enrichment: libraries, frameworks, languages,
tasks and domains.

The crawl sorts a model's tags into the PeaTMOSS lookups with `classify_tag`; the enrichment reads the same tags
(and card front matter) with the same function, so a tag is a library, a framework or a language for both.
The enrichment's `libraries` field further keeps only libraries that load, run or train a model (`TagClass.loader`):
formats and tooling such as `safetensors` or `onnx` are libraries in PeaTMOSS's lookup but not evidence of a loader.

Sources: the accurate pipeline's 40 libraries and its frameworks and task/domain map
(../shared/reference/peatmoss-schema.md §9), plus library names the Hub added since.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

# ISO 639-1 codes: the Hub computes language tags from the card's `language` field with these.
LANGUAGE_CODES = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el
    en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu
    ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na
    nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so
    sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    multilingual
    """.split()
)

# The accurate LLM pipeline's 40 libraries (peatmoss-schema.md §9).
PEATMOSS_LIBRARIES = frozenset(
    """
    transformers tensorboard diffusers stable-baselines3 safetensors peft onnx ml-agents sentence-transformers timm
    sample-factory keras adapter-transformers flair spacy espnet transformers.js fastai coreml rust nemo joblib
    scikit-learn fasttext speechbrain paddlepaddle openclip bertopic fairseq openvino graphcore stanza tf-lite
    asteroid paddlenlp allennlp spanmarker habana pythae pyannote.audio
    """.split()
)

# Library names (tag and `library_name` spellings) the Hub and model cards use since; `jax` is a framework.
LIBRARIES = PEATMOSS_LIBRARIES | frozenset(
    """
    audiocraft autonlp autotrain ctranslate2 deepspeed doctr farm generic gguf gliner gpt-neox haystack k2
    keras-hub keras-nlp lightning llama.cpp llamafile ludwig megatron-lm mesh-transformer-jax mindspore mlx
    nanotron open_clip pyannote-audio pytorch-lightning rl-baselines3-zoo sentencepiece setfit sklearn skops
    span-marker terratorch tf-keras tflite ultralytics unity-sentis yolov5
    """.split()
)

# Libraries that are file formats, runtimes, hardware back-ends or tooling, or Hub placeholders (`generic`): stored
# as a model's libraries like any other, but they do not say what loads, runs or trains the model.
NOT_LOADERS = frozenset(
    """
    autonlp autotrain coreml deepspeed generic gguf graphcore habana joblib lightning llamafile onnx openvino
    pytorch-lightning rust safetensors sentencepiece tensorboard tf-lite tflite
    """.split()
)

# Deep-learning framework tags -> framework. The crawl stores the tag itself (PeaTMOSS: tags ∩ pytorch, tf, jax).
FRAMEWORK_TAGS = {"pytorch": "pytorch", "tf": "tensorflow", "tensorflow": "tensorflow", "jax": "jax", "flax": "jax"}

BASE_MODEL_RELATIONS = frozenset({"finetune", "adapter", "quantized", "merge"})

DOMAINS = ("nlp", "computer-vision", "audio", "multimodal", "reinforcement-learning", "tabular", "other")

DB_DOMAIN_NAMES = {"nlp": "natural-language-processing"}

_TASKS_BY_DOMAIN: dict[str, tuple[str, ...]] = {
    "nlp": (
        "text-classification",
        "token-classification",
        "table-question-answering",
        "question-answering",
        "zero-shot-classification",
        "translation",
        "summarization",
        "conversational",
        "text-generation",
        "text2text-generation",
        "fill-mask",
        "sentence-similarity",
        "multiple-choice",
        "text-retrieval",
        "table-to-text",
        "text-ranking",
    ),
    "computer-vision": (
        "depth-estimation",
        "image-classification",
        "object-detection",
        "image-segmentation",
        "image-to-image",
        "unconditional-image-generation",
        "video-classification",
        "mask-generation",
        "zero-shot-object-detection",
        "image-feature-extraction",
        "keypoint-detection",
        "image-to-3d",
        "text-to-3d",
        "image-to-video",
    ),
    "multimodal": (
        "text-to-image",
        "image-to-text",
        "text-to-video",
        "visual-question-answering",
        "document-question-answering",
        "graph-ml",
        "graph-machine-learning",
        "image-text-to-text",
        "video-text-to-text",
        "any-to-any",
        "zero-shot-image-classification",
        "feature-extraction",
        "visual-document-retrieval",
    ),
    "audio": (
        "text-to-speech",
        "text-to-audio",
        "automatic-speech-recognition",
        "audio-to-audio",
        "audio-classification",
        "voice-activity-detection",
        "audio-text-to-text",
    ),
    "tabular": ("tabular-classification", "tabular-regression", "time-series-forecasting"),
    "reinforcement-learning": ("reinforcement-learning", "robotics"),
}

TASK_DOMAIN: dict[str, str] = {t: d for d, ts in _TASKS_BY_DOMAIN.items() for t in ts}
TASKS = frozenset(TASK_DOMAIN)

# Tag spellings that name a task without being a pipeline tag.
TASK_ALIASES = {
    "image-captioning": "image-to-text",
    "ner": "token-classification",
    "named-entity-recognition": "token-classification",
    "speech-recognition": "automatic-speech-recognition",
    "asr": "automatic-speech-recognition",
    "tts": "text-to-speech",
    "vqa": "visual-question-answering",
    "text2text": "text2text-generation",
    "dialogue": "conversational",
    "chatbot": "conversational",
    "sentiment-analysis": "text-classification",
    "extractive-qa": "question-answering",
    "semantic-segmentation": "image-segmentation",
    "instance-segmentation": "image-segmentation",
    "speaker-diarization": "voice-activity-detection",
    "audio-classification": "audio-classification",
}

# Lower priority when choosing one domain from several tasks: generic tasks say little about the modality.
GENERIC_TASKS = frozenset({"feature-extraction"})


@dataclass(frozen=True)
class TagClass:
    """What a tag without a `prefix:` names."""

    kind: Literal["library", "framework", "language", "task", "other"]
    name: str  # the library as tagged, the framework / task id, the language code
    loader: bool = False  # a library that loads, runs or trains models (see NOT_LOADERS)


# A listing classifies every tag of every model, and a few thousand tags make up almost all of them; the answer
# depends on the tag alone (a TagClass is frozen, so one instance serves every caller).
@lru_cache(maxsize=1 << 16)
def classify_tag(tag: str) -> TagClass:
    """The one classification of a Hub tag, used by the crawl and the enrichment alike."""
    if tag in LIBRARIES:
        return TagClass("library", tag, loader=tag not in NOT_LOADERS)
    if tag in FRAMEWORK_TAGS:
        return TagClass("framework", FRAMEWORK_TAGS[tag])
    if tag.lower() in LANGUAGE_CODES:
        return TagClass("language", tag.lower())
    task = normalize_task(tag)
    if task:
        return TagClass("task", task)
    return TagClass("other", tag)


def is_loader(name: str) -> bool:
    """A library name that says what loads, runs or trains a model."""
    return name in LIBRARIES and name not in NOT_LOADERS


def normalize_task(name: str) -> str | None:
    """A Hub task id for a tag or name, or None when it is not a task."""
    key = re.sub(r"[\s_]+", "-", str(name).strip().lower())
    key = TASK_ALIASES.get(key, key)
    return key if key in TASKS else None

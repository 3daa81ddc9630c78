"""Closed vocabularies of the extractors: licences, language names, import and version-list spellings, placeholders.

Tasks, domains, library and framework names are the crawl's too: they live in `crawler/vocab.py`.
"""

from __future__ import annotations

import re

# Python import names -> library.
IMPORT_LIBRARIES = {
    "transformers": "transformers",
    "diffusers": "diffusers",
    "sentence_transformers": "sentence-transformers",
    "timm": "timm",
    "open_clip": "open_clip",
    "nemo": "nemo",
    "fairseq": "fairseq",
    "spacy": "spacy",
    "keras": "keras",
    "tf_keras": "keras",
    "sklearn": "sklearn",
    "skops": "skops",
    "stable_baselines3": "stable-baselines3",
    "sb3_contrib": "stable-baselines3",
    "mlagents": "ml-agents",
    "sample_factory": "sample-factory",
    "peft": "peft",
    "flair": "flair",
    "espnet": "espnet",
    "espnet2": "espnet",
    "speechbrain": "speechbrain",
    "fastai": "fastai",
    "fasttext": "fasttext",
    "bertopic": "bertopic",
    "paddlenlp": "paddlenlp",
    "stanza": "stanza",
    "asteroid": "asteroid",
    "allennlp": "allennlp",
    "span_marker": "span-marker",
    "pyannote": "pyannote.audio",
    "setfit": "setfit",
    "yolov5": "yolov5",
    "ultralytics": "ultralytics",
    "haystack": "haystack",
    "farm": "farm",
    "gliner": "gliner",
    "keras_nlp": "keras-nlp",
    "keras_hub": "keras-hub",
    "audiocraft": "audiocraft",
    "mlx_lm": "mlx",
    "ctranslate2": "ctranslate2",
    "adapters": "adapter-transformers",
    "huggingface_sb3": "stable-baselines3",
    "terratorch": "terratorch",
    "doctr": "doctr",
    "ctransformers": "ctransformers",
    "llama_cpp": "llama-cpp-python",
}

# Words of a "Framework versions" list -> library or framework.
VERSION_LIST_LIBRARIES = {
    "transformers": "transformers",
    "diffusers": "diffusers",
    "peft": "peft",
    "sentence-transformers": "sentence-transformers",
    "sentence transformers": "sentence-transformers",
    "timm": "timm",
    "keras": "keras",
    "setfit": "setfit",
    "span marker": "span-marker",
    "spanmarker": "span-marker",
    "nemo": "nemo",
    "speechbrain": "speechbrain",
    "fairseq": "fairseq",
    "flair": "flair",
    "spacy": "spacy",
}
VERSION_LIST_FRAMEWORKS = {
    "pytorch": "pytorch",
    "torch": "pytorch",
    "tensorflow": "tensorflow",
    "jax": "jax",
    "flax": "jax",
}

FRAMEWORK_IMPORTS = {"torch": "pytorch", "tensorflow": "tensorflow", "jax": "jax", "flax": "jax"}

LICENSES = frozenset(
    {
        "apache-2.0",
        "mit",
        "openrail",
        "openrail++",
        "bigscience-openrail-m",
        "creativeml-openrail-m",
        "bigscience-bloom-rail-1.0",
        "bigcode-openrail-m",
        "afl-3.0",
        "artistic-2.0",
        "bsl-1.0",
        "bsd",
        "bsd-2-clause",
        "bsd-3-clause",
        "bsd-3-clause-clear",
        "c-uda",
        "cc",
        "cc0-1.0",
        "cc-by-2.0",
        "cc-by-2.5",
        "cc-by-3.0",
        "cc-by-4.0",
        "cc-by-sa-3.0",
        "cc-by-sa-4.0",
        "cc-by-nc-2.0",
        "cc-by-nc-3.0",
        "cc-by-nc-4.0",
        "cc-by-nd-4.0",
        "cc-by-nc-nd-3.0",
        "cc-by-nc-nd-4.0",
        "cc-by-nc-sa-2.0",
        "cc-by-nc-sa-3.0",
        "cc-by-nc-sa-4.0",
        "cdla-sharing-1.0",
        "cdla-permissive-1.0",
        "cdla-permissive-2.0",
        "wtfpl",
        "ecl-2.0",
        "epl-1.0",
        "epl-2.0",
        "etalab-2.0",
        "eupl-1.1",
        "eupl-1.2",
        "agpl-3.0",
        "gfdl",
        "gpl",
        "gpl-2.0",
        "gpl-3.0",
        "lgpl",
        "lgpl-2.1",
        "lgpl-3.0",
        "isc",
        "lppl-1.3c",
        "ms-pl",
        "apple-ascl",
        "apple-amlr",
        "mpl-2.0",
        "odc-by",
        "odbl",
        "osl-3.0",
        "postgresql",
        "ofl-1.1",
        "ncsa",
        "unlicense",
        "zlib",
        "pddl",
        "lgpl-lr",
        "deepfloyd-if-license",
        "llama2",
        "llama3",
        "llama3.1",
        "llama3.2",
        "llama3.3",
        "llama4",
        "gemma",
        "intel-research",
        "h-research",
        "other",
    }
)

# Free-text licence names (alphanumerics only) -> licence id.
LICENSE_ALIASES = {
    "apache": "apache-2.0",
    "apache2": "apache-2.0",
    "apache20": "apache-2.0",
    "apachev2": "apache-2.0",
    "apachev20": "apache-2.0",
    "apachelicense20": "apache-2.0",
    "apachelicenseversion20": "apache-2.0",
    "mitlicense": "mit",
    "themitlicense": "mit",
    "bsd3clause": "bsd-3-clause",
    "bsd3": "bsd-3-clause",
    "bsd2clause": "bsd-2-clause",
    "newbsd": "bsd-3-clause",
    "ccby40": "cc-by-4.0",
    "ccby30": "cc-by-3.0",
    "ccbysa40": "cc-by-sa-4.0",
    "ccbysa30": "cc-by-sa-3.0",
    "ccbync40": "cc-by-nc-4.0",
    "ccbync30": "cc-by-nc-3.0",
    "ccbyncsa40": "cc-by-nc-sa-4.0",
    "ccbyncsa30": "cc-by-nc-sa-3.0",
    "ccbyncnd40": "cc-by-nc-nd-4.0",
    "ccbynd40": "cc-by-nd-4.0",
    "cc0": "cc0-1.0",
    "cc010": "cc0-1.0",
    "gplv3": "gpl-3.0",
    "gpl3": "gpl-3.0",
    "gplv2": "gpl-2.0",
    "gpl2": "gpl-2.0",
    "agplv3": "agpl-3.0",
    "lgplv3": "lgpl-3.0",
    "mpl20": "mpl-2.0",
    "creativemlopenrailm": "creativeml-openrail-m",
    "openrailm": "openrail",
    "unlicense": "unlicense",
    "theunlicense": "unlicense",
    "wtfpl": "wtfpl",
    "isc": "isc",
    "mit": "mit",
}

LANGUAGE_NAMES = {
    "english": "en",
    "german": "de",
    "french": "fr",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "russian": "ru",
    "chinese": "zh",
    "mandarin": "zh",
    "japanese": "ja",
    "korean": "ko",
    "arabic": "ar",
    "hindi": "hi",
    "bengali": "bn",
    "urdu": "ur",
    "turkish": "tr",
    "persian": "fa",
    "farsi": "fa",
    "polish": "pl",
    "czech": "cs",
    "slovak": "sk",
    "ukrainian": "uk",
    "swedish": "sv",
    "norwegian": "no",
    "danish": "da",
    "finnish": "fi",
    "icelandic": "is",
    "greek": "el",
    "hebrew": "he",
    "hungarian": "hu",
    "romanian": "ro",
    "bulgarian": "bg",
    "serbian": "sr",
    "croatian": "hr",
    "slovenian": "sl",
    "estonian": "et",
    "latvian": "lv",
    "lithuanian": "lt",
    "vietnamese": "vi",
    "thai": "th",
    "indonesian": "id",
    "malay": "ms",
    "tagalog": "tl",
    "filipino": "tl",
    "swahili": "sw",
    "catalan": "ca",
    "basque": "eu",
    "galician": "gl",
    "welsh": "cy",
    "irish": "ga",
    "tamil": "ta",
    "telugu": "te",
    "marathi": "mr",
    "gujarati": "gu",
    "kannada": "kn",
    "malayalam": "ml",
    "punjabi": "pa",
    "nepali": "ne",
    "sinhala": "si",
    "amharic": "am",
    "yoruba": "yo",
    "hausa": "ha",
    "igbo": "ig",
    "zulu": "zu",
    "afrikaans": "af",
    "albanian": "sq",
    "armenian": "hy",
    "georgian": "ka",
    "kazakh": "kk",
    "uzbek": "uz",
    "azerbaijani": "az",
    "mongolian": "mn",
    "latin": "la",
    "esperanto": "eo",
    "maltese": "mt",
    "luxembourgish": "lb",
    "belarusian": "be",
    "macedonian": "mk",
    "bosnian": "bs",
    "khmer": "km",
    "lao": "lo",
    "burmese": "my",
    "pashto": "ps",
    "somali": "so",
    "kinyarwanda": "rw",
    "javanese": "jv",
    "sundanese": "su",
}
ISO_639_1 = frozenset(LANGUAGE_NAMES.values()) | frozenset(
    {
        "af",
        "sq",
        "eu",
        "be",
        "bs",
        "br",
        "co",
        "fo",
        "fy",
        "gd",
        "ht",
        "ku",
        "ky",
        "lb",
        "mg",
        "mi",
        "oc",
        "qu",
        "sa",
        "sd",
        "sm",
        "sn",
        "st",
        "tg",
        "tk",
        "tt",
        "ug",
        "wo",
        "xh",
        "yi",
        "as",
        "or",
        "dv",
        "ln",
        "lg",
        "ny",
        "om",
        "ti",
        "ak",
        "ee",
        "tw",
        "nb",
        "nn",
        "ce",
        "cv",
        "ba",
        "os",
        "ab",
        "av",
    }
)
ISO_639_3 = {
    "eng": "en",
    "deu": "de",
    "ger": "de",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "nld": "nl",
    "dut": "nl",
    "rus": "ru",
    "zho": "zh",
    "chi": "zh",
    "cmn": "zh",
    "jpn": "ja",
    "kor": "ko",
    "ara": "ar",
    "hin": "hi",
    "tur": "tr",
    "pol": "pl",
    "ces": "cs",
    "ukr": "uk",
    "swe": "sv",
    "fin": "fi",
    "vie": "vi",
    "ind": "id",
    "fas": "fa",
    "heb": "he",
    "ell": "el",
}

OPTIMIZERS = (
    "adamweightdecay",
    "adamw",
    "adam",
    "sgd",
    "adafactor",
    "lamb",
    "rmsprop",
    "adagrad",
    "lion",
    "adadelta",
    "nadam",
    "radam",
    "lbfgs",
    "adamax",
    "novograd",
    "sophia",
    "shampoo",
)

PLACEHOLDER_RE = re.compile(
    r"^\s*+[\[(]?\s*+(?:more\s+information\s+needed|more\s+info(?:rmation)?\s+needed|needs?\s+more\s+information|"
    r"information\s+needed|n/?a|none|null|nil|unknown|tbd|tba|todo|to\s+be\s+(?:added|determined)|coming\s+soon|"
    r"-++|_++|\?++|\.\.\.|…)\s*+[\])]?\s*+[.!]?\s*+$",
    re.I,
)
# "[TODO: provide examples of latent issues ...]", "TODO: Add your code" (auto-generated card templates)
TODO_RE = re.compile(r"^\s*+[\[(<]?\s*+(?:#\s*+)?todo\b\s*+[:\-]", re.I)


def is_placeholder(value: object) -> bool:
    """True for template placeholders and empty values, which are never values."""
    if value is None:
        return True
    if isinstance(value, (list, dict, tuple, set)):
        return len(value) == 0
    text = str(value).strip()
    if not text:
        return True
    if PLACEHOLDER_RE.match(text) or (TODO_RE.match(text) and len(text) < 300):
        return True
    return bool(re.search(r"\[?more information needed\]?", text, re.I)) and len(text) < 60


def alnum(text: object) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def normalize_license(value: object) -> str | None:
    """A known licence id for a YAML value or free text; None when unknown or unstated."""
    if is_placeholder(value):
        return None
    text = str(value).strip().lower()
    text = re.sub(r"^license\s*:\s*", "", text)
    if text in LICENSES:
        return None if text == "unknown" else text
    key = alnum(re.sub(r"\blicen[cs]e\b|\bversion\b", "", text))
    if key in LICENSE_ALIASES:
        return LICENSE_ALIASES[key]
    for lic in LICENSES:
        if alnum(lic) == key and lic not in ("cc", "bsd", "gpl", "lgpl", "gfdl"):
            return lic
    return None


def normalize_language(value: object) -> str | None:
    """ISO 639-1 code for a YAML code or an English language name; None otherwise."""
    if is_placeholder(value):
        return None
    text = str(value).strip().lower()
    if text in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[text]
    base = re.split(r"[-_]", text)[0]
    if base in ISO_639_1:
        return base
    if base in ISO_639_3:
        return ISO_639_3[base]
    return None

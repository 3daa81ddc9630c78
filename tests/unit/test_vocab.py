"""One vocabulary (issue 12.3): the crawl and the enrichment classify every tag the same way."""

from __future__ import annotations

import pytest

from crawler.hf.items import HfModelItem
from crawler.hf.normalise import normalise_model
from crawler.vocab import FRAMEWORK_TAGS, LIBRARIES, NOT_LOADERS, PEATMOSS_LIBRARIES, classify_tag
from enrich.markdown import parse_card
from enrich.rules import HubInfo, extract_frameworks, extract_libraries

# The two vocabularies the crawl (pipelines/vocab.py) and the enrichment (enrich/vocab.py) had before, as written there.
OLD_CRAWL = """
transformers tensorboard diffusers stable-baselines3 safetensors peft onnx ml-agents sentence-transformers timm
sample-factory keras adapter-transformers flair spacy espnet transformers.js fastai coreml rust nemo joblib
scikit-learn fasttext speechbrain paddlepaddle openclip bertopic fairseq openvino graphcore stanza tf-lite
asteroid paddlenlp allennlp spanmarker habana pythae pyannote.audio open_clip setfit span-marker gguf mlx
tf-keras ctranslate2 unity-sentis llamafile keras-hub sklearn pytorch tf jax tensorflow
""".split()
OLD_ENRICH = """
transformers diffusers sentence-transformers timm open_clip openclip nemo fairseq spacy keras sklearn
scikit-learn skops stable-baselines3 ml-agents sample-factory peft adapter-transformers flair espnet speechbrain
fastai fasttext bertopic paddlepaddle paddlenlp stanza asteroid allennlp span-marker pyannote.audio pythae
setfit yolov5 ultralytics haystack farm transformers.js mlx gliner tf-keras keras-nlp keras-hub pyannote-audio
audiocraft unity-sentis k2 mesh-transformer-jax gpt-neox generic joblib openvino coreml tf-lite tflite onnx
terratorch autonlp autotrain llama.cpp gguf ctranslate2 sentencepiece jax rl-baselines3-zoo pytorch-lightning
lightning megatron-lm deepspeed nanotron ludwig doctr mindspore pytorch tf tensorflow flax
""".split()
# Hub tags are lower case; the enrichment lowercases tags written in a card before it classifies them.
OTHERS = ["en", "multilingual", "text-classification", "exbert"]
TAGS = sorted(set(OLD_CRAWL) | set(OLD_ENRICH) | set(OTHERS))


def crawl(tag: str) -> HfModelItem:
    return normalise_model(HfModelItem(context_id="o/m", tags=[tag]))


def enrichment(tag: str) -> tuple[list[str], list[str]]:
    card, hub = parse_card(""), HubInfo(model_id="o/m", tags=[tag])
    return extract_libraries(card, hub)[0], extract_frameworks(card, hub)[0]


@pytest.mark.parametrize("tag", TAGS)
def test_crawl_and_enrichment_classify_a_tag_the_same_way(tag: str) -> None:
    kind = classify_tag(tag)
    item = crawl(tag)
    libraries, frameworks = enrichment(tag)
    assert (item.libraries == [tag]) == (kind.kind == "library")
    assert libraries == ([tag] if kind.kind == "library" and kind.loader else [])
    assert (item.frameworks == [tag]) == (kind.kind == "framework") == (frameworks == [FRAMEWORK_TAGS.get(tag)])
    assert (item.languages == [tag.lower()]) == (kind.kind == "language")


def test_the_vocabulary_is_the_union_checked_against_peatmoss() -> None:
    assert len(PEATMOSS_LIBRARIES) == 40 and PEATMOSS_LIBRARIES <= LIBRARIES
    assert set(OLD_CRAWL) | set(OLD_ENRICH) - set(FRAMEWORK_TAGS) <= LIBRARIES | set(FRAMEWORK_TAGS)
    assert not LIBRARIES & set(FRAMEWORK_TAGS)  # jax is a framework, never a library
    assert NOT_LOADERS <= LIBRARIES

from transformers import (
    BertConfig,
    BertForSequenceClassification,
    BertTokenizer,
    RobertaConfig,
    RobertaForSequenceClassification,
    RobertaTokenizer,
)
import transformers

MODEL_CLASSES = {
    "bert": (BertConfig, BertForSequenceClassification, BertTokenizer),
    "roberta": (RobertaConfig, RobertaForSequenceClassification, RobertaTokenizer),
}
CHECKPOINTS = {"small": "google/electra-small-discriminator", "base": "google/electra-base-discriminator"}
ORG = "EleutherAI"
SIZES = ["125m", "1.3B"]
CONFIG = {"encoder": {"name": "sentence-transformers/all-mpnet-base-v2", "pooling": "mean"}, "lr": 3e-5}


def build(model_type, path="bert-base-cased"):
    config_class, model_class, tokenizer_class = MODEL_CLASSES[model_type]
    config = config_class.from_pretrained(path)  # expect: bert-base-cased
    tokenizer = tokenizer_class.from_pretrained(path)  # expect: bert-base-cased
    model = model_class.from_pretrained(path, config=config)  # expect: bert-base-cased
    return config, tokenizer, model


def electra(size="small"):
    return transformers.ElectraModel.from_pretrained(CHECKPOINTS[size])  # expect: google/electra-small-discriminator


def electra_any(size):
    return transformers.ElectraModel.from_pretrained(CHECKPOINTS[size])  # expect: google/electra-small-discriminator, google/electra-base-discriminator


def gpt_neo_models():
    return [transformers.GPTNeoForCausalLM.from_pretrained(f"{ORG}/gpt-neo-{s}") for s in SIZES]  # expect: EleutherAI/gpt-neo-125m, EleutherAI/gpt-neo-1.3B


def encoder_from_config():
    return transformers.AutoModel.from_pretrained(CONFIG["encoder"]["name"])  # expect: sentence-transformers/all-mpnet-base-v2


def concatenated(variant="uncased"):
    name = "bert-base-multilingual-" + variant
    return transformers.AutoModel.from_pretrained(name)  # expect: bert-base-multilingual-uncased


def formatted(lang="de"):
    template = "Helsinki-NLP/opus-mt-en-{}"
    return transformers.MarianMTModel.from_pretrained(template.format(lang))  # expect: Helsinki-NLP/opus-mt-en-de


def percent(n=6):
    return transformers.AutoModel.from_pretrained("cross-encoder/ms-marco-MiniLM-L-%d-v2" % n)  # expect: cross-encoder/ms-marco-MiniLM-L-6-v2


load_lambda = lambda name: transformers.AutoModel.from_pretrained(name)  # noqa: E731  # expect: xlnet-base-cased
xlnet = load_lambda("xlnet-base-cased")

if __name__ == "__main__":
    build("bert")
    electra()
    for checkpoint in ["t5-small", "t5-base"]:
        transformers.T5Model.from_pretrained(checkpoint)  # expect: t5-small, t5-base

from transformers import AutoModel, AutoTokenizer

from .constants import DEFAULT_BACKBONE


def load_backbone(name=DEFAULT_BACKBONE, **kwargs):
    return AutoModel.from_pretrained(name, **kwargs)  # expect: roberta-base, microsoft/MiniLM-L12-H384-uncased, distilroberta-base, xlm-roberta-base, prajjwal1/bert-tiny


class Encoder:
    def __init__(self, model_name="distilroberta-base", device="cpu"):
        self.device = device
        self.tokenizer = AutoTokenizer.from_pretrained(model_name)  # expect: distilroberta-base, xlm-roberta-base, prajjwal1/bert-tiny
        self.model = load_backbone(model_name)

    def encode(self, texts):
        batch = self.tokenizer(texts, padding=True, return_tensors="pt")
        return self.model(**batch).last_hidden_state[:, 0]

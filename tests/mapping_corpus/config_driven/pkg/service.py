from sentence_transformers import SentenceTransformer
from transformers import pipeline

from pkg.settings import Config, config


class Service:
    def __init__(self, cfg=config):
        self.cfg = cfg
        self.embedder = SentenceTransformer(Config.MODEL_NAME)  # expect: sentence-transformers/all-MiniLM-L12-v2
        self.summarizer = pipeline("summarization", model=self.cfg.SUMMARY_MODEL)  # expect: sshleifer/distilbart-cnn-12-6
        self.model_id = "facebook/bart-large-mnli"

    def zero_shot(self):
        return pipeline("zero-shot-classification", model=self.model_id)  # expect: facebook/bart-large-mnli

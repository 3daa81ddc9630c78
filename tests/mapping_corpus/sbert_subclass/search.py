import json
from pathlib import Path

import faiss
import numpy as np
from sentence_transformers import SentenceTransformer, CrossEncoder, util


class SemanticSearch:
    bi_encoder_name = "multi-qa-mpnet-base-dot-v1"
    cross_encoder_name = "cross-encoder/ms-marco-MiniLM-L-6-v2"

    def __init__(self, corpus_path: str, device: str = "cpu"):
        self.bi_encoder = SentenceTransformer(self.bi_encoder_name, device=device)  # expect: multi-qa-mpnet-base-dot-v1, sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2
        self.bi_encoder.max_seq_length = 256
        self.cross_encoder = CrossEncoder(self.cross_encoder_name, max_length=512)  # expect: cross-encoder/ms-marco-MiniLM-L-6-v2
        self.passages = json.loads(Path(corpus_path).read_text())
        emb = self.bi_encoder.encode(self.passages, convert_to_numpy=True, show_progress_bar=True)
        self.index = faiss.IndexFlatIP(emb.shape[1])
        self.index.add(emb)

    def search(self, query, k=32):
        q = self.bi_encoder.encode([query])
        _, ids = self.index.search(q, k)
        pairs = [[query, self.passages[i]] for i in ids[0]]
        scores = self.cross_encoder.predict(pairs)
        return sorted(zip(scores, ids[0]), reverse=True)


class MultilingualSearch(SemanticSearch):
    bi_encoder_name = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"


def dedupe(sentences, model_name="all-MiniLM-L6-v2", threshold=0.9):
    model = SentenceTransformer(model_name)  # expect: all-MiniLM-L6-v2
    emb = model.encode(sentences, convert_to_tensor=True)
    return util.paraphrase_mining_embeddings(emb)

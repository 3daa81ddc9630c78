import numpy as np
from sentence_transformers import CrossEncoder
from sentence_transformers import SentenceTransformer as ST
from sentence_transformers import util

EMBEDDER = "all-MiniLM-L6-v2"


class SemanticSearch:
    def __init__(self, corpus, model=EMBEDDER):
        self.embedder = ST(model)  # expect: all-MiniLM-L6-v2, paraphrase-multilingual-MiniLM-L12-v2
        self.reranker = CrossEncoder("cross-encoder/ms-marco-MiniLM-L-6-v2", max_length=512)  # expect: cross-encoder/ms-marco-MiniLM-L-6-v2
        self.corpus = corpus
        self.embeddings = self.embedder.encode(corpus, convert_to_tensor=True)

    def query(self, text, k=5):
        hits = util.semantic_search(self.embedder.encode(text), self.embeddings, top_k=k)[0]
        return [self.corpus[h["corpus_id"]] for h in hits]


multi = SemanticSearch(["a", "b"], model="paraphrase-multilingual-MiniLM-L12-v2")
np.save("emb.npy", multi.embeddings)

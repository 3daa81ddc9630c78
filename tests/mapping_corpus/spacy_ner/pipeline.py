import en_core_web_trf
import spacy
from spacy.tokens import DocBin

MODEL = "en_core_web_sm"

nlp = spacy.load(MODEL)  # expect: en_core_web_sm
trf = en_core_web_trf.load()  # expect: en_core_web_trf
german = spacy.load("de_core_news_md", disable=["ner"])  # expect: de_core_news_md
custom = spacy.load("./training/model-best")  # expect: -
blank = spacy.blank("en")
db = DocBin().from_disk("./corpus/train.spacy")

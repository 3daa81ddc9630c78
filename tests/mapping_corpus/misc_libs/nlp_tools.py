import stanza
from bertopic import BERTopic
from fairseq.checkpoint_utils import load_model_ensemble_and_task_from_hf_hub
from flair.embeddings import TransformerWordEmbeddings
from flair.models import SequenceTagger
from huggingface_sb3 import load_from_hub
from langchain_community.embeddings import HuggingFaceEmbeddings
from span_marker import SpanMarkerModel
from setfit import SetFitModel
from allennlp.predictors.predictor import Predictor
from vllm import LLM

stanza.download("fr")  # expect: stanfordnlp/stanza-fr
nlp = stanza.Pipeline(lang="fr", processors="tokenize,pos")  # expect: stanfordnlp/stanza-fr
topics = BERTopic.load("MaartenGr/BERTopic_Wikipedia")  # expect: MaartenGr/BERTopic_Wikipedia
topic_model = BERTopic(embedding_model="paraphrase-MiniLM-L3-v2")  # expect: paraphrase-MiniLM-L3-v2
models, cfg, task = load_model_ensemble_and_task_from_hf_hub("facebook/fastspeech2-en-ljspeech")  # expect: facebook/fastspeech2-en-ljspeech
tagger = SequenceTagger.load("flair/ner-english-fast")  # expect: flair/ner-english-fast
embeddings = TransformerWordEmbeddings("roberta-large")  # expect: roberta-large
checkpoint = load_from_hub(repo_id="sb3/dqn-SpaceInvadersNoFrameskip-v4", filename="dqn.zip")  # expect: sb3/dqn-SpaceInvadersNoFrameskip-v4
lc = HuggingFaceEmbeddings(model_name="BAAI/bge-small-en-v1.5")  # expect: BAAI/bge-small-en-v1.5
lc_default = HuggingFaceEmbeddings()  # expect: sentence-transformers/all-mpnet-base-v2
span = SpanMarkerModel.from_pretrained("tomaarsen/span-marker-bert-base-fewnerd-fine-super")  # expect: tomaarsen/span-marker-bert-base-fewnerd-fine-super
setfit = SetFitModel.from_pretrained("sentence-transformers/paraphrase-mpnet-base-v2")  # expect: sentence-transformers/paraphrase-mpnet-base-v2
srl = Predictor.from_path("https://storage.googleapis.com/allennlp-public-models/structured-prediction-srl-bert.2020.12.15.tar.gz")  # expect: -
llm = LLM(model="mistralai/Mistral-7B-Instruct-v0.2")  # expect: mistralai/Mistral-7B-Instruct-v0.2

"""Sentiment classification demo.

Example:
    model = AutoModelForSequenceClassification.from_pretrained("docstring-org/not-a-real-load")
"""
import torch
import transformers as tf
from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline
from transformers import AutoConfig as Cfg

# tokenizer = AutoTokenizer.from_pretrained("commented/out-model")
CHECKPOINT = "distilbert-base-uncased-finetuned-sst-2-english"

tokenizer = AutoTokenizer.from_pretrained(CHECKPOINT)  # expect: distilbert-base-uncased-finetuned-sst-2-english
model = AutoModelForSequenceClassification.from_pretrained(  # expect: distilbert-base-uncased-finetuned-sst-2-english
    CHECKPOINT, num_labels=2
)
config = Cfg.from_pretrained("bert-base-uncased")  # expect: bert-base-uncased
gen = tf.AutoModelForCausalLM.from_pretrained("gpt2", torch_dtype=torch.float16)  # expect: gpt2
scratch = tf.BertModel(tf.BertConfig())
again = tf.BertModel.from_config(config)

ner = pipeline("ner", model="dslim/bert-base-NER", aggregation_strategy="simple")  # expect: dslim/bert-base-NER
summarizer = pipeline("summarization", "facebook/bart-large-cnn")  # expect: facebook/bart-large-cnn
default_sa = pipeline("sentiment-analysis")  # expect: -
qa = tf.pipeline(task="question-answering", model="deepset/roberta-base-squad2", tokenizer="deepset/roberta-base-squad2")  # expect: deepset/roberta-base-squad2


def predict(text: str) -> int:
    print("Using bert-large-cased for nothing")
    inputs = tokenizer(text, return_tensors="pt")
    return int(model(**inputs).logits.argmax())


tokenizer.save_pretrained("./export")
model.save_pretrained("./export")

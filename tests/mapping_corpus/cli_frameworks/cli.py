import click
import fire
import typer
from absl import app, flags
from sentence_transformers import SentenceTransformer
from transformers import pipeline, AutoModelForMaskedLM

FLAGS = flags.FLAGS
flags.DEFINE_string("mlm_model", "bert-base-cased", "masked LM checkpoint")


@click.command()
@click.option("--model", default="dslim/bert-base-NER", help="NER model")
@click.argument("text")
def ner(model, text):
    nlp = pipeline("ner", model=model, aggregation_strategy="simple")  # expect: dslim/bert-base-NER
    click.echo(nlp(text))


cli = typer.Typer()


@cli.command()
def embed(text: str, model_name: str = typer.Option("BAAI/bge-small-en-v1.5", help="embedder")):
    print(SentenceTransformer(model_name).encode([text]))  # expect: BAAI/bge-small-en-v1.5


def summarize(text, model="facebook/bart-large-cnn"):
    return pipeline("summarization", model=model)(text)  # expect: facebook/bart-large-cnn


def mlm_main(argv):
    return AutoModelForMaskedLM.from_pretrained(FLAGS.mlm_model)  # expect: bert-base-cased


if __name__ == "__main__":
    fire.Fire(summarize)

import os


class Config:
    MODEL_NAME = "sentence-transformers/all-MiniLM-L12-v2"
    SUMMARY_MODEL = os.environ.get("SUMMARY_MODEL", "sshleifer/distilbart-cnn-12-6")
    OUTPUT = "outputs/"


config = Config()

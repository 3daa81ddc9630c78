from models.classifier import BertForIntent, PlainModel

PRETRAINED = "bert-base-chinese"

model = BertForIntent.from_pretrained(PRETRAINED, num_intents=12)  # expect: bert-base-chinese
plain = PlainModel.from_pretrained("my-org/plain-model")

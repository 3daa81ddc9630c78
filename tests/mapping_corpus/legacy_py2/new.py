from transformers import BertModel

model = BertModel.from_pretrained("bert-base-multilingual-cased")  # expect: bert-base-multilingual-cased

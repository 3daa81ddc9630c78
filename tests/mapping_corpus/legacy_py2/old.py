from transformers import BertModel
print "loading"
model = BertModel.from_pretrained("bert-base-uncased")

from transformers import AutoModel

model = AutoModel.from_pretrained("allenai/scibert_scivocab_uncased")  # expect: allenai/scibert_scivocab_uncased

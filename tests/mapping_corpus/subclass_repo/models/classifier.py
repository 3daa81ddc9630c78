import torch.nn as nn
from transformers import BertModel, BertPreTrainedModel


class BertForIntent(BertPreTrainedModel):
    def __init__(self, config, num_intents=10):
        super().__init__(config)
        self.bert = BertModel(config)
        self.head = nn.Linear(config.hidden_size, num_intents)

    def forward(self, input_ids, attention_mask=None):
        out = self.bert(input_ids, attention_mask=attention_mask)
        return self.head(out.pooler_output)


class PlainModel(nn.Module):
    @classmethod
    def from_pretrained(cls, path):
        model = cls()
        return model

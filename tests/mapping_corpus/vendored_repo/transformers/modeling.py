class AutoModel:
    @classmethod
    def from_pretrained(cls, name="bert-base-uncased"):
        return cls()


_default = AutoModel.from_pretrained("bert-base-uncased")

class AutoModel:
    @staticmethod
    def from_pretrained(name):
        return name


def pipeline(task, model=None):
    return task, model


m = AutoModel.from_pretrained("facebook/opt-125m")
p = pipeline("ner", model="dslim/bert-base-NER")

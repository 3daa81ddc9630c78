import pytorch_lightning as pl
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


class GLUETransformer(pl.LightningModule):
    def __init__(self, model_name_or_path: str = "distilroberta-base", num_labels: int = 2, learning_rate: float = 2e-5):
        super().__init__()
        self.save_hyperparameters()
        self.model = AutoModelForSequenceClassification.from_pretrained(  # expect: distilroberta-base, albert-base-v2
            self.hparams.model_name_or_path, num_labels=self.hparams.num_labels
        )

    def forward(self, **inputs):
        return self.model(**inputs)

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.learning_rate)


class GLUEDataModule(pl.LightningDataModule):
    def __init__(self, model_name_or_path: str, task_name: str = "mrpc"):
        super().__init__()
        self.model_name_or_path = model_name_or_path
        self.tokenizer = AutoTokenizer.from_pretrained(self.model_name_or_path, use_fast=True)  # expect: albert-base-v2


if __name__ == "__main__":
    dm = GLUEDataModule("albert-base-v2")
    model = GLUETransformer("albert-base-v2", num_labels=dm.num_labels if hasattr(dm, "num_labels") else 2)
    pl.Trainer(max_epochs=1).fit(model, datamodule=dm)

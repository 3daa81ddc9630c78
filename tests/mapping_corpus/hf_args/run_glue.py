from dataclasses import dataclass, field
from typing import Optional

from transformers import AutoConfig, AutoModelForSequenceClassification, HfArgumentParser


@dataclass
class ModelArguments:
    model_name_or_path: str = field(default="albert-base-v2", metadata={"help": "model id"})
    config_name: Optional[str] = field(default=None)
    cache_dir: Optional[str] = field(default=None)


def main():
    parser = HfArgumentParser((ModelArguments,))
    (model_args,) = parser.parse_args_into_dataclasses()
    config = AutoConfig.from_pretrained(model_args.config_name or model_args.model_name_or_path)  # expect: albert-base-v2
    model = AutoModelForSequenceClassification.from_pretrained(  # expect: albert-base-v2
        model_args.model_name_or_path, config=config, cache_dir=model_args.cache_dir
    )
    return model

import torch
from peft import LoraConfig, PeftConfig, PeftModel, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer

BASE_MODEL = "meta-llama/Llama-2-7b-hf"
ADAPTER = "tloen/alpaca-lora-7b"


def load_for_inference():
    base = AutoModelForCausalLM.from_pretrained(BASE_MODEL, torch_dtype=torch.float16, device_map="auto")  # expect: meta-llama/Llama-2-7b-hf
    model = PeftModel.from_pretrained(base, ADAPTER)  # expect: tloen/alpaca-lora-7b
    tok = AutoTokenizer.from_pretrained(BASE_MODEL)  # expect: meta-llama/Llama-2-7b-hf
    return model, tok


def adapter_config(adapter_id="ybelkada/opt-350m-lora"):
    return PeftConfig.from_pretrained(adapter_id)  # expect: ybelkada/opt-350m-lora


def for_training(base):
    config = LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"])
    return get_peft_model(base, config)

import json

from huggingface_hub import hf_hub_download, snapshot_download
from huggingface_hub import from_pretrained_keras
import huggingface_hub as hfh

GGUF_REPO = "TheBloke/Llama-2-7B-Chat-GGUF"

weights = hf_hub_download(repo_id=GGUF_REPO, filename="llama-2-7b-chat.Q4_K_M.gguf")  # expect: TheBloke/Llama-2-7B-Chat-GGUF
whisper_dir = snapshot_download("openai/whisper-tiny", allow_patterns=["*.json"])  # expect: openai/whisper-tiny
squad = hf_hub_download(repo_id="rajpurkar/squad", filename="train.json", repo_type="dataset")
space = hfh.snapshot_download("gradio/hello_world", repo_type="space")
keras_model = from_pretrained_keras("keras-io/ocr-for-captcha")  # expect: keras-io/ocr-for-captcha
cfg = json.load(open(hfh.hf_hub_download("google/vit-base-patch16-224", "config.json")))  # expect: google/vit-base-patch16-224

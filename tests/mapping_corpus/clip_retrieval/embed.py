import clip
import open_clip
import torch
import torchtext

device = "cuda" if torch.cuda.is_available() else "cpu"
model, preprocess = clip.load("ViT-B/32", device=device)  # expect: openai-clip:ViT-B/32
oc_model, _, oc_preprocess = open_clip.create_model_and_transforms("ViT-B-32", pretrained="laion2b_s34b_b79k")  # expect: open_clip:ViT-B-32/laion2b_s34b_b79k
tokenizer = open_clip.get_tokenizer("ViT-B-32")
big, big_preprocess = open_clip.create_model_from_pretrained("hf-hub:laion/CLIP-ViT-g-14-laion2B-s12B-b42K")  # expect: laion/CLIP-ViT-g-14-laion2B-s12B-b42K
untrained = open_clip.create_model("RN50")
xlmr = torchtext.models.XLMR_BASE_ENCODER.get_model()  # expect: torchtext:XLMR_BASE_ENCODER

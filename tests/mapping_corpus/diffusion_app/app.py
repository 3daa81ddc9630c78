import torch
from diffusers import DiffusionPipeline, StableDiffusionPipeline, UNet2DConditionModel
from diffusers import DPMSolverMultistepScheduler as Scheduler

BASE = "runwayml/stable-diffusion-v1-5"
LORA = "sayakpaul/sd-model-finetuned-lora-t4"


def load_pipeline(device="cuda"):
    pipe = StableDiffusionPipeline.from_pretrained(BASE, torch_dtype=torch.float16).to(device)  # expect: runwayml/stable-diffusion-v1-5
    pipe.scheduler = Scheduler.from_config(pipe.scheduler.config)
    pipe.load_lora_weights(LORA)  # expect: sayakpaul/sd-model-finetuned-lora-t4
    return pipe


def load_sdxl():
    unet = UNet2DConditionModel.from_pretrained(  # expect: stabilityai/stable-diffusion-xl-base-1.0
        "stabilityai/stable-diffusion-xl-base-1.0", subfolder="unet"
    )
    return DiffusionPipeline.from_pretrained("stabilityai/stable-diffusion-xl-base-1.0", unet=unet)  # expect: stabilityai/stable-diffusion-xl-base-1.0


def load_local():
    return DiffusionPipeline.from_pretrained("./outputs/dreambooth")  # expect: -

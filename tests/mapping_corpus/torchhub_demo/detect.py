import torch
from torch import hub

model = torch.hub.load("ultralytics/yolov5", "yolov5s", pretrained=True)  # expect: ultralytics/yolov5:yolov5s
resnet = torch.hub.load("pytorch/vision:v0.10.0", "resnet18", pretrained=True)  # expect: pytorch/vision:resnet18
dino = hub.load(repo_or_dir="facebookresearch/dino:main", model="dino_vits16")  # expect: facebookresearch/dino:dino_vits16
midas = torch.hub.load("intel-isl/MiDaS", model="DPT_Large")  # expect: intel-isl/MiDaS:DPT_Large
local = torch.hub.load("./yolov5", "custom", path="runs/train/exp/weights/best.pt", source="local")
arch_only = torch.hub.load("pytorch/vision", "resnet50", pretrained=False)
checkpoint = torch.load("weights/best.pt", map_location="cpu")
state = torch.hub.load_state_dict_from_url("https://download.pytorch.org/models/resnet18-f37072fd.pth")

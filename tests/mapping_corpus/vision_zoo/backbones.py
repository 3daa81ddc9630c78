import timm
import torch
import torchvision
import torchvision.models as models
from torchvision.models import ResNet18_Weights, vgg16
from torchvision.models.detection import fasterrcnn_resnet50_fpn

from timm import create_model as make


def resnet_features(pretrained=True):
    net = models.resnet50(pretrained=pretrained)  # expect: torchvision:resnet50
    return torch.nn.Sequential(*list(net.children())[:-1])


def student():
    return models.resnet34()


def classifier(num_classes=10):
    net = models.resnet18(weights=ResNet18_Weights.DEFAULT)  # expect: torchvision:resnet18
    net.fc = torch.nn.Linear(net.fc.in_features, num_classes)
    return net


vgg = vgg16(weights="IMAGENET1K_V1")  # expect: torchvision:vgg16
untrained = torchvision.models.efficientnet_b0(weights=None)
detector = fasterrcnn_resnet50_fpn(pretrained=True)  # expect: torchvision:fasterrcnn_resnet50_fpn
mobilenet = torchvision.models.mobilenet_v2(True).eval()  # expect: torchvision:mobilenet_v2

vit = timm.create_model("vit_base_patch16_224", pretrained=True, num_classes=0)  # expect: timm:vit_base_patch16_224
scratch = timm.create_model("resnet26d", pretrained=False)
convnext = make("hf_hub:timm/convnext_tiny.fb_in22k", pretrained=True)  # expect: timm/convnext_tiny.fb_in22k


def timm_backbone(name="efficientnet_b3", pretrained=True):
    return timm.create_model(name, pretrained=pretrained, features_only=True)  # expect: timm:efficientnet_b3, timm:swin_tiny_patch4_window7_224


swin = timm_backbone("swin_tiny_patch4_window7_224")

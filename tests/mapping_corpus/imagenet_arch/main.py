import argparse

import torch
import torchvision.models as models

model_names = sorted(
    name for name in models.__dict__ if name.islower() and not name.startswith("__") and callable(models.__dict__[name])
)

parser = argparse.ArgumentParser(description="PyTorch ImageNet Training")
parser.add_argument("data", metavar="DIR", nargs="?", default="imagenet")
parser.add_argument("-a", "--arch", metavar="ARCH", default="resnet18", choices=model_names)
parser.add_argument("--pretrained", dest="pretrained", action="store_true")


def main():
    args = parser.parse_args()
    if args.pretrained:
        print("=> using pre-trained model '{}'".format(args.arch))
        model = models.__dict__[args.arch](pretrained=True)  # expect: torchvision:resnet18
    else:
        print("=> creating model '{}'".format(args.arch))
        model = models.__dict__[args.arch]()
    teacher = getattr(models, "resnet152")(weights="IMAGENET1K_V2")  # expect: torchvision:resnet152
    mbv3 = models.mobilenet_v3_large(weights="DEFAULT")  # expect: torchvision:mobilenet_v3_large
    return model, teacher, mbv3


if __name__ == "__main__":
    main()

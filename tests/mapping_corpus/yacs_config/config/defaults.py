from yacs.config import CfgNode as CN

_C = CN()
_C.MODEL = CN()
_C.MODEL.NAME = "swin_base_patch4_window7_224"
_C.MODEL.PRETRAINED = True
_C.MODEL.TEXT_ENCODER = "openai/clip-vit-base-patch32"
_C.TRAIN = CN()
_C.TRAIN.LR = 1e-4


def get_cfg_defaults():
    return _C.clone()

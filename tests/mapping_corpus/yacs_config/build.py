import timm
from transformers import CLIPTextModel, CLIPTokenizer

from config.defaults import get_cfg_defaults


def build_model(cfg):
    backbone = timm.create_model(cfg.MODEL.NAME, pretrained=cfg.MODEL.PRETRAINED, num_classes=0)  # expect: timm:swin_base_patch4_window7_224
    text = CLIPTextModel.from_pretrained(cfg.MODEL.TEXT_ENCODER)  # expect: openai/clip-vit-base-patch32
    tok = CLIPTokenizer.from_pretrained(cfg.MODEL.TEXT_ENCODER)  # expect: openai/clip-vit-base-patch32
    return backbone, text, tok


if __name__ == "__main__":
    cfg = get_cfg_defaults()
    cfg.merge_from_file("configs/swin.yaml")
    cfg.freeze()
    build_model(cfg)

from .encoders import Encoder, load_backbone

__all__ = ["Encoder", "load_backbone"]

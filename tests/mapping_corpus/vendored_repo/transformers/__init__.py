from .modeling import AutoModel

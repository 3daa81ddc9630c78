from textkit.constants import SMALL_BACKBONE
from textkit.encoders import Encoder, load_backbone


def main():
    enc = Encoder("xlm-roberta-base")
    tiny = Encoder(model_name=SMALL_BACKBONE)
    default = Encoder()
    backbone = load_backbone()
    minilm = load_backbone("microsoft/MiniLM-L12-H384-uncased", output_hidden_states=True)
    return enc, tiny, default, backbone, minilm


if __name__ == "__main__":
    main()

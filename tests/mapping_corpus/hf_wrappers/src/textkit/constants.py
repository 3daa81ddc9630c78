DEFAULT_BACKBONE = "roberta-base"
SMALL_BACKBONE = "prajjwal1/bert-tiny"

"""Vocabularies that sort Hugging Face tags into the PeaTMOSS lookup tables."""

# ISO 639-1 codes: the Hub computes language tags from the card's `language` field with these.
LANGUAGE_CODES = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el
    en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu
    ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na
    nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so
    sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    multilingual
    """.split()
)

# The accurate LLM pipeline's 40 libraries (peatmoss-schema.md §9) and libraries the Hub added since.
LIBRARIES = frozenset(
    """
    transformers tensorboard diffusers stable-baselines3 safetensors peft onnx ml-agents sentence-transformers timm
    sample-factory keras adapter-transformers flair spacy espnet transformers.js fastai coreml rust nemo joblib
    scikit-learn fasttext speechbrain paddlepaddle openclip bertopic fairseq openvino graphcore stanza tf-lite
    asteroid paddlenlp allennlp spanmarker habana pythae pyannote.audio
    open_clip setfit span-marker gguf mlx tf-keras ctranslate2 unity-sentis llamafile keras-hub sklearn
    """.split()
)

# Deep-learning frameworks as the accurate pipeline reads them from tags.
FRAMEWORKS = frozenset({"pytorch", "tf", "jax", "tensorflow"})

BASE_MODEL_RELATIONS = frozenset({"finetune", "adapter", "quantized", "merge"})

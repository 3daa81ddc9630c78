"""Front matter, torch.hub.load extraction and hubconf listing on realistic PyTorch Hub pages and hubconf files,
with the traps of reference/api-shapes.md §2 and §5 item 13-14."""

from __future__ import annotations

from crawler.pytorch_hub.frontmatter import is_model_page, parse_front_matter, split_front_matter
from crawler.pytorch_hub.hubconf import list_entrypoints
from crawler.pytorch_hub.loads import extract_loads, parse_repo_string, python_blocks

RESNET = """---
layout: hub_detail
background-class: hub-background
body-class: hub
title: ResNet
summary: Deep residual networks pre-trained on ImageNet
category: researchers
image: resnet.png
author: Pytorch Team
tags: [vision, scriptable]
github-link: https://github.com/pytorch/vision/blob/main/torchvision/models/resnet.py
github-id: pytorch/vision
featured_image_1: resnet.png
featured_image_2: no-image
accelerator: cuda-optional
order: 10
demo-model-link: https://huggingface.co/spaces/pytorch/ResNet
---

```python
import torch
model = torch.hub.load('pytorch/vision:v0.10.0', 'resnet18', pretrained=True)
# or any of these variants
# model = torch.hub.load('pytorch/vision:v0.10.0', 'resnet34', pretrained=True)
# model = torch.hub.load('pytorch/vision:v0.10.0', 'resnet50', pretrained=True)
model.eval()
```

All pre-trained models expect input images normalized in the same way.

```python
# Download an example image from the pytorch website
import urllib
url, filename = ("https://github.com/pytorch/hub/raw/master/images/dog.jpg", "dog.jpg")
try: urllib.URLopener().retrieve(url, filename)
except: urllib.request.urlretrieve(url, filename)
```

### Model Description

Resnet models were proposed in "Deep Residual Learning for Image Recognition".
"""

# Typographic quotes, trailing spaces, no featured_image_1 / order / demo-model-link.
SLOWFAST = """---
layout: hub_detail
background-class: hub-background
body-class: hub
category: researchers
title: SlowFast
summary: SlowFast networks pretrained on the Kinetics 400 dataset
image: slowfast.png<SPACE>
author: FAIR PyTorchVideo
tags: [vision]
github-link: https://github.com/facebookresearch/pytorchvideo
github-id: facebookresearch/pytorchvideo
featured_image_2: no-image
accelerator: “cuda-optional”
---

### Example Usage

```python
import torch
# Choose the `slowfast_r50` model
model = torch.hub.load('facebookresearch/pytorchvideo', 'slowfast_r50', pretrained=True)
```
""".replace("<SPACE>", " ")

# github-id casing differs from the load string; the ref only appears in the body.
YOLOP = """---
layout: hub_detail
background-class: hub-background
body-class: hub
title: YOLOP
summary: YOLOP pretrained on the BDD100K dataset
category: researchers
image: yolop.png
author: Hust Visual Learning Team
tags: [vision]
github-link: https://github.com/hustvl/YOLOP
github-id: hustvl/YOLOP
featured_image_1: yolop.png
featured_image_2: no-image
accelerator: cuda-optional
demo-model-link: https://huggingface.co/spaces/pytorch/YOLOP
---
## Before You Start
```bash
pip install -qr https://github.com/hustvl/YOLOP/blob/main/requirements.txt
```

```python
import torch

# load model
model = torch.hub.load('hustvl/yolop', 'yolop', pretrained=True)
```
"""

# Keyword arguments, a name bound to the repository, notebook magic, an unquoted colon that breaks strict YAML.
SILERO = """---
layout: hub_detail
background-class: hub-background
body-class: hub
title: Silero Speech-To-Text Models
summary: A set of compact enterprise-grade pre-trained STT Models for multiple languages: en, de, es.
category: researchers
image: silero_logo.jpg
author: Silero AI Team
tags: [audio, scriptable]
github-link: https://github.com/snakers4/silero-models
github-id: snakers4/silero-models
featured_image_1: silero_stt_model.jpg
featured_image_2: silero_imagenet_moment.png
accelerator: cuda-optional
---

```bash
# this assumes that you have a proper version of PyTorch already installed
pip install -q torchaudio omegaconf soundfile
```

```python
!pip install -q omegaconf
%matplotlib inline
import torch
import zipfile
device = torch.device('cpu')  # gpu also works, but our models are fast enough for CPU
repo = 'snakers4/silero-models'
model, decoder, utils = torch.hub.load(repo_or_dir=repo,
                                       model='silero_stt',
                                       language='en', # also available 'de', 'es'
                                       device=device)
(read_batch, split_into_batches,
 read_audio, prepare_model_input) = utils  # see function signature for details
```
"""

LOOP = """```python
import torch
for name in ['nvidia_ssd', 'nvidia_ssd_processing_utils']:
    torch.hub.load('NVIDIA/DeepLearningExamples:torchhub', name)
hub_model = torch.hub.load(model='nvidia_tacotron2', repo_or_dir='NVIDIA/DeepLearningExamples:torchhub')
local = torch.hub.load('./my_dir', 'resnet', source='local')
from torch import hub as h
h.load('huggingface/pytorch-transformers', 'tokenizer', 'bert-base-uncased')
```
"""


def test_front_matter_of_a_complete_page() -> None:
    front = parse_front_matter(RESNET)
    assert front is not None and front.strict_yaml
    assert (front.title, front.author, front.github_id) == ("ResNet", "Pytorch Team", "pytorch/vision")
    assert front.tags == ["vision", "scriptable"]
    assert front.order == 10
    assert front.peatmoss_tags == ["vision", "scriptable", "researchers", "cuda-optional"]
    assert front.demo_model_link == "https://huggingface.co/spaces/pytorch/ResNet"


def test_typographic_quotes_trailing_spaces_and_missing_keys() -> None:
    assert "image: slowfast.png \n" in SLOWFAST
    front = parse_front_matter(SLOWFAST)
    assert front is not None
    assert front.accelerator == "cuda-optional"
    assert front.image == "slowfast.png"
    assert front.order is None and front.demo_model_link is None
    assert "featured_image_1" not in front.raw
    assert front.peatmoss_tags == ["vision", "researchers", "cuda-optional"]


def test_yaml_that_pyyaml_refuses_is_parsed_line_by_line() -> None:
    front = parse_front_matter(SILERO)
    assert front is not None and not front.strict_yaml
    assert front.summary.endswith("STT Models for multiple languages: en, de, es.")
    assert front.tags == ["audio", "scriptable"]
    assert front.github_id == "snakers4/silero-models"


def test_pages_without_front_matter_are_not_model_pages() -> None:
    assert parse_front_matter("# PyTorch Hub\n\nContributions welcome.\n---\n") is None
    assert split_front_matter("---\ntitle: never closed\n") == (None, "---\ntitle: never closed\n")
    assert not is_model_page(parse_front_matter("---\ntitle: template\n---\n"))
    assert is_model_page(parse_front_matter("\ufeff\n---  \ngithub-id: a/b\n---\n"))


def test_positional_loads_and_commented_variants() -> None:
    loads, broken = extract_loads(RESNET)
    assert broken == 0
    assert [(ld.repo_string, ld.entrypoint, ld.commented) for ld in loads] == [
        ("pytorch/vision:v0.10.0", "resnet18", False),
        ("pytorch/vision:v0.10.0", "resnet34", True),
        ("pytorch/vision:v0.10.0", "resnet50", True),
    ]
    assert RESNET.splitlines()[loads[0].line - 1].startswith("model = torch.hub.load(")
    assert "resnet50" in RESNET.splitlines()[loads[2].line - 1]


def test_load_string_keeps_its_own_casing_and_body_ref() -> None:
    (load,) = extract_loads(YOLOP)[0]
    assert (load.owner, load.repo, load.ref, load.entrypoint) == ("hustvl", "yolop", None, "yolop")
    (load,) = extract_loads(SLOWFAST)[0]
    assert load.full_name == "facebookresearch/pytorchvideo" and load.entrypoint == "slowfast_r50"


def test_keyword_arguments_names_and_notebook_magic() -> None:
    loads, broken = extract_loads(SILERO)
    assert broken == 0
    assert [(ld.full_name, ld.entrypoint) for ld in loads] == [("snakers4/silero-models", "silero_stt")]


def test_loops_keyword_order_local_sources_and_aliases() -> None:
    loads, _ = extract_loads(LOOP)
    assert [(ld.repo_string, ld.entrypoint) for ld in loads] == [
        ("NVIDIA/DeepLearningExamples:torchhub", "nvidia_ssd"),
        ("NVIDIA/DeepLearningExamples:torchhub", "nvidia_ssd_processing_utils"),
        ("NVIDIA/DeepLearningExamples:torchhub", "nvidia_tacotron2"),
        ("huggingface/pytorch-transformers", "tokenizer"),
    ]


def test_a_block_that_does_not_parse_still_yields_its_load_lines() -> None:
    page = "```python\nprint 'python 2'\nmodel = torch.hub.load('ultralytics/yolov5', 'yolov5s')\n```\n"
    loads, broken = extract_loads(page)
    assert broken == 1
    assert [(ld.full_name, ld.entrypoint, ld.line) for ld in loads] == [("ultralytics/yolov5", "yolov5s", 3)]


def test_only_python_blocks_are_read() -> None:
    page = "```bash\npython -c \"torch.hub.load('a/b', 'c')\"\n```\n~~~py\nx = 1\n~~~\n"
    assert python_blocks(page) == [(5, "x = 1")]


def test_repo_strings() -> None:
    assert parse_repo_string("pytorch/vision:v0.10.0") == ("pytorch", "vision", "v0.10.0")
    assert parse_repo_string(" snakers4/silero-vad ") == ("snakers4", "silero-vad", None)
    assert parse_repo_string("./local/dir") is None
    assert parse_repo_string("no-slash") is None


HUBCONF = '''"""Hub entrypoints."""
dependencies = ["torch", "scipy"]
import torch
import torchvision.models as tvm
from torchvision.models import get_weight
from torchvision.models.resnet import resnet18, resnet50 as _resnet50
from .models import *
from functools import partial


def _load(arch, pretrained):
    return arch


def resnet50(pretrained=False, **kwargs):
    """ResNet-50 from "Deep Residual Learning".

    More text."""
    return _load(_resnet50, pretrained)


class Detector:
    def __call__(self):
        pass


resnet50_alias = resnet50
wide = partial(_load, "wide")
mobilenet = tvm.mobilenet_v2
VERSION = "1.0"
try:
    from .optional import fancy_model
except ImportError:
    fancy_model = None
if torch.cuda.is_available():
    def gpu_model():
        return None
del Detector
'''


def test_hubconf_entrypoints_are_public_callables_with_imports() -> None:
    conf = list_entrypoints(HUBCONF)
    assert conf.error is None
    assert conf.dependencies == ["torch", "scipy"]
    assert conf.star_imports == [".models"]
    by_name = {e.name: e for e in conf.entrypoints}
    assert set(by_name) == {
        "get_weight", "resnet18", "resnet50", "resnet50_alias", "wide", "mobilenet", "gpu_model", "fancy_model",
        "partial",  # imported from functools: a public callable, so torch.hub.list shows it too
    }  # fmt: skip
    assert by_name["get_weight"].kind == "imported"
    assert by_name["get_weight"].source == "torchvision.models.get_weight"
    assert by_name["resnet50"].kind == "function"
    assert by_name["resnet50"].doc == 'ResNet-50 from "Deep Residual Learning".'
    assert by_name["mobilenet"].source == "tvm.mobilenet_v2"
    assert by_name["fancy_model"].kind == "imported"  # the `except` branch's None does not hide it
    # Not listed: the module `torch`, the list `dependencies`, the string VERSION, private names, a deleted class.


def test_hubconf_that_does_not_parse() -> None:
    conf = list_entrypoints("def broken(:\n")
    assert conf.entrypoints == [] and conf.error and conf.error.startswith("SyntaxError")

"""Generated data of the fake Hub: deterministic, realistic, and evolving by generations as promised."""

from __future__ import annotations

import hashlib
import json

import yaml

from fakehub import hf_views as views
from fakehub.hf_data import HubData
from fakehub.hf_files import git_blob_sha1


def _info(hub: HubData, key: int) -> str:
    model = hub.model(key)
    assert model is not None
    return json.dumps(views.model_info(hub, model, model.commits[0], blobs=True), sort_keys=True)


def test_same_seed_same_bodies_other_seed_other_bodies() -> None:
    one, two, other = HubData(5, 300), HubData(5, 300), HubData(6, 300)
    for key in (0, 1, 57, 299):
        assert _info(one, key) == _info(two, key)
        assert _info(one, key) != _info(other, key)
    assert [one.model(k).id for k in range(300)] == [two.model(k).id for k in range(300)]  # type: ignore[union-attr]
    assert len({one.model(k).id for k in range(300)}) == 300  # type: ignore[union-attr]


def test_generation_one_changes_about_one_percent_and_appends_models() -> None:
    g0, g1 = HubData(11, 5000, generation=0), HubData(11, 5000, generation=1)
    assert g1.count() == 5050 and g0.count() == 5000
    changed = moved = active = 0
    for key in range(5000):
        before, after = g0.model(key), g1.model(key)
        assert before is not None and after is not None and before.id == after.id
        if before.sha != after.sha:
            changed += 1
            assert [c.id for c in after.commits[1:]] == [c.id for c in before.commits]  # history grows on top
            assert after.last_modified > before.last_modified
        if before.downloads >= 20:
            active += 1
            moved += before.downloads != after.downloads
    assert 15 <= changed <= 100  # ~1% of 5000
    assert moved > 0.8 * active > 100
    newest = g1.model(5049)
    assert newest is not None and newest.created_at > g0.model(4999).created_at[:4]  # type: ignore[union-attr]
    assert g0.model(5000) is None


def test_downloads_are_heavy_tailed_and_tags_point_at_the_hub() -> None:
    hub = HubData(2, 2000)
    models = [hub.model(k) for k in range(2000)]
    popular = sum(1 for m in models if m and m.downloads >= 50) / len(models)
    assert 0.08 <= popular <= 0.25
    assert max(m.downloads for m in models if m) > 1000 * sorted(m.downloads for m in models if m)[1000] + 1
    ids = {m.id for m in models if m}
    bases = [
        t.split(":", 1)[1] for m in models if m for t in m.tags if t.startswith("base_model:") and t.count(":") == 1
    ]
    assert len(bases) > 200 and set(bases) <= ids
    relations = {t.split(":")[1] for m in models if m for t in m.tags if t.count(":") == 2}
    assert {"finetune", "adapter", "quantized"} <= relations
    libraries = {m.library for m in models if m}
    assert {"transformers", "diffusers", "sentence-transformers", "timm"} <= libraries
    assert any(m.legacy_id for m in models if m)
    assert any(m.private for m in models if m) and any(m.gated == "manual" for m in models if m)


def test_advertised_hashes_and_sizes_are_those_of_the_bytes() -> None:
    hub = HubData(3, 50)
    for key in range(50):
        model = hub.model(key)
        assert model is not None
        for spec in model.files:
            data = hub.files.content(model, spec, 0)
            meta = hub.files.meta(model, spec, 0)
            assert meta.size == len(data)
            if spec.lfs:
                assert meta.sha256 == hashlib.sha256(data).hexdigest()
                assert 1 <= len(data) <= 64 * 1024 + 256
            else:
                assert meta.oid == git_blob_sha1(data)


def test_readme_front_matter_is_the_card_data() -> None:
    hub = HubData(4, 40)
    checked = 0
    for key in range(40):
        model = hub.model(key)
        assert model is not None
        readme = model.file("README.md")
        if readme is None or not model.card_data:
            continue
        text = hub.files.content(model, readme, 0).decode()
        front = text.split("---\n")[1]
        assert yaml.safe_load(front) == model.card_data
        assert "### Training hyperparameters" in text and "```python" in text
        checked += 1
    assert checked >= 20

"""The real recorded model infos, served by a local server, crawl into the right rows."""

from __future__ import annotations

from fakehub import FakeHub
from tests.crawl import rows, run_crawl
from tests.real_fixtures import require_shared

BUCKETS = {
    "license": "SELECT l.name FROM license l JOIN model_to_license j ON j.license_id = l.id WHERE j.model_id = ?",
    "dataset": "SELECT l.name FROM dataset l JOIN model_to_dataset j ON j.dataset_id = l.id WHERE j.model_id = ?",
    "paper": "SELECT l.title FROM paper l JOIN model_to_paper j ON j.paper_id = l.id WHERE j.model_id = ?",
    "library": "SELECT l.name FROM library l JOIN model_to_library j ON j.library_id = l.id WHERE j.model_id = ?",
    "architecture": "SELECT l.name FROM architecture l JOIN model_to_architecture j "
    "ON j.architecture_id = l.id WHERE j.model_id = ?",
    "author": "SELECT l.name FROM author l JOIN model_to_author j ON j.author_id = l.id WHERE j.model_id = ?",
    "language": "SELECT l.name FROM language l JOIN model_to_language j ON j.language_id = l.id WHERE j.model_id = ?",
    "tag": "SELECT l.name FROM tag l JOIN model_to_tag j ON j.tag_id = l.id WHERE j.model_id = ?",
}


def test_recorded_models_crawl_into_the_right_rows(tmp_path) -> None:
    real = require_shared()
    with FakeHub(models=3, seed=11, real_fixtures=str(real)) as hub:
        result = run_crawl(tmp_path, hub.hf_endpoint)
    assert result.returncode == 0 and "Traceback" not in result.stdout, result.stdout[-3000:]
    db = tmp_path / "peatmoss.db"
    models = {cid: (mid, sha, dl, likes) for mid, cid, sha, dl, likes in rows(
        db, "SELECT id, context_id, sha, downloads, likes FROM model")}  # fmt: skip

    def bucket(model_id: int, name: str) -> set[str]:
        return {r[0] for r in rows(db, BUCKETS[name], (model_id,))}

    bert_id, sha, downloads, likes = models["google-bert/bert-base-uncased"]
    assert (sha, downloads, likes) == ("86b5e0934494bd15c9632b12f734a8a67f723594", 72376843, 2065)
    assert bucket(bert_id, "license") == {"apache-2.0"}
    assert bucket(bert_id, "dataset") == {"bookcorpus", "wikipedia"}
    assert bucket(bert_id, "paper") == {"https://arxiv.org/abs/1810.04805"}
    assert {"transformers", "safetensors", "onnx", "coreml", "rust"} <= bucket(bert_id, "library")
    assert bucket(bert_id, "architecture") == {"BertForMaskedLM"}
    assert bucket(bert_id, "author") == {"google-bert"}
    assert bucket(bert_id, "language") == {"en"}
    assert "fill-mask" in bucket(bert_id, "tag")
    assert rows(db, "SELECT pipeline_tag, native_id FROM crawl_model_state WHERE model_id = ?", (bert_id,)) == [
        ("fill-mask", "621ffdc036468d709f174338")
    ]

    squad_id, sha, downloads, likes = models["deepset/roberta-base-squad2"]
    assert bucket(squad_id, "license") == {"cc-by-4.0"}
    assert bucket(squad_id, "dataset") == {"squad_v2"}
    assert bucket(squad_id, "author") == {"deepset"}
    assert bucket(squad_id, "architecture") == {"RobertaForQuestionAnswering"}
    assert "question-answering" in bucket(squad_id, "tag")
    assert rows(
        db, "SELECT base_model_name, relation, base_model_url FROM model_to_base_model WHERE model_id = ?", (squad_id,)
    ) == [("FacebookAI/roberta-base", "finetune", "https://huggingface.co/FacebookAI/roberta-base")]
    # Both are popular: their history was collected and the card stored.
    for model_id in (bert_id, squad_id):
        assert rows(db, "SELECT has_snapshot FROM model WHERE id = ?", (model_id,)) == [(1,)]
        assert rows(db, "SELECT count(*) FROM hf_commit WHERE model_id = ?", (model_id,))[0][0] >= 1

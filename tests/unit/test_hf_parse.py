"""The real recorded model infos parse into the right PeaTMOSS buckets."""

from __future__ import annotations

from crawler.hf.normalise import normalise_model
from crawler.hf.parse import commits_item, discussion_item, discussion_page, model_item, next_link, refs_item
from tests.real_fixtures import hf_model_info


def test_bert_base_uncased_buckets() -> None:
    item = normalise_model(model_item(hf_model_info("google-bert/bert-base-uncased")))
    assert item.context_id == "google-bert/bert-base-uncased"
    assert item.sha == "86b5e0934494bd15c9632b12f734a8a67f723594"
    assert item.downloads == 72376843 and item.likes == 2065
    assert item.licenses == ["apache-2.0"]
    assert item.datasets == ["bookcorpus", "wikipedia"]
    assert item.languages == ["en"]
    assert item.papers == ["https://arxiv.org/abs/1810.04805"]
    assert item.architectures == ["BertForMaskedLM"]
    assert item.authors == ["google-bert"]
    assert "transformers" in item.libraries and "safetensors" in item.libraries
    assert "fill-mask" in item.free_tags  # the pipeline tag stays a tag: the paper's plots group on it
    assert "pytorch" in item.frameworks and "pytorch" in item.free_tags
    assert not any(":" in t for t in item.free_tags)
    assert "en" not in item.free_tags and "transformers" not in item.free_tags
    assert item.gated == "false" and item.native_id == "621ffdc036468d709f174338"


def test_roberta_squad2_base_model_and_license() -> None:
    item = normalise_model(model_item(hf_model_info("deepset/roberta-base-squad2")))
    assert item.licenses == ["cc-by-4.0"]
    assert item.datasets == ["squad_v2"]
    assert item.base_models == [{"name": "FacebookAI/roberta-base", "relation": "finetune"}]
    assert item.pipeline_tag == "question-answering" and "question-answering" in item.free_tags
    assert item.architectures == ["RobertaForQuestionAnswering"]


def test_hostile_and_partial_entries() -> None:
    assert model_item({"no": "id"}) is None
    assert model_item("not a dict") is None
    item = normalise_model(
        model_item(
            {
                "id": "a/b",
                "downloads": "many",
                "likes": None,
                "tags": ["x", 3, None, "license:mit"],
                "cardData": {"license": ["mit", "apache-2.0"], "datasets": "squad", "language": None},
                "config": {"architectures": "NotAList"},
                "siblings": [{"rfilename": "ok.txt"}, {"nope": 1}, "junk"],
                "gated": "manual",
                "unknownField": {"anything": 1},
            }
        )
    )
    assert item.downloads is None and item.likes is None
    assert item.licenses == ["mit", "apache-2.0"]
    assert item.datasets == ["squad"]
    assert item.architectures == ["NotAList"]
    assert item.siblings == ["ok.txt"]
    assert item.gated == "manual"


def test_link_commits_refs_discussions() -> None:
    link = '<https://huggingface.co/api/models?cursor=abc&limit=2>; rel="next"'
    assert next_link(link.encode()) == "https://huggingface.co/api/models?cursor=abc&limit=2"
    assert next_link(None) is None and next_link(b'<x>; rel="prev"') is None
    commits = commits_item(
        "a/b",
        [
            {
                "id": "c" * 40,
                "title": "t",
                "message": "",
                "authors": [{"user": "u1"}],
                "date": "2024-02-19T10:57:45.000Z",
            },
            {"no": "id"},
        ],
    )
    assert commits.commits == [
        {
            "commit_id": "c" * 40,
            "created_at": "2024-02-19 10:57:45+00:00",
            "title": "t",
            "message": "",
            "authors": ["u1"],
        }
    ]
    refs = refs_item("a/b", {"branches": [{"name": "main", "ref": "refs/heads/main", "targetCommit": "d" * 40}]})
    assert refs.branches == [{"name": "main", "ref": "refs/heads/main", "target_commit": "d" * 40}] and refs.tags == []
    assert discussion_page({"discussions": [{"num": 1}, {"num": 2}], "count": 5, "start": 0}) == ([1, 2], True)
    assert discussion_page({"discussions": [{"num": 5}], "count": 5, "start": 4}) == ([5], False)
    pr = discussion_item(
        "a/b",
        {
            "num": 3,
            "title": "Fix",
            "status": "merged",
            "isPullRequest": True,
            "author": {"name": "bob"},
            "changes": {"base": "refs/heads/main", "mergeCommitId": "e" * 40},
            "filesWithConflicts": ["README.md"],
            "events": [
                {"id": "ev1", "type": "comment", "createdAt": "x", "data": {"latest": {"raw": "hi"}, "edited": False}},
                {"id": "ev2", "type": "status-change", "data": {"status": "merged"}},
                {"type": "comment"},
            ],
        },
        "https://huggingface.co",
    )
    assert pr.target_branch == "refs/heads/main" and pr.merge_commit_oid == "e" * 40
    assert [e["event_id"] for e in pr.events] == ["ev1", "ev2"]
    assert pr.events[0]["content"] == "hi" and pr.events[1]["new_status"] == "merged"

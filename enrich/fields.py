"""The registry of enhanced-metadata fields: each field declared once, everything else derived from `FIELDS`.

A declaration says what the field holds (`type`), what the LLM is asked to return for it (`llm`, default the same
type) with which help text and which retrieval words (cheap mode), which rule extracts it (and which fields that rule
needs first), and where it is stored. Derived by `Registry`: `FIELD_NAMES`, the output record `CardFields`, the
fields asked of the LLM, its answer models and strict JSON schemas; `enrich.extract` runs the declared rules and
`enrich.store` the declared stores.

Adding a field: its declaration below, its rule in `enrich/rules.py`, and, if it gets a new table, the table in
`crawler/db/schema.py`, a migration and a `Store` in `enrich/writers.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from enrich import rules, writers
from enrich.values import Domain, EvalResult, Framework, LLMEval, LLMHyperParameter, is_empty

__all__ = ["FIELDS", "FIELD_NAMES", "REGISTRY", "CardFields", "CardRecord", "FieldSpec", "Registry", "llm_schema"]

Rule = Callable[..., tuple[Any, str]]  # (card, hub, *needed values) -> (value, name of the rule that found it)


@dataclass(frozen=True)
class FieldSpec:
    """One enhanced-metadata field."""

    name: str
    type: Any  # the value in the output record (None = not stated)
    help: str  # what the LLM is told the field means
    terms: str  # words that make a card section relevant to the field (cheap-mode retrieval)
    rule: Rule
    store: writers.Store
    llm: Any = None  # the value type asked of the LLM, when it differs from `type`
    needs: tuple[str, ...] = ()  # fields whose rule values `rule` takes as extra arguments
    ask_llm: bool = True  # False: the rules settle the field completely
    free_text: bool = False  # prose (needs a verbatim quote from the LLM; scored by presence only)

    @property
    def llm_type(self) -> Any:
        return self.llm if self.llm is not None else self.type


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("domain", Domain, "problem area of the model",
              "task model image text audio speech vision language",
              rules.extract_domain, writers.domain, needs=("model_tasks", "libraries")),
    FieldSpec("model_tasks", list[str], "Hugging Face task ids the card states (pipeline tag, task tags, stated "
              "objective)", "task pipeline classification generation detection recognition model",
              rules.extract_tasks, writers.model_tasks),
    FieldSpec("libraries", list[str], "ML libraries the card says load, run or train the model",
              "library transformers diffusers import pip install framework versions",
              rules.extract_libraries, writers.libraries),
    FieldSpec("frameworks", list[str], "deep-learning frameworks stated (pytorch, tensorflow, jax)",
              "pytorch torch tensorflow jax flax framework versions import",
              rules.extract_frameworks, writers.frameworks, llm=list[Framework]),
    FieldSpec("license", str, "the model's licence as a Hub licence id in lower case", "license licence licensed",
              rules.extract_license, writers.license),
    FieldSpec("datasets", list[str], "datasets used to train or fine-tune this checkpoint (not evaluation-only)",
              "dataset data corpus trained training fine-tuned", rules.extract_datasets, writers.datasets),
    FieldSpec("base_models", list[str], "checkpoint this model was fine-tuned or initialised from",
              "fine-tuned base model checkpoint initialized version of",
              rules.extract_base_models, writers.base_models),
    FieldSpec("languages", list[str], "ISO 639-1 codes of the natural languages the model handles",
              "language languages english multilingual", rules.extract_languages, writers.languages),
    FieldSpec("parameter_count", int, "stated number of parameters of this checkpoint, as an integer",
              "parameters params size million billion", rules.extract_parameter_count, writers.parameter_count),
    FieldSpec("hyperparameters", dict[str, Any], "training hyper-parameters as name/value pairs",
              "hyperparameters learning rate batch size epochs optimizer training procedure",
              rules.extract_hyperparameters, writers.hyper_parameters, llm=list[LLMHyperParameter]),
    FieldSpec("evaluation", list[EvalResult], "reported results of this checkpoint: metric, value as written, "
              "dataset", "evaluation results metrics accuracy f1 score test benchmark",
              rules.extract_evaluation, writers.evaluation, llm=list[LLMEval]),
    FieldSpec("hardware", list[str], "hardware used to train or run this model (short name such as v100, a100, "
              "tpu v3)", "hardware gpu tpu trained v100 a100 compute", rules.extract_hardware, writers.hardware),
    FieldSpec("carbon_emitted_kg", float, "CO2-eq emissions in kilograms", "co2 carbon emissions environmental impact",
              rules.extract_carbon, writers.carbon_emitted),
    FieldSpec("limitations_and_biases", str, "one-sentence summary of substantive limitations, biases or risks",
              "limitations bias risks ethical out-of-scope", rules.extract_limitations, writers.limitation_and_bias,
              free_text=True),
    FieldSpec("demonstration", bool, "true if the card contains a usage example (code, CLI or cURL call) for this "
              "model", "usage how to use example code", rules.extract_demonstration, writers.demo, ask_llm=False),
    FieldSpec("input_format", str, "the model's input as explicitly described", "input format expects accepts takes",
              rules.extract_input_format, writers.input_format, free_text=True),
    FieldSpec("output_format", str, "the model's output as explicitly described", "output returns produces format",
              rules.extract_output_format, writers.output_format, free_text=True),
    FieldSpec("github_repo", list[str], "owner/repo of the model's own GitHub code repository",
              "github code repository implementation official", rules.extract_github_repos, writers.github_repo),
    FieldSpec("papers", list[str], "arXiv ids cited in the card", "paper arxiv citation bibtex",
              rules.extract_papers, writers.papers),
    FieldSpec("grant_sponsorship", str, "funding or compute-grant statements",
              "funding grant sponsored supported acknowledgements compute", rules.extract_grant, writers.grant,
              free_text=True),
)  # fmt: skip


class CardRecord(BaseModel):
    """Base of the output record: the fields themselves are added from the declarations."""

    model_config = ConfigDict(extra="forbid")

    if TYPE_CHECKING:  # the field attributes exist at run time only

        def __getattr__(self, name: str) -> Any: ...

    def present(self) -> set[str]:
        """Names of the fields that hold a value."""
        return {n for n in type(self).model_fields if not is_empty(getattr(self, n))}

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class Registry:
    """The views derived from a tuple of field declarations (one instance, `REGISTRY`, for `FIELDS`)."""

    def __init__(self, fields: tuple[FieldSpec, ...]) -> None:
        self.fields = fields
        self.names: tuple[str, ...] = tuple(f.name for f in fields)
        self.by_name: dict[str, FieldSpec] = {f.name: f for f in fields}
        if len(self.by_name) != len(fields):
            raise ValueError("a field is declared twice")
        # The output record: each field optional, None meaning not stated.
        definitions: dict[str, Any] = {f.name: (f.type | None, None) for f in fields}
        self.record: type[CardRecord] = create_model("CardFields", __base__=CardRecord, **definitions)
        self._answers: dict[str, type[BaseModel]] = {}

    @property
    def owned_tables(self) -> list[str]:
        """Tables whose rows of a model are replaced when it is enriched again."""
        return [t.name for f in self.fields for t in f.store.owned]

    def asked(self, present: set[str]) -> list[str]:
        """Fields worth an LLM call when the rules found `present`."""
        return [f.name for f in self.fields if f.name not in present and f.ask_llm]

    def answer_model(self, name: str) -> type[BaseModel]:
        """What the LLM returns for one field: value (of the field's LLM type), confidence, evidence."""
        if name not in self._answers:
            spec = self.by_name[name]
            self._answers[name] = create_model(
                f"Answer_{name}",
                __config__=ConfigDict(extra="forbid"),
                value=(spec.llm_type | None, Field(description=spec.help)),
                confidence=(float, Field(description="0 to 1")),
                evidence=(str, Field(description="short verbatim quote from the card supporting the value, or ''")),
            )
        return self._answers[name]

    def llm_response_model(self, names: list[str]) -> type[BaseModel]:
        """A pydantic model with one answer object per requested field."""
        unknown = set(names) - set(self.names)
        if unknown:
            raise ValueError(f"unknown fields: {sorted(unknown)}")
        definitions: dict[str, Any] = {n: (self.answer_model(n), ...) for n in names}
        return create_model("CardExtraction", __config__=ConfigDict(extra="forbid"), **definitions)

    def llm_schema(self, names: list[str]) -> dict[str, Any]:
        """Strict JSON schema (OpenAI `response_format` json_schema) for the given fields only."""
        return _strictify(self.llm_response_model(names).model_json_schema())


def _strictify(node: Any) -> Any:
    """OpenAI strict mode: every object lists all its properties as required and forbids extra keys."""
    if isinstance(node, dict):
        node = {k: _strictify(v) for k, v in node.items() if k not in ("title", "default")}
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        return node
    if isinstance(node, list):
        return [_strictify(v) for v in node]
    return node


REGISTRY = Registry(FIELDS)
FIELD_NAMES = REGISTRY.names
BY_NAME = REGISTRY.by_name
CardFields = REGISTRY.record
answer_model = REGISTRY.answer_model
llm_schema = REGISTRY.llm_schema


def output_schema() -> dict[str, Any]:
    """JSON schema of one output record's `fields` object."""
    return CardFields.model_json_schema()

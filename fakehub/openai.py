"""OpenAI-compatible `/v1/chat/completions` for the fake registry (structured output, usage, 429s).

It answers the fields named in the request's `response_format` JSON schema. For cards of the fake hub (the prompt
names the model id) the true values come from the generated model; for any other card a small heuristic reads the
card text. Knobs:

- `--openai-invent-rate P`: share of answered fields replaced by values that are not in the card;
- `--openai-rate-limit-first K`: the first K completion requests get 429 (`Retry-After: 0`);
- `--openai-hostile MODE`: every completion is broken the same way: `html` (200 with a text/html page),
  `no-choices` (`choices: []`), `string-answers` (each field's answer a string instead of an object),
  `not-json` (content that is not JSON), `hang` (no reply for `--openai-hang-seconds`), `error500` (HTTP 500).

`GET /v1/_fake/calls` lists the calls received: requested fields, prompt size, usage, status.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import threading
import time
from typing import Any

from .hf_data import HubData
from .server import FakeRequest, FakeResponse, json_response

INVENTED: dict[str, Any] = {
    "license": "cc-by-nc-nd-3.0",
    "datasets": ["imaginary-corpus-9000"],
    "base_models": ["nowhere/ghost-model-7b"],
    "languages": ["tlh"],
    "parameter_count": 123456789,
    "papers": ["2401.99999"],
    "github_repo": ["invented-org/invented-repo"],
    "hardware": ["h200"],
    "carbon_emitted_kg": 98.765,
    "evaluation": [{"metric": "accuracy", "value": "0.98765", "dataset": "imaginary-benchmark"}],
    "hyperparameters": [{"name": "learning_rate", "value": "0.000777"}],
    "grant_sponsorship": "Funded by the Imaginary Science Foundation grant 42",
    "limitations_and_biases": "The model was never tested on anything.",
    "input_format": "Invented input format.",
    "output_format": "Invented output format.",
    "libraries": ["imaginarylib"],
    "frameworks": ["jax"],
    "model_tasks": ["text-to-3d"],
    "domain": "tabular",
}


HOSTILE_MODES = ("html", "no-choices", "string-answers", "not-json", "hang", "error500")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("OpenAI-compatible API")
    group.add_argument("--openai-invent-rate", type=float, default=0.0, help="share of invented field values")
    group.add_argument("--openai-rate-limit-first", type=int, default=0, help="first K completions get 429")
    group.add_argument("--openai-hostile", choices=HOSTILE_MODES, default=None, help="break every completion")
    group.add_argument("--openai-hang-seconds", type=float, default=60.0, help="how long 'hang' keeps a request")


def create(args: argparse.Namespace) -> OpenAIApi:
    data = HubData(args.seed, getattr(args, "models", 0), getattr(args, "generation", 0))
    api = OpenAIApi(data, args.seed, args.openai_invent_rate, args.openai_rate_limit_first)
    api.hostile, api.hang_seconds = args.openai_hostile, args.openai_hang_seconds
    return api


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


def _card(prompt: str) -> str:
    m = re.search(r"<<<CARD\n(.*)\nCARD>>>", prompt, re.S)
    return m.group(1) if m else prompt


def _heuristic(name: str, card: str) -> Any:
    """Plain reading of an arbitrary card, good enough to exercise the client."""
    low = card.lower()
    if name == "papers":
        return sorted(set(re.findall(r"\d{4}\.\d{4,5}", card))) or None
    if name == "github_repo":
        return sorted(set(re.findall(r"github\.com/([\w.-]+/[\w.-]+)", card))) or None
    if name == "license":
        m = re.search(r"license:\s*([\w.-]+)", low)
        return m.group(1) if m else None
    if name == "frameworks":
        return [f for f in ("pytorch", "tensorflow", "jax") if f in low] or None
    if name == "limitations_and_biases":
        m = re.search(r"(?:limitation|bias)[^\n]*\n+([^\n#]{20,200})", card, re.I)
        return m.group(1).strip() if m else None
    return None


class OpenAIApi:
    name = "openai"
    prefixes = ("/v1/",)

    def __init__(self, data: HubData, seed: int, invent_rate: float, rate_limit_first: int) -> None:
        self.data = data
        self.invent_rate = invent_rate
        self.rate_limit_first = rate_limit_first
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.completions = 0
        self.calls: list[dict[str, Any]] = []
        self.hostile: str | None = None
        self.hang_seconds = 60.0

    def urls(self, base: str) -> dict[str, str]:
        return {"openai_base_url": base + "/v1"}

    def set_generation(self, generation: int) -> None:
        self.data.set_generation(generation)

    def handle(self, req: FakeRequest) -> FakeResponse | None:
        if req.path == "/v1/_fake/calls" and req.method == "GET":
            with self.lock:
                return json_response(200, list(self.calls))
        if req.path == "/v1/models" and req.method == "GET":
            return json_response(200, {"object": "list", "data": [{"id": "fake-gpt", "object": "model"}]})
        if req.path != "/v1/chat/completions" or req.method != "POST":
            return None
        if not (req.headers.get("Authorization") or "").startswith("Bearer "):
            return json_response(401, {"error": {"message": "missing API key", "type": "invalid_request_error"}})
        try:
            body = json.loads(req.body or b"{}")
            schema = body["response_format"]["json_schema"]["schema"]
            fields = list(schema["properties"])
            prompt = "\n".join(str(m.get("content", "")) for m in body["messages"])
        except (ValueError, KeyError, TypeError):
            return json_response(400, {"error": {"message": "expected a json_schema response_format"}})
        with self.lock:
            self.completions += 1
            limited = self.completions <= self.rate_limit_first
        call = {"fields": fields, "model": body.get("model"), "prompt_chars": len(prompt), "status": 200}
        if limited:
            call["status"] = 429
            with self.lock:
                self.calls.append(call)
            return json_response(
                429,
                {"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}},
                [("Retry-After", "0"), ("x-ratelimit-remaining-requests", "0")],
            )
        if self.hostile:
            with self.lock:
                self.calls.append(dict(call, status=f"hostile:{self.hostile}"))
            broken = self._hostile(fields)
            if broken is not None:
                return broken
        answers, invented = self._answer(fields, prompt)
        if self.hostile == "string-answers":
            answers = {name: "see the card" for name in answers}
        content = json.dumps(answers) if self.hostile != "not-json" else "Sure! Here are the fields you asked for."
        usage = {"prompt_tokens": _tokens(prompt), "completion_tokens": _tokens(content)}
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        call.update(usage=usage, invented=invented)
        with self.lock:
            if not self.hostile:
                self.calls.append(call)
        choices = [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]
        return json_response(
            200,
            {
                "id": f"chatcmpl-fake{len(self.calls)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model"),
                "choices": [] if self.hostile == "no-choices" else choices,
                "usage": usage,
            },
        )

    def _hostile(self, fields: list[str]) -> FakeResponse | None:
        """The broken reply of the `hang`, `html` and `error500` modes (None: the others break the body)."""
        if self.hostile == "hang":
            time.sleep(self.hang_seconds)
            return json_response(504, {"error": {"message": "hung"}})
        if self.hostile == "html":
            page = b"<html><body><h1>Welcome to nginx!</h1></body></html>"
            return FakeResponse(200, [("Content-Type", "text/html")], page)
        if self.hostile == "error500":
            return json_response(500, {"error": {"message": "internal error", "type": "server_error"}})
        return None

    def _truth(self, prompt: str) -> dict[str, Any]:
        m = re.search(r"^Model id: (\S+)", prompt, re.M)
        model = self.data.find(m.group(1)) if m else None
        if model is None:
            return {}
        card = _card(prompt)
        truth: dict[str, Any] = {
            "license": next((t.split(":", 1)[1] for t in model.tags if t.startswith("license:")), None),
            "datasets": [t.split(":", 1)[1] for t in model.tags if t.startswith("dataset:")] or None,
            "base_models": [model.base_model[1]] if model.base_model else None,
            "papers": [t.split(":", 1)[1] for t in model.tags if t.startswith("arxiv:")] or None,
            "model_tasks": [model.pipeline_tag] if model.pipeline_tag else None,
            "libraries": [model.library] if model.library else None,
        }
        repo = re.search(r"github\.com/([\w.-]+/[\w.-]+)", card)
        truth["github_repo"] = [repo.group(1)] if repo else None
        return truth

    def _answer(self, fields: list[str], prompt: str) -> tuple[dict[str, Any], list[str]]:
        truth = self._truth(prompt)
        card = _card(prompt)
        answers: dict[str, Any] = {}
        invented: list[str] = []
        for name in fields:
            value = truth[name] if name in truth else _heuristic(name, card)
            with self.lock:
                invent = self.rng.random() < self.invent_rate
            if invent and name in INVENTED:
                value = INVENTED[name]
                invented.append(name)
            evidence = value if isinstance(value, str) else (json.dumps(value) if value is not None else "")
            answers[name] = {"value": value, "confidence": 0.9, "evidence": evidence}
        return answers, invented

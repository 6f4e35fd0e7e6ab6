"""One real MiniLM model and one FAISS example index per test session."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cp_agents.parsing.intent import canonical_params

DATA = Path(__file__).resolve().parent / "data"
DEV_SET = Path("/work/shared/eval/intents_dev.jsonl")


@pytest.fixture(scope="session")
def embedder():
    from cp_agents.retrieval.embedder import shared_embedder
    return shared_embedder()          # no model -> EmbeddingUnavailable: the test fails, never skips


@pytest.fixture(scope="session")
def cache_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("aaas-cache")


@pytest.fixture(scope="session")
def parser(embedder, cache_root):
    from cp_agents.parsing.parser import IntentParser
    from cp_agents.retrieval.example_index import ExampleRetriever
    return IntentParser(ExampleRetriever(embedder, cache_root=cache_root))


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def matches(intent: dict, expect: dict) -> bool:
    """Exact match on status, and on kind and params for ok cases (params canonicalised: a param the
    expectation leaves out is null, as the contract says)."""
    if intent["status"] != expect["status"]:
        return False
    if expect["status"] != "ok":
        return True
    return intent["kind"] == expect["kind"] and intent["params"] == canonical_params(expect["kind"],
                                                                                     expect["params"])

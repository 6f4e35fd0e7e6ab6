from __future__ import annotations

import pytest

from cp_agents.parsing.parser import IntentParser
from cp_agents.retrieval.example_index import load_examples
from tests.unit.cp_agents.fakes import NumpyNeighbours


@pytest.fixture(scope="session")
def fake_parser() -> IntentParser:
    """The real parser logic with a bag-of-words retrieval vote instead of MiniLM + FAISS."""
    return IntentParser(NumpyNeighbours(load_examples()))

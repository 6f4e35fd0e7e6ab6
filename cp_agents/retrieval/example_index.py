"""Retrieval over the parser's annotated examples (cp_agents/parsing/examples/*.yaml).

Built at first use and cached under cache_dir()/examples-<key>, where the key hashes the
examples and the model id, so editing an example or changing the model rebuilds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from cp_agents.errors import KnowledgeError
from cp_agents.parsing.classifier import Neighbour
from cp_agents.parsing.parser import IntentParser, query_text
from cp_agents.retrieval.cache import cache_dir, content_key
from cp_agents.retrieval.embedder import Embedder, shared_embedder
from cp_agents.retrieval.vector_index import VectorIndex, cached_index

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "parsing" / "examples"


def load_examples(directory: Path = EXAMPLES_DIR) -> list[tuple[str, str]]:
    """(label, text) pairs from every YAML file of the example set, in a stable order."""
    pairs: list[tuple[str, str]] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            document = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise KnowledgeError(f"example file {path} is unreadable: {exc}") from exc
        for label, texts in document.items():
            pairs += [(str(label), str(text)) for text in texts or []]
    return pairs


class ExampleRetriever:
    """Nearest annotated examples for query texts: the parser's NeighbourFinder."""

    def __init__(self, embedder: Embedder, examples: list[tuple[str, str]] | None = None,
                 cache_root: Path | None = None) -> None:
        self._embedder = embedder
        examples = examples if examples is not None else load_examples()
        texts = [query_text(text) for _, text in examples]
        key = content_key(embedder.model_id, examples)
        directory = (cache_root or cache_dir()) / f"examples-{key}"

        def build() -> VectorIndex:
            index = VectorIndex(embedder.dimension)
            index.add(embedder.encode(texts), [{"label": label, "text": text} for label, text in examples])
            return index
        self._index = cached_index(directory, build)

    def __call__(self, texts: Sequence[str], k: int) -> list[list[Neighbour]]:
        hits = self._index.search(self._embedder.encode(list(texts)), k)
        return [[(payload["label"], sim) for sim, payload in row] for row in hits]


def default_parser(embedder: Embedder | None = None) -> IntentParser:
    """The embedded parser: MiniLM + FAISS over the annotated examples, rules, no LLM."""
    return IntentParser(ExampleRetriever(embedder or shared_embedder()))

"""Real FAISS indexes over real MiniLM embeddings: example cache, knowledge search, experience store."""

from __future__ import annotations

import pytest

from cp_agents.knowledge.store import KnowledgeBase
from cp_agents.retrieval.example_index import ExampleRetriever, load_examples

pytestmark = pytest.mark.integration


class CountingEmbedder:
    def __init__(self, inner) -> None:
        self.inner, self.texts = inner, 0
        self.model_id, self.dimension = inner.model_id, inner.dimension

    def encode(self, texts):
        self.texts += len(texts)
        return self.inner.encode(texts)


def test_example_index_is_cached_on_disk_and_reused(embedder, tmp_path):
    examples = load_examples()[:30]
    first = CountingEmbedder(embedder)
    ExampleRetriever(first, examples, cache_root=tmp_path)
    assert first.texts == 30 and len(list(tmp_path.glob("examples-*/index.faiss"))) == 1
    second = CountingEmbedder(embedder)
    retriever = ExampleRetriever(second, examples, cache_root=tmp_path)
    assert second.texts == 0                                   # loaded, not re-embedded
    label, similarity = retriever(["provision a slice between cam1 and edge1"], 3)[0][0]
    assert label == "slice.create" and similarity > 0.5


def test_editing_the_examples_rebuilds_the_cache(embedder, tmp_path):
    examples = load_examples()[:10]
    ExampleRetriever(embedder, examples, cache_root=tmp_path)
    ExampleRetriever(embedder, examples + [("clarify", "do the thing")], cache_root=tmp_path)
    assert len(list(tmp_path.glob("examples-*"))) == 2


def test_a_corrupt_cache_is_rebuilt(embedder, tmp_path):
    examples = load_examples()[:5]
    ExampleRetriever(embedder, examples, cache_root=tmp_path)
    (next(tmp_path.glob("examples-*")) / "index.faiss").write_bytes(b"garbage")
    retriever = ExampleRetriever(embedder, examples, cache_root=tmp_path)
    assert len(retriever(["create a slice"], 2)[0]) == 2


@pytest.mark.parametrize("query,source", [
    ("which DSCP value and queue does a URLLC slice use on the userspace datapath", "slicing.md"),
    ("what port does dns use", "protocols.md"),
    ("is it safe to drain a CU", "drains.md"),
    ("where are the vehicles attached in edge6g", "edge6g.md"),
])
def test_knowledge_search_returns_passages_with_sources(embedder, cache_root, query, source):
    kb = KnowledgeBase(embedder, cache_root)
    passages = kb.search(query, k=3)
    assert passages[0].source == source, [(p.source, p.heading, p.score) for p in passages]
    assert all(p.heading and p.text for p in passages)


def test_experience_is_persisted_and_retrieved_later(embedder, tmp_path):
    kb = KnowledgeBase(embedder, tmp_path)
    source = kb.add_experience({"outcome": "refused", "text": "flush the flow tables of du3",
                                "summary": "refused by the flows family", "at": "2026-11-26T05:30:00Z"})
    reopened = KnowledgeBase(embedder, tmp_path)              # a new process would see the same
    assert reopened.experience_count == 1
    hits = reopened.search("an operator wanted to flush flow tables on du3", k=3)
    assert hits[0].source == source and hits[0].origin == "experience"
    assert all(p.origin == "runbook" for p in reopened.search("flush flow tables", k=3,
                                                              include_experience=False))

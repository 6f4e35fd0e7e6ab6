"""The knowledge base: FAISS over the runbook passages plus the experience records.

    kb = KnowledgeBase.open()                      # builds or loads the cached indexes
    kb.search("urllc slice latency", k=4)          # -> [Passage(source, heading, text, score, origin)]
    kb.add_experience({"outcome": "pushed", ...})  # persisted; the next search sees it

Runbook index: cached under cache_dir()/knowledge-<hash of corpus + model>. Experience index:
cache_dir()/experience/ (log.jsonl + index), extended in place on every add.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from cp_agents.errors import KnowledgeError
from cp_agents.knowledge.corpus import CORPUS_DIR, Passage, load_corpus
from cp_agents.knowledge.experience import ExperienceLog, ExperienceRecord
from cp_agents.retrieval.cache import cache_dir, content_key
from cp_agents.retrieval.embedder import Embedder, shared_embedder
from cp_agents.retrieval.vector_index import VectorIndex, cached_index


def _payload(passage: Passage) -> dict[str, Any]:
    return {"source": passage.source, "heading": passage.heading, "text": passage.text,
            "origin": passage.origin}


class KnowledgeBase:
    def __init__(self, embedder: Embedder, cache_root: Path, corpus_dir: Path = CORPUS_DIR,
                 experience_root: Path | None = None) -> None:
        self._embedder = embedder
        self._lock = threading.Lock()
        passages = load_corpus(corpus_dir)
        key = content_key(embedder.model_id, [_payload(p) for p in passages])

        def build_runbooks() -> VectorIndex:
            index = VectorIndex(embedder.dimension)
            index.add(embedder.encode([f"{p.heading}: {p.text}" for p in passages]),
                      [_payload(p) for p in passages])
            return index
        self._runbooks = cached_index(cache_root / f"knowledge-{key}", build_runbooks)
        experience_root = experience_root or cache_root / "experience"   # what this deployment lived
        self._log = ExperienceLog(experience_root / "log.jsonl")
        self._experience_dir = experience_root / f"index-{content_key(embedder.model_id)}"
        self._experience = self._load_experience()

    @classmethod
    def open(cls, embedder: Embedder | None = None, cache_root: Path | None = None,
             experience_root: Path | None = None) -> KnowledgeBase:
        return cls(embedder or shared_embedder(), cache_root or cache_dir(), experience_root=experience_root)

    def _load_experience(self) -> VectorIndex:
        records = self._log.read()
        try:
            cached = (self._experience_dir / "index.faiss").exists()
            index = VectorIndex.load(self._experience_dir) if cached else None
        except KnowledgeError:
            index = None
        if index is not None and len(index) == len(records):
            return index
        index = VectorIndex(self._embedder.dimension)           # stale or missing: rebuild from the log
        index.add(self._embedder.encode([r.passage_text() for r in records]),
                  [self._experience_payload(r) for r in records])
        index.save(self._experience_dir)
        return index

    @staticmethod
    def _experience_payload(record: ExperienceRecord) -> dict[str, Any]:
        return {"source": f"experience:{record.record_id}", "heading": record.heading(),
                "text": record.passage_text(), "origin": "experience"}

    @property
    def experience_count(self) -> int:
        return len(self._experience)

    def add_experience(self, record: ExperienceRecord | dict[str, Any]) -> str:
        """Append a pushed/refused change summary; later searches retrieve it. Returns its source id."""
        if isinstance(record, dict):
            record = ExperienceRecord.from_dict(record)
        payload = self._experience_payload(record)
        vector = self._embedder.encode([record.passage_text()])
        with self._lock:
            self._log.append(record)
            self._experience.add(vector, [payload])
            self._experience.save(self._experience_dir)
        return payload["source"]

    def search(self, query: str, k: int = 4, include_experience: bool = True) -> list[Passage]:
        """The k passages closest to `query`, runbooks and experiences merged by similarity."""
        vector = self._embedder.encode([query])
        hits = self._runbooks.search(vector, k)[0]
        if include_experience:
            with self._lock:
                hits += self._experience.search(vector, k)[0]
        hits.sort(key=lambda hit: -hit[0])
        return [Passage(p["source"], p["heading"], p["text"], round(score, 4), p["origin"]) for score,
                p in hits[:k]]

"""Fakes for the pure tests: a bag-of-words embedder and a numpy neighbour finder over the real examples."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from cp_agents.parsing.parser import query_text


class HashingEmbedder:
    """Deterministic stand-in for MiniLM: hashed words and word pairs, L2-normalised."""

    model_id = "hashing-bow-test"
    dimension = 256

    def __init__(self) -> None:
        self.calls = 0
        self.encoded = 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"[a-z]+", text.lower())
            for token in words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]:
                out[row, int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dimension] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] /= norm if norm else 1.0
        return out


class NumpyNeighbours:
    """The parser's NeighbourFinder without FAISS: exact cosine search in numpy."""

    def __init__(self, examples: list[tuple[str, str]], embedder: HashingEmbedder | None = None) -> None:
        self._embedder = embedder or HashingEmbedder()
        self._labels = [label for label, _ in examples]
        self._vectors = self._embedder.encode([query_text(text) for _, text in examples])

    def __call__(self, texts: Sequence[str], k: int) -> list[list[tuple[str, float]]]:
        sims = self._embedder.encode(list(texts)) @ self._vectors.T
        rows = []
        for row in sims:
            best = np.argsort(-row)[:k]
            rows.append([(self._labels[i], float(row[i])) for i in best])
        return rows

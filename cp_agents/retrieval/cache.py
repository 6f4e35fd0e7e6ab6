"""Where indexes are cached: $AAAS_CACHE_DIR, else ~/.cache/aaas (never inside the repository)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def cache_dir() -> Path:
    root = os.environ.get("AAAS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "aaas")
    return Path(root)


def content_key(*parts: object) -> str:
    """A short stable hash of anything JSON-serialisable: the cache key of an index."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(json.dumps(part, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:16]

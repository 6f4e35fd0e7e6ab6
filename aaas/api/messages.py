"""Requests and responses as plain values, so the routes can be tested without sockets,
and JSON encoding that never emits what a browser's JSON.parse rejects (NaN, Infinity)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aaas.api.errors import ApiError, NotFound

STATIC_DIR = Path(__file__).with_name("static")
STATIC_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
JSON_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    read_body: Callable[[], dict[str, Any]] = field(default=lambda: {})


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status, encode_json(payload), JSON_TYPE, headers or {})


def error_response(error: ApiError) -> Response:
    headers = {"Allow": ", ".join(error.allowed)} if hasattr(error, "allowed") else {}
    return json_response(error.status, error.to_dict(), headers)


def internal_error_response(exc: BaseException) -> Response:
    payload = {"error": "internal", "status": 500,
               "message": f"the server failed on this request ({type(exc).__name__}: {exc}); it keeps running"}
    return json_response(500, payload)


def encode_json(payload: Any) -> bytes:
    return json.dumps(finite(payload), ensure_ascii=False, default=str).encode("utf-8")


def finite(value: Any) -> Any:
    """The value with non-finite floats replaced by null (JSON has no NaN)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [finite(v) for v in value]
    return value


def static_response(name: str) -> Response:
    """One of the console's own files; no path from the client ever reaches the filesystem
    except as a name looked up in the folder's listing."""
    files = {p.name: p for p in STATIC_DIR.iterdir() if p.suffix in STATIC_TYPES}
    path = files.get(name)
    if path is None:
        raise NotFound(f"no static file {name[:80]!r}")
    return Response(200, path.read_bytes(), STATIC_TYPES[path.suffix], {"Cache-Control": "no-cache"})

"""One byte format for every step's inputs and outputs, so any runtime can carry them.

A value is JSON-able data in which `bytes` may appear anywhere (images, frames). `pack` puts the
JSON (with each bytes object replaced by {"$blob": i}) and the blobs into one buffer:

    b"AAP1" | u32 header length | header JSON {"value": ..., "blobs": [len, ...]} | blob 0 | blob 1 ...

so images cross a pipe, a wasm linear memory or a socket without base64.
"""

from __future__ import annotations

import json
import struct
from typing import Any

from dp_agents.errors import StepInputError

MAGIC = b"AAP1"
_HEAD = struct.Struct("<4sI")


def pack(value: Any) -> bytes:
    blobs: list[bytes] = []
    header = json.dumps(
        {"value": _strip(value, blobs), "blobs": [len(b) for b in blobs]}, separators=(",", ":")
    ).encode()
    return b"".join([_HEAD.pack(MAGIC, len(header)), header, *blobs])


def unpack(buffer: bytes) -> Any:
    if len(buffer) < _HEAD.size or buffer[:4] != MAGIC:
        raise StepInputError(f"payload of {len(buffer)} bytes does not start with {MAGIC!r}")
    _, header_length = _HEAD.unpack_from(buffer)
    start = _HEAD.size + header_length
    try:
        header = json.loads(buffer[_HEAD.size : start])
        blobs, offset = [], start
        for length in header["blobs"]:
            blobs.append(bytes(buffer[offset : offset + length]))
            offset += length
    except (ValueError, KeyError, TypeError) as exc:
        raise StepInputError(f"payload header is malformed: {exc}") from exc
    if offset != len(buffer):
        raise StepInputError(f"payload is {len(buffer)} bytes, its header accounts for {offset}")
    return _restore(header["value"], blobs)


def _strip(value: Any, blobs: list[bytes]) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        blobs.append(bytes(value))
        return {"$blob": len(blobs) - 1}
    if isinstance(value, dict):
        return {str(k): _strip(v, blobs) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strip(v, blobs) for v in value]
    return value


def _restore(value: Any, blobs: list[bytes]) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$blob"}:
            return blobs[value["$blob"]]
        return {k: _restore(v, blobs) for k, v in value.items()}
    if isinstance(value, list):
        return [_restore(v, blobs) for v in value]
    return value

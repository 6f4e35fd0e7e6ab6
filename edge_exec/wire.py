"""Length-prefixed framing shared by the warm workers and the node executor protocol.

A message is two frames: a JSON header and a raw payload. Each frame is a 4-byte big-endian
length followed by that many bytes. Raw bytes keep images off the JSON path.
"""

from __future__ import annotations

import json
import struct
from typing import BinaryIO

_LENGTH = struct.Struct(">I")
MAX_FRAME = 256 << 20


class FrameError(Exception):
    """The peer closed the stream or sent a frame that breaks the protocol."""


def encode(header: dict, payload: bytes = b"") -> bytes:
    head = json.dumps(header, separators=(",", ":")).encode()
    return _LENGTH.pack(len(head)) + head + _LENGTH.pack(len(payload)) + payload


def write_message(stream: BinaryIO, header: dict, payload: bytes = b"") -> None:
    stream.write(encode(header, payload))
    stream.flush()


def _read_exact(stream: BinaryIO, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = stream.read(remaining)
        if not chunk:
            raise FrameError("stream closed mid-message" if chunks or size != 4 else "stream closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _read_frame(stream: BinaryIO) -> bytes:
    (size,) = _LENGTH.unpack(_read_exact(stream, 4))
    if size > MAX_FRAME:
        raise FrameError(f"frame of {size} bytes exceeds the {MAX_FRAME} byte limit")
    return _read_exact(stream, size) if size else b""


def read_message(stream: BinaryIO) -> tuple[dict, bytes]:
    try:
        header = json.loads(_read_frame(stream))
    except ValueError as exc:
        raise FrameError(f"header is not JSON: {exc}") from exc
    if not isinstance(header, dict):
        raise FrameError("header is not a JSON object")
    return header, _read_frame(stream)

"""The warm worker: `python -m edge_exec.worker module:function`.

Runs inside a container (or as a bare process), loads one entry point once, then serves
requests from stdin and answers on stdout until stdin closes (the executor closed the pipe
or died), so a worker never outlives its executor. Each reply echoes the request id: the
executor uses it to never hand a reply to the wrong request.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time

from edge_exec.wire import FrameError, read_message, write_message


def resolve_entry(entry: str):
    """Import "module:attr" (kept here, not in functions.py: worker start-up must stay light)."""
    module_name, _, attribute = entry.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def _as_bytes(result) -> bytes:
    if isinstance(result, bytes | bytearray | memoryview):
        return bytes(result)
    if isinstance(result, str):
        return result.encode()
    return json.dumps(result).encode()


def _error_kind(exc: BaseException) -> str:
    if isinstance(exc, MemoryError):
        return "memory"
    if isinstance(exc, BlockingIOError | OSError) and getattr(exc, "errno", None) == 11:  # EAGAIN: pids.max
        return "pids"
    return "failed"


def serve(entry: str, requests, replies) -> None:
    function = resolve_entry(entry)
    write_message(replies, {"ready": True, "pid": os.getpid()})
    while True:
        try:
            header, payload = read_message(requests)
        except FrameError:
            return
        started = time.perf_counter()
        try:
            reply, body = {"id": header["id"], "ok": True}, _as_bytes(function(payload))
        except Exception as exc:  # noqa: BLE001 - any failure of user code becomes a reply
            reply = {"id": header["id"], "ok": False, "kind": _error_kind(exc),
                     "error": f"{type(exc).__name__}: {exc}"}
            body = b""
        reply["compute_ms"] = (time.perf_counter() - started) * 1000
        write_message(replies, reply, body)


def main() -> None:
    # The protocol owns fd 1; anything the function prints goes to stderr instead.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    serve(sys.argv[1], sys.stdin.buffer, replies)


if __name__ == "__main__":
    main()

"""The node executor protocol over a unix socket: one request message, one reply message
(see wire.py), any number per connection. Errors cross the socket as a `type` + `kind` pair
and are rebuilt into the same exception classes on the client side.
"""

from __future__ import annotations

from edge_exec.errors import (
    Draining,
    EdgeExecError,
    EnvironmentMissing,
    ExecutorError,
    FunctionError,
    InvocationError,
    PlacementError,
    invocation_error,
)

OPS = ("ping", "deploy", "invoke", "load", "instances", "reap", "drain", "undrain", "events", "shutdown")

_TYPES: dict[str, type[EdgeExecError]] = {
    "function": FunctionError, "environment": EnvironmentMissing, "placement": PlacementError,
    "executor": ExecutorError,
}


def error_reply(exc: EdgeExecError) -> dict:
    if isinstance(exc, InvocationError):
        return {"ok": False, "type": "invocation", "kind": exc.kind, "error": exc.detail,
                "function": exc.function, "runtime": exc.runtime}
    kind = "draining" if isinstance(exc, Draining) else ""
    name = next((n for n, cls in _TYPES.items() if isinstance(exc, cls)), "executor")
    return {"ok": False, "type": name, "kind": kind, "error": str(exc)}


def raise_error(reply: dict) -> None:
    """Re-raise a failed reply as the exception the executor raised."""
    if reply.get("ok", False):
        return
    if reply.get("type") == "invocation":
        raise invocation_error(reply.get("kind", "failed"), reply.get("error", ""), reply.get("function", ""),
                               reply.get("runtime", ""))
    if reply.get("kind") == "draining":
        raise Draining(reply.get("error", "draining"))
    raise _TYPES.get(reply.get("type", ""), ExecutorError)(reply.get("error", "executor error"))

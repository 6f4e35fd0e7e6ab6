"""Intent compilers: a canonical control-plane intent (shared/contracts/intents.md) plus what
the network holds (InstalledState) -> a ChangeSet with the checks that prove it.

    changeset = compile_intent({"status": "ok", "kind": "acl.block", "params": {...}}, state)

Pure: no I/O. A request that cannot be met raises IntentRefused (ConflictRefused when it
contradicts something installed, naming both sides); a malformed one raises IntentError.
Running the declared checks on the twin is `netops_tools.compilers.verify`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from netops_tools.compilers.acl import acl_allow, acl_block
from netops_tools.compilers.errors import CompilerError, ConflictRefused, IntentError, IntentRefused
from netops_tools.compilers.flowadd import flow_add
from netops_tools.compilers.installed import AclRecord, InstalledState, SliceRecord
from netops_tools.compilers.ratelimit import rate_limit
from netops_tools.compilers.slices import slice_create, slice_delete, slice_modify
from netops_tools.compilers.steering import node_drain, path_avoid, path_via_intent
from twin.model.changeset import ChangeSet

Compiler = Callable[[InstalledState, dict[str, Any]], ChangeSet]

COMPILERS: dict[str, Compiler] = {
    "slice.create": slice_create, "slice.modify": slice_modify, "slice.delete": slice_delete,
    "acl.block": acl_block, "acl.allow": acl_allow, "rate.limit": rate_limit,
    "path.avoid": path_avoid, "path.via": path_via_intent, "node.drain": node_drain, "flow.add": flow_add,
}


def compile_intent(intent: Mapping[str, Any], state: InstalledState) -> ChangeSet:
    if not isinstance(intent, Mapping):
        raise IntentError(None, "intent", f"expected a JSON object, got {type(intent).__name__}")
    kind = intent.get("kind")
    if intent.get("status", "ok") != "ok":
        raise IntentError(kind, "status", f"only status 'ok' compiles, got {intent.get('status')!r}")
    if kind not in COMPILERS:
        raise IntentError(kind, "kind", f"not a control-plane kind that changes the network; one of "
                          f"{', '.join(sorted(COMPILERS))}")
    params = intent.get("params")
    if not isinstance(params, Mapping):
        raise IntentError(kind, "params", "expected an object")
    return COMPILERS[kind](state, dict(params))


__all__ = ["COMPILERS", "AclRecord", "CompilerError", "ConflictRefused", "InstalledState", "IntentError",
           "IntentRefused", "SliceRecord", "compile_intent"]

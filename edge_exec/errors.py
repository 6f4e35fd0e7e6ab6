"""Errors of the edge executor. Foreign errors (wasmtime traps, runc failures, OSError on
sockets) are translated into these at the adapter that meets them.

    EdgeExecError
    ├── FunctionError            a function definition or lookup is wrong (usage)
    ├── EnvironmentMissing       a tool the runtime needs is absent (clang output, runc, cgroups)
    ├── PlacementError           no node can take the step (capacity, draining, unknown node)
    ├── ExecutorError            a node executor cannot be started or reached, or broke protocol
    │   └── Draining             the node takes no new requests (place the step elsewhere)
    └── InvocationError          one invocation failed; carries the function and runtime
        ├── FunctionFailed       the function itself raised or trapped
        ├── WorkerLost           the instance died under the request (retried by the pool)
        └── LimitExceeded        the function was stopped by one of its limits
            ├── TimeLimitExceeded
            ├── MemoryLimitExceeded
            └── PidsLimitExceeded
"""

from __future__ import annotations


class EdgeExecError(Exception):
    """Base of every error the edge executor raises."""


class FunctionError(EdgeExecError):
    pass


class EnvironmentMissing(EdgeExecError):
    pass


class PlacementError(EdgeExecError):
    pass


class ExecutorError(EdgeExecError):
    pass


class Draining(ExecutorError):
    """The node takes no new requests; the cluster places the step elsewhere."""


class InvocationError(EdgeExecError):
    kind = "failed"

    def __init__(self, message: str, function: str = "", runtime: str = "") -> None:
        prefix = f"{function} on {runtime}: " if function else ""
        super().__init__(prefix + message)
        self.function = function
        self.runtime = runtime
        self.detail = message


class FunctionFailed(InvocationError):
    kind = "failed"


class WorkerLost(InvocationError):
    kind = "lost"


class LimitExceeded(InvocationError):
    kind = "limit"


class TimeLimitExceeded(LimitExceeded):
    kind = "time"


class MemoryLimitExceeded(LimitExceeded):
    kind = "memory"


class PidsLimitExceeded(LimitExceeded):
    kind = "pids"


# kind -> class, so an error survives the trip over the executor protocol
INVOCATION_ERRORS: dict[str, type[InvocationError]] = {
    cls.kind: cls for cls in (FunctionFailed, WorkerLost, LimitExceeded, TimeLimitExceeded,
                              MemoryLimitExceeded, PidsLimitExceeded)
}


def invocation_error(kind: str, message: str, function: str = "", runtime: str = "") -> InvocationError:
    """Rebuild an invocation error from its wire form (`kind`, message)."""
    return INVOCATION_ERRORS.get(kind, FunctionFailed)(message, function, runtime)

"""The runtime seam: what the pool and the node executor need from any runtime."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from edge_exec.functions import Function


@dataclass(frozen=True)
class Outcome:
    """One successful invocation, as measured inside the instance."""

    output: bytes
    compute_ms: float
    peak_mib: float          # memory the instance held at its peak during the call


class Instance(Protocol):
    id: str
    runtime: str

    @property
    def alive(self) -> bool: ...

    @property
    def pid(self) -> int | None: ...

    def invoke(self, payload: bytes, request_id: int) -> Outcome:
        """Run one request. Raises InvocationError; WorkerLost means 'retry elsewhere'."""

    def close(self) -> None: ...


class Runtime(Protocol):
    name: str

    def prepare(self, function: Function) -> None:
        """Deploy-time work (precompile, check tools) so the first request is only a cold start."""

    def start(self, function: Function, instance_id: str) -> Instance:
        """Create a warm instance (the cold start)."""

    def close(self) -> None: ...

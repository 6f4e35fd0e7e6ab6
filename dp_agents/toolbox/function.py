"""A function of the User-space Service Toolbox: one step with a clear input and output.

Each function names its inputs, the Python handler that computes it (`handler(**inputs)`), the
executor entry point (bytes in, bytes out), an optional wasm kernel, and a resource profile that
planning uses: CPU share, memory, the runtimes it supports and its expected latency on each.

Wire formats between steps: `raw` functions take one bytes input and return bytes (the same in
every runtime, so the wasm kernel and the Python step are interchangeable); `packed` functions
take dp_agents.payload.pack({input: value}) and return pack(output).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from dp_agents.errors import ComponentMissing

RUNTIMES = ("wasm", "container", "process")
KERNEL_DIR = Path(__file__).resolve().parents[1] / "kernels"


@dataclass(frozen=True)
class ResourceProfile:
    cpu: float  # cores the step keeps busy while it runs
    memory_mib: int  # peak resident memory of one warm instance
    latency_ms: dict[str, float]  # runtime -> expected warm latency (measured, see README)
    host_inference: bool = False  # wasm form needs the host's inference interface (wasi-nn style)

    @property
    def runtimes(self) -> tuple[str, ...]:
        return tuple(r for r in RUNTIMES if r in self.latency_ms)

    def best_latency_ms(self) -> float:
        return min(self.latency_ms.values())


@dataclass(frozen=True)
class WasmKernel:
    module: str  # file name under dp_agents/kernels
    export: str  # in-place export: export(ptr, len) -> output length
    # networks the kernel runs through the executor's host inference (aaas_nn):
    # (name the C code loads, "module:function" loader the executor calls once per process)
    models: tuple[tuple[str, str], ...] = ()

    @property
    def path(self) -> Path:
        return KERNEL_DIR / self.module


@dataclass(frozen=True)
class ServiceFunction:
    name: str
    description: str
    inputs: tuple[str, ...]  # named inputs; ("*",) takes any number of named views
    output: str  # what the output is, for the operator
    handler: str  # "module:function", called as handler(**inputs)
    entry: str  # "module:function", bytes -> bytes, for the executor
    profile: ResourceProfile
    wire: Literal["raw", "packed"] = "packed"
    wasm: WasmKernel | None = None
    accelerator: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def variadic(self) -> bool:
        return self.inputs == ("*",)

    def load_handler(self) -> Callable[..., Any]:
        return load_entry(self.handler)


def load_entry(entry: str) -> Callable[..., Any]:
    module_name, _, attribute = entry.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ComponentMissing(f"toolbox entry {entry!r} cannot be loaded: {exc}") from exc

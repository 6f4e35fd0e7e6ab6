"""Functions: a named step with one artifact per runtime it supports and resource limits.

A function is plain data (JSON-serialisable) so the driver can register it in its own
process and ship it to the node executors. Artifacts:
  - wasm:      a WASI reactor module exporting `alloc(size)` and `<export>(ptr, size) -> u32`;
               it may import host inference (module "aaas_nn", see edge_exec.runtimes.inference)
               for the models its artifact declares, and no others
  - python:    an entry point "package.module:function" taking bytes and returning bytes,
               str or a JSON-serialisable value; run by the `process` and `container` runtimes
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

from edge_exec.errors import FunctionError

RUNTIMES: tuple[str, ...] = ("wasm", "container", "process")
Runtime = Literal["wasm", "container", "process"]


@dataclass(frozen=True)
class Limits:
    memory_mib: int = 64
    cpu: float = 0.5          # share of one core (cgroup CFS quota); wasm: advisory
    time_ms: int = 2000       # per invocation
    pids: int = 32            # process/container only
    concurrency: int = 1      # requests one instance serves at a time


@dataclass(frozen=True)
class WasmArtifact:
    module: str               # path to the .wasm file (precompiled on deploy)
    export: str               # kernel name: export(ptr, size) -> u32
    result: Literal["u32", "buffer"] = "buffer"   # u32: 4-byte big-endian; buffer: first N bytes
    # host models the module may run through aaas_nn: (name, "module:attr" loader) pairs; the
    # loader runs in the executor, once per process, and returns an object with run(inputs)
    models: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        models = tuple((str(name), str(loader)) for name, loader in self.models)
        object.__setattr__(self, "models", models)
        for name, loader in models:
            if not name or ":" not in loader:
                raise FunctionError(f"wasm model {name!r}: loader {loader!r} must be 'module:attr'")
        if len({name for name, _ in models}) != len(models):
            raise FunctionError(f"wasm module {self.module}: a model name is declared twice")

    def model_loader(self, name: str) -> str | None:
        """The loader of a declared model, None when the module did not declare it."""
        return dict(self.models).get(name)


@dataclass(frozen=True)
class Function:
    name: str
    wasm: WasmArtifact | None = None
    python: str | None = None                      # "module:function" for process and container
    limits: Limits = field(default_factory=Limits)
    accelerator: str | None = None                 # a node must offer it to host the function

    def __post_init__(self) -> None:
        if not self.name or not self.name.replace("-", "_").isidentifier():
            raise FunctionError(f"function name {self.name!r}: use letters, digits, '_' or '-'")
        if self.wasm is None and self.python is None:
            raise FunctionError(f"function {self.name!r} has no artifact: give wasm= or python=")
        if self.python is not None and ":" not in self.python:
            raise FunctionError(f"function {self.name!r}: python entry {self.python!r} must be 'module:attr'")

    @property
    def runtimes(self) -> tuple[str, ...]:
        """Runtimes this function can run on, in the order of RUNTIMES."""
        return tuple(r for r in RUNTIMES if (self.wasm if r == "wasm" else self.python) is not None)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Function:
        wasm = data.get("wasm")
        return cls(name=data["name"], python=data.get("python"), accelerator=data.get("accelerator"),
                   wasm=WasmArtifact(**wasm) if wasm else None, limits=Limits(**data.get("limits", {})))


class FunctionRegistry:
    """Functions by name. The driver registers them; deploy ships them to node executors."""

    def __init__(self, functions: list[Function] | None = None) -> None:
        self._functions: dict[str, Function] = {}
        for function in functions or []:
            self.register(function)

    def register(self, function: Function, replace: bool = False) -> Function:
        if function.name in self._functions and not replace and self._functions[function.name] != function:
            raise FunctionError(f"function {function.name!r} is already registered with another definition")
        self._functions[function.name] = function
        return function

    def get(self, name: str) -> Function:
        try:
            return self._functions[name]
        except KeyError:
            known = ", ".join(sorted(self._functions)) or "none"
            raise FunctionError(f"no function {name!r} registered (known: {known})") from None

    def names(self) -> list[str]:
        return sorted(self._functions)

    def __contains__(self, name: str) -> bool:
        return name in self._functions

    def __iter__(self):
        return iter(self._functions.values())


def resolve_entry(entry: str):
    """Import "module:attr" and return the callable (used inside workers)."""
    module_name, _, attribute = entry.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise FunctionError(f"python entry {entry!r} cannot be loaded: {exc}") from exc


def check_artifacts(function: Function) -> None:
    """Fail early (at deploy) when a wasm module was not built."""
    if function.wasm is not None and not Path(function.wasm.module).is_file():
        raise FunctionError(f"function {function.name!r}: wasm module {function.wasm.module} is missing; "
                            "run `make -C edge_exec/kernels`")

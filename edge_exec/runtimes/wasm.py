"""The wasm runtime: with its sibling `inference` (host inference, wasi-nn style), the only module
that imports wasmtime.

One Engine per executor process with epoch interruption and a ticker thread; modules are
precompiled once at deploy time into a `.cwasm` cache keyed by (sha256, wasmtime version,
platform) and memory-mapped on load; every invocation gets a fresh Store with a memory limit
and an epoch deadline, so one call can never see or break another's state. A module may run the
neural networks its Function declares through the host (edge_exec.runtimes.inference): a warm
instance holds them on the runtime's shared ModelShelf, loaded at its cold start.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import math
import os
import platform
import threading
import time
from pathlib import Path

import wasmtime as wt

from edge_exec.errors import EnvironmentMissing, FunctionFailed, MemoryLimitExceeded, TimeLimitExceeded
from edge_exec.functions import Function
from edge_exec.runtimes.base import Outcome
from edge_exec.runtimes.inference import InferenceSession, ModelShelf, bound_session, define_host_inference

TICK_MS = 10          # epoch tick: the time-limit granularity (a tick costs a GIL hand-off)
WASM_PAGE = 65536
WASMTIME_VERSION = importlib.metadata.version("wasmtime")


def limit_margin(limit_bytes: int) -> int:
    """Headroom below the memory limit that counts as 'ran into the limit' (1/32, >= 2 pages)."""
    return max(2 * WASM_PAGE, limit_bytes // 32)


def cache_key(module_bytes: bytes) -> str:
    digest = hashlib.sha256(module_bytes).hexdigest()[:32]
    return f"{digest}-wasmtime{WASMTIME_VERSION}-{platform.machine()}-{platform.system().lower()}"


class WasmRuntime:
    name = "wasm"

    def __init__(self, cache_dir: Path) -> None:
        config = wt.Config()
        config.epoch_interruption = True
        self.engine = wt.Engine(config)
        self.linker = wt.Linker(self.engine)
        self.linker.define_wasi()
        define_host_inference(self.linker)
        self.models = ModelShelf()
        self.cache_dir = Path(cache_dir)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        self._compiled: dict[tuple[str, int, int], Path] = {}   # (module, mtime, size) -> .cwasm
        self._stop = threading.Event()
        # ctypes releases the GIL during wasm calls, so this thread ticks while a call spins.
        self._ticker = threading.Thread(target=self._tick, name="wasm-epoch", daemon=True)
        self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(TICK_MS / 1000):
            self.engine.increment_epoch()

    def compiled_path(self, function: Function) -> Path:
        """The cached .cwasm of the function's module, compiled on first sight; remembered by
        (path, mtime, size) so a cold start does not hash the module again."""
        source = Path(function.wasm.module)
        try:
            stat = source.stat()
            memo = (str(source), stat.st_mtime_ns, stat.st_size)
            if memo in self._compiled and self._compiled[memo].exists():
                return self._compiled[memo]
            data = source.read_bytes()
        except OSError as exc:
            raise EnvironmentMissing(f"wasm module {source} unreadable ({exc}); "
                                     "run `make -C edge_exec/kernels`") from exc
        target = self.cache_dir / f"{cache_key(data)}.cwasm"
        if not target.exists():
            try:
                compiled = wt.Module(self.engine, data).serialize()
            except wt.WasmtimeError as exc:
                raise FunctionFailed(f"{source} does not compile: {exc}", function.name, "wasm") from exc
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            partial.write_bytes(compiled)
            os.replace(partial, target)   # atomic: executors share the cache
        self._compiled[memo] = target
        return target

    def prepare(self, function: Function) -> None:
        self.compiled_path(function)

    def load(self, function: Function) -> wt.InstancePre:
        path = self.compiled_path(function)
        try:
            module = wt.Module.deserialize_file(self.engine, str(path))
        except wt.WasmtimeError:
            path.unlink(missing_ok=True)      # stale or foreign cache entry: compile again
            module = wt.Module.deserialize_file(self.engine, str(self.compiled_path(function)))
        return self.linker.instantiate_pre(module)

    def start(self, function: Function, instance_id: str) -> WasmInstance:
        pre = self.load(function)
        return WasmInstance(self, function, instance_id, pre, self._acquire_models(function))

    def _acquire_models(self, function: Function) -> dict:
        held: dict = {}
        try:
            for name, loader in function.wasm.models:
                held[name] = self.models.acquire(loader, function.name)
        except FunctionFailed:
            for name in held:
                self.models.release(function.wasm.model_loader(name))
            raise
        return held

    def close(self) -> None:
        self._stop.set()


class WasmInstance:
    """A warm wasm instance is a linked, precompiled module; each call gets a new Store."""

    runtime = "wasm"
    pid = None

    def __init__(self, runtime: WasmRuntime, function: Function, instance_id: str,
                 pre: wt.InstancePre, models: dict | None = None) -> None:
        self.id = instance_id
        self.models = models or {}
        self.function = function
        self._runtime = runtime
        self._pre = pre
        self._closed = False

    @property
    def alive(self) -> bool:
        return not self._closed

    def _store(self) -> wt.Store:
        store = wt.Store(self._runtime.engine)
        store.set_wasi(wt.WasiConfig())
        store.set_limits(memory_size=self.function.limits.memory_mib << 20)
        store.set_epoch_deadline(math.ceil(self.function.limits.time_ms / TICK_MS) + 1)
        return store

    def invoke(self, payload: bytes, request_id: int) -> Outcome:
        name, started = self.function.name, time.perf_counter()
        store = self._store()
        deadline = time.monotonic() + self.function.limits.time_ms / 1000
        session = InferenceSession(self.function, self.models, deadline) if self.models else None
        try:
            with bound_session(session):
                output, memory_bytes = self._call(store, payload)
        except wt.Trap as exc:
            if exc.trap_code == wt.TrapCode.INTERRUPT:
                raise TimeLimitExceeded(f"stopped after {self.function.limits.time_ms} ms (epoch deadline)",
                                        name, "wasm") from None
            raise FunctionFailed(f"trap: {exc.message}", name, "wasm") from None
        except wt.WasmtimeError as exc:
            raise FunctionFailed(f"wasmtime error: {exc}", name, "wasm") from None
        limit = self.function.limits.memory_mib << 20
        if memory_bytes + limit_margin(limit) > limit:
            # wasmtime-py exposes no grow-failure hook; ending this close to the limit means a
            # memory.grow was (or would next be) refused and a malloc in the kernel failed.
            raise MemoryLimitExceeded(f"linear memory hit the {self.function.limits.memory_mib} MiB limit",
                                      name, "wasm")
        return Outcome(output, (time.perf_counter() - started) * 1000, memory_bytes / (1 << 20))

    def _call(self, store: wt.Store, payload: bytes) -> tuple[bytes, int]:
        exports = self._pre.instantiate(store).exports(store)
        initialize = exports.get("_initialize")
        if initialize is not None:
            initialize(store)
        memory = exports["memory"]
        pointer = exports["alloc"](store, len(payload))
        if pointer == 0:
            raise MemoryLimitExceeded(f"payload of {len(payload)} bytes does not fit the memory limit",
                                      self.function.name, "wasm")
        memory.write(store, payload, pointer)
        result = exports[self.function.wasm.export](store, pointer, len(payload))
        if self.function.wasm.result == "u32":
            output = (result & 0xFFFFFFFF).to_bytes(4, "big")
        elif result < 0:   # a kernel's error code: its input is not what it takes
            raise FunctionFailed(f"the module rejected its input (error code {result})", self.function.name, "wasm")
        else:
            output = bytes(memory.read(store, pointer, pointer + result))
        return output, memory.data_len(store)

    def close(self) -> None:
        if not self._closed:
            for name in self.models:
                self._runtime.models.release(self.function.wasm.model_loader(name))
        self._closed = True
        self._pre = None
        self.models = {}

"""Running plans on the shared edge executor (edge_exec): the toolbox as executor functions, and a
StepCaller that sends every step to the cluster, placed near the request's source.

Limits come from each function's resource profile, with headroom: the profile is a typical peak,
the limit is what stops a runaway. Data moves between steps through the caller's process as
dp_agents.payload buffers: on the operator's side over the executors' unix sockets, or, run on
the request's source host (dp_agents.on_host), over the emulated network, so that every step's
input and output crosses the twin's links. The executor reports where each step ran, on which
runtime, and how many bytes it was sent and answered.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dp_agents.errors import ComponentMissing, StepFailed
from dp_agents.payload import pack, unpack
from dp_agents.planning.plan import PlanStep
from dp_agents.toolbox import TOOLBOX, ServiceFunction
from edge_exec.cluster import EdgeCluster
from edge_exec.errors import EdgeExecError
from edge_exec.functions import Function, Limits, WasmArtifact

MEMORY_HEADROOM = 2.0
MIN_MEMORY_MIB = 64
# A worker's cold start is its imports (numpy, OpenCV, onnxruntime): under a 0.1-CPU quota that
# alone took seconds. The quota never goes below this; the profile's share is what it uses warm.
MIN_CPU_QUOTA = 0.5
STEP_TIME_MS = 30_000  # a cold OCR instance loads its ONNX models (~1 s; 10-20x on a loaded machine)


def executor_function(function: ServiceFunction) -> Function:
    wasm = None
    if function.wasm is not None:
        if not function.wasm.path.is_file():
            raise ComponentMissing(f"{function.wasm.path} is not built: run `make -C dp_agents/kernels`")
        wasm = WasmArtifact(str(function.wasm.path), function.wasm.export, "buffer", function.wasm.models)
    memory = max(MIN_MEMORY_MIB, int(function.profile.memory_mib * MEMORY_HEADROOM))
    limits = Limits(
        memory_mib=memory, cpu=max(MIN_CPU_QUOTA, function.profile.cpu), time_ms=STEP_TIME_MS, pids=64
    )
    return Function(
        function.name, wasm=wasm, python=function.entry, limits=limits, accelerator=function.accelerator
    )


def executor_functions() -> list[Function]:
    return [executor_function(f) for f in TOOLBOX.values()]


@contextmanager
def serving_cluster(topology, nodes: list[str], prefix: str = "svc-", **options) -> Iterator[EdgeCluster]:
    """Node executors on `nodes` with every toolbox function deployed, in a state folder of their
    own (short: unix socket paths are limited); stopped and removed on exit. `options` go to
    EdgeCluster (netns, addresses, keep_alive_s)."""
    state = Path(tempfile.mkdtemp(prefix=prefix))
    cluster = EdgeCluster(topology, state, **options)
    try:
        cluster.start(list(nodes))
        for function in executor_functions():
            cluster.deploy(function)
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(state, ignore_errors=True)


def encode_inputs(function: ServiceFunction, inputs: dict[str, Any]) -> bytes:
    if function.wire == "raw":
        (value,) = inputs.values()
        return bytes(value)
    return pack(inputs)


def decode_output(function: ServiceFunction, output: bytes) -> Any:
    if function.wire == "raw":
        if not output:
            raise StepFailed(f"{function.name} rejected its input (the kernel returned no output)")
        return output
    return unpack(output)


class ExecutorCaller:
    """A StepCaller over an edge_exec EdgeCluster.

    `runtime=None` lets the executor choose per step from its measured profiles (AaaS). A fixed
    runtime (or an order of preference, e.g. ("wasm", "container")) is used for every step that
    has an artefact for it; a step without one runs where the executor chooses, and `meta`
    records it (every toolbox step now has a wasm build: networks run through host inference).
    """

    def __init__(self, cluster, source: str, runtime: str | tuple[str, ...] | None = None) -> None:
        self.cluster, self.source = cluster, source
        self.runtimes = (runtime,) if isinstance(runtime, str) else tuple(runtime or ())
        self.meta: dict[str, dict] = {}
        self._lock = threading.Lock()

    @property
    def runtime(self) -> str | None:
        return self.runtimes[0] if self.runtimes else None

    def call(self, step: PlanStep, inputs: dict[str, Any]) -> Any:
        function = TOOLBOX[step.function]
        supported = self.cluster.registry.get(function.name).runtimes
        runtime = next((r for r in self.runtimes if r in supported), None)
        try:
            result = self.cluster.invoke(function.name, encode_inputs(function, inputs), self.source, runtime)
        except EdgeExecError as exc:
            raise StepFailed(f"step {step.id} ({function.name}) failed on the executor: {exc}") from exc
        with self._lock:
            self.meta[step.id] = result.meta
        return decode_output(function, result.output)

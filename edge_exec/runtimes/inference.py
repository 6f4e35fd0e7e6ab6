"""Host inference for wasm modules, in the manner of wasi-nn: the module prepares tensors in its
linear memory, the host runs the neural network (onnxruntime, numpy) and the module reads the
result back. Models are loaded once per executor process and shared by every instance that
declared them, so N warm instances of a step hold one copy of the network, not N.

A module imports these functions from "aaas_nn" (all i32; sizes in bytes, dims as u32 arrays):

    load(name_ptr, name_len) -> graph              a model its Function declared (WasmArtifact.models)
    set_input(graph, index, data_ptr, data_len, dims_ptr, rank) -> 0      f32 tensor, row-major
    compute(graph) -> outputs                       runs the model on the inputs set so far
    output_dims(graph, index, dims_ptr, max_rank) -> rank
    get_output(graph, index, out_ptr, out_cap) -> bytes written (f32)
    label(graph, index, out_ptr, out_cap) -> bytes  UTF-8 class label (a recogniser's vocabulary)
    decode_image(graph, data_ptr, data_len, dims_ptr) -> bytes   a codec model decodes JPEG/PNG
                                   to u8 pixels (dims: height, width, channels), held for read_blob
    encode_image(graph, pixels_ptr, width, height, channels) -> bytes   ... encodes PNG, held
    read_blob(graph, out_ptr, out_cap) -> bytes     copies the held result into linear memory

Every misuse (an undeclared model, a pointer or length outside linear memory, a tensor larger
than the function's memory limit, a graph or output index that does not exist) raises
FunctionFailed out of the wasm call; a compute started after the call's deadline raises
TimeLimitExceeded. A model object is anything with `run(inputs: list[np.ndarray]) ->
list[np.ndarray]` and optionally `labels` (a sequence of str); a codec model (declared like any
other) has `decode(bytes) -> uint8 array (H, W, C)` and `encode(uint8 array) -> bytes`.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import wasmtime as wt

from edge_exec.errors import FunctionError, FunctionFailed, TimeLimitExceeded
from edge_exec.functions import Function, resolve_entry

NN_MODULE = "aaas_nn"
MAX_RANK = 8
MAX_GRAPHS = 8          # graphs one invocation may load
MAX_INPUTS = 8
MAX_NAME = 256


class ModelShelf:
    """The executor process's loaded models, by loader entry, counted by the instances using them:
    the last instance to close (keep-alive expired) unloads the model."""

    def __init__(self) -> None:
        self._models: dict[str, Any] = {}
        self._users: dict[str, int] = {}
        self._lock = threading.Lock()

    def acquire(self, loader: str, function: str) -> Any:
        with self._lock:
            if loader not in self._models:
                try:
                    self._models[loader] = resolve_entry(loader)()
                except FunctionError as exc:
                    raise FunctionFailed(f"host model loader {loader!r}: {exc}", function, "wasm") from None
                except Exception as exc:  # noqa: BLE001 - a loader's own failure, reported with its name
                    raise FunctionFailed(f"host model {loader!r} failed to load: {exc}", function, "wasm") from None
                self._users[loader] = 0
            self._users[loader] += 1
            return self._models[loader]

    def release(self, loader: str) -> None:
        with self._lock:
            if loader in self._users:
                self._users[loader] -= 1
                if self._users[loader] <= 0:
                    del self._users[loader], self._models[loader]

    def loaded(self) -> list[str]:
        with self._lock:
            return sorted(self._models)


@dataclass
class Graph:
    model: Any
    inputs: dict[int, np.ndarray] = field(default_factory=dict)
    outputs: list[np.ndarray] = field(default_factory=list)
    blob: bytes = b""


class InferenceSession:
    """What one invocation may do through aaas_nn: its declared models, its memory, its deadline."""

    def __init__(self, function: Function, models: dict[str, Any], deadline: float) -> None:
        self.function, self.models, self.deadline = function, models, deadline
        self.max_bytes = function.limits.memory_mib << 20
        self.graphs: list[Graph] = []

    def fail(self, message: str) -> FunctionFailed:
        return FunctionFailed(f"aaas_nn: {message}", self.function.name, "wasm")

    def graph(self, handle: int) -> Graph:
        if not 0 <= handle < len(self.graphs):
            raise self.fail(f"no graph {handle} (loaded: {len(self.graphs)})")
        return self.graphs[handle]

    def load(self, name: str) -> int:
        if name not in self.models:
            declared = ", ".join(sorted(self.models)) or "none"
            raise self.fail(f"model {name!r} is not declared by the function (declared: {declared})")
        if len(self.graphs) >= MAX_GRAPHS:
            raise self.fail(f"more than {MAX_GRAPHS} graphs loaded in one call")
        self.graphs.append(Graph(self.models[name]))
        return len(self.graphs) - 1

    def set_input(self, handle: int, index: int, data: bytes, dims: list[int]) -> None:
        graph = self.graph(handle)
        if not 0 <= index < MAX_INPUTS:
            raise self.fail(f"input index {index} outside 0..{MAX_INPUTS - 1}")
        count = math.prod(dims)
        if any(d <= 0 for d in dims) or count * 4 != len(data):
            raise self.fail(f"tensor dims {dims} do not describe {len(data)} bytes of f32")
        graph.inputs[index] = np.frombuffer(data, "<f4").reshape(dims).copy()

    def compute(self, handle: int) -> int:
        graph = self.graph(handle)
        if sorted(graph.inputs) != list(range(len(graph.inputs))):
            raise self.fail(f"inputs {sorted(graph.inputs)} leave a gap: set inputs 0..n-1")
        if time.monotonic() > self.deadline:
            raise TimeLimitExceeded(f"deadline of {self.function.limits.time_ms} ms passed before compute",
                                    self.function.name, "wasm")
        try:
            outputs = graph.model.run([graph.inputs[i] for i in range(len(graph.inputs))])
            graph.outputs = [np.ascontiguousarray(o, "<f4") for o in outputs]
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises many unrelated types
            raise self.fail(f"model rejected the inputs: {exc}") from None
        too_big = [o.shape for o in graph.outputs if o.nbytes > self.max_bytes]
        if too_big:
            graph.outputs = []
            raise self.fail(f"output {too_big[0]} exceeds the {self.function.limits.memory_mib} MiB limit")
        return len(graph.outputs)

    def output(self, handle: int, index: int) -> np.ndarray:
        outputs = self.graph(handle).outputs
        if not 0 <= index < len(outputs):
            raise self.fail(f"no output {index} (compute produced {len(outputs)})")
        return outputs[index]

    def decode_image(self, handle: int, data: bytes) -> tuple[int, ...]:
        graph = self.graph(handle)
        try:
            pixels = np.ascontiguousarray(graph.model.decode(data), np.uint8)
        except Exception as exc:  # noqa: BLE001 - a codec's own failure on hostile bytes
            raise self.fail(f"image of {len(data)} bytes does not decode: {exc}") from None
        if pixels.ndim != 3 or pixels.nbytes > self.max_bytes:
            raise self.fail(f"decoded image {pixels.shape} exceeds the memory limit or is not H x W x C")
        graph.blob = pixels.tobytes()
        return pixels.shape

    def encode_image(self, handle: int, pixels: bytes, shape: tuple[int, int, int]) -> int:
        graph = self.graph(handle)
        try:
            graph.blob = bytes(graph.model.encode(np.frombuffer(pixels, np.uint8).reshape(shape)))
        except Exception as exc:  # noqa: BLE001
            raise self.fail(f"image {shape} does not encode: {exc}") from None
        return len(graph.blob)

    def label(self, handle: int, index: int) -> bytes:
        labels = getattr(self.graph(handle).model, "labels", None) or ()
        if not 0 <= index < len(labels):
            raise self.fail(f"no label {index} (the model has {len(labels)})")
        return labels[index].encode()


_current = threading.local()


def current_session() -> InferenceSession:
    session = getattr(_current, "session", None)
    if session is None:
        raise FunctionFailed("aaas_nn called outside an invocation that declared host models")
    return session


class bound_session:
    """Context manager: host calls on this thread serve `session` (a wasm call runs on one thread)."""

    def __init__(self, session: InferenceSession | None) -> None:
        self.session = session

    def __enter__(self) -> InferenceSession | None:
        _current.session = self.session
        return self.session

    def __exit__(self, *exc_info) -> None:
        _current.session = None


class LinearMemory:
    """Bounds-checked access to the calling module's linear memory."""

    def __init__(self, caller: wt.Caller, session: InferenceSession) -> None:
        memory = caller.get("memory")
        if not isinstance(memory, wt.Memory):
            raise session.fail("the module exports no memory")
        self.caller, self.memory, self.session = caller, memory, session

    def span(self, pointer: int, length: int) -> tuple[int, int]:
        size = self.memory.data_len(self.caller)
        pointer, length = pointer & 0xFFFFFFFF, length & 0xFFFFFFFF
        if length > self.session.max_bytes:
            raise self.session.fail(f"{length} bytes exceed the {self.session.function.limits.memory_mib} MiB limit")
        if pointer + length > size:
            raise self.session.fail(f"[{pointer}, {pointer + length}) is outside linear memory ({size} bytes)")
        return pointer, pointer + length

    def read(self, pointer: int, length: int) -> bytes:
        start, stop = self.span(pointer, length)
        return bytes(self.memory.read(self.caller, start, stop))

    def write(self, pointer: int, data: bytes) -> None:
        start, _ = self.span(pointer, len(data))
        self.memory.write(self.caller, data, start)

    def dims(self, pointer: int, rank: int) -> list[int]:
        if not 0 <= rank <= MAX_RANK:
            raise self.session.fail(f"rank {rank} outside 0..{MAX_RANK}")
        return [int(d) for d in np.frombuffer(self.read(pointer, 4 * rank), "<u4")]


def _load(caller, name_ptr, name_len):
    session = current_session()
    if not 0 < name_len <= MAX_NAME:
        raise session.fail(f"model name length {name_len} outside 1..{MAX_NAME}")
    raw = LinearMemory(caller, session).read(name_ptr, name_len)
    return session.load(raw.decode("utf-8", "replace"))


def _set_input(caller, graph, index, data_ptr, data_len, dims_ptr, rank):
    session = current_session()
    memory = LinearMemory(caller, session)
    session.set_input(graph, index, memory.read(data_ptr, data_len), memory.dims(dims_ptr, rank))
    return 0


def _compute(caller, graph):
    return current_session().compute(graph)


def _output_dims(caller, graph, index, dims_ptr, max_rank):
    session = current_session()
    shape = session.output(graph, index).shape
    if len(shape) > max_rank:
        raise session.fail(f"output {index} has rank {len(shape)}, the module allows {max_rank}")
    LinearMemory(caller, session).write(dims_ptr, np.asarray(shape, "<u4").tobytes())
    return len(shape)


def _get_output(caller, graph, index, out_ptr, out_cap):
    session = current_session()
    data = session.output(graph, index).tobytes()
    if len(data) > (out_cap & 0xFFFFFFFF):
        raise session.fail(f"output {index} is {len(data)} bytes, the buffer {out_cap}")
    LinearMemory(caller, session).write(out_ptr, data)
    return len(data)


def _label(caller, graph, index, out_ptr, out_cap):
    session = current_session()
    text = session.label(graph, index)[: max(0, out_cap)]
    LinearMemory(caller, session).write(out_ptr, text)
    return len(text)


def _decode_image(caller, graph, data_ptr, data_len, dims_ptr):
    session = current_session()
    memory = LinearMemory(caller, session)
    shape = session.decode_image(graph, memory.read(data_ptr, data_len))
    memory.write(dims_ptr, np.asarray(shape, "<u4").tobytes())
    return len(session.graph(graph).blob)


def _encode_image(caller, graph, pixels_ptr, width, height, channels):
    session = current_session()
    if not (0 < width <= 16384 and 0 < height <= 16384 and channels in (1, 3, 4)):
        raise session.fail(f"image {width}x{height}x{channels} outside 16384 a side, 1/3/4 channels")
    pixels = LinearMemory(caller, session).read(pixels_ptr, width * height * channels)
    return session.encode_image(graph, pixels, (height, width, channels))


def _read_blob(caller, graph, out_ptr, out_cap):
    session = current_session()
    blob = session.graph(graph).blob
    if len(blob) > (out_cap & 0xFFFFFFFF):
        raise session.fail(f"held result is {len(blob)} bytes, the buffer {out_cap}")
    LinearMemory(caller, session).write(out_ptr, blob)
    return len(blob)


HOST_FUNCTIONS = {
    "load": (_load, 2),
    "set_input": (_set_input, 6),
    "compute": (_compute, 1),
    "output_dims": (_output_dims, 4),
    "get_output": (_get_output, 4),
    "label": (_label, 4),
    "decode_image": (_decode_image, 4),
    "encode_image": (_encode_image, 5),
    "read_blob": (_read_blob, 3),
}


def define_host_inference(linker: wt.Linker) -> None:
    """Put the aaas_nn functions into a linker (once per runtime)."""
    i32 = wt.ValType.i32()
    for name, (function, arity) in HOST_FUNCTIONS.items():
        linker.define_func(NN_MODULE, name, wt.FuncType([i32] * arity, [i32]), function, access_caller=True)

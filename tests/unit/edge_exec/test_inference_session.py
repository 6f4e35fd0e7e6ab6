"""What one invocation may do through host inference, with a fake model (no wasm involved)."""

import time

import numpy as np
import pytest

from edge_exec.errors import FunctionFailed, TimeLimitExceeded
from edge_exec.functions import Function, Limits, WasmArtifact
from edge_exec.runtimes.inference import InferenceSession, ModelShelf


class Adder:
    labels = ("blank", "A")

    def run(self, inputs):
        return [inputs[0] + inputs[1]]


def session(deadline_s: float = 10.0, memory_mib: int = 1) -> InferenceSession:
    function = Function("adder", WasmArtifact("m.wasm", "run", "buffer", (("adder", "pkg:adder"),)),
                        limits=Limits(memory_mib=memory_mib))
    return InferenceSession(function, {"adder": Adder()}, time.monotonic() + deadline_s)


def tensor(*values):
    return np.asarray(values, "<f4").tobytes()


def test_a_declared_model_runs_on_the_inputs_it_was_given():
    s = session()
    graph = s.load("adder")
    s.set_input(graph, 0, tensor(1, 2), [2])
    s.set_input(graph, 1, tensor(10, 20), [2])
    assert s.compute(graph) == 1
    assert s.output(graph, 0).tolist() == [11.0, 22.0]
    assert s.label(graph, 1) == b"A"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.load("other"), "not declared"),
        (lambda s: s.set_input(s.load("adder"), 0, tensor(1, 2, 3), [2]), "do not describe"),
        (lambda s: s.set_input(s.load("adder"), 9, tensor(1), [1]), "input index 9"),
        (lambda s: s.compute(3), "no graph 3"),
        (lambda s: s.output(s.load("adder"), 0), "no output 0"),
        (lambda s: s.label(s.load("adder"), 5), "no label 5"),
    ],
)
def test_misuse_is_a_function_failure(call, message):
    with pytest.raises(FunctionFailed, match=message):
        call(session())


def test_inputs_with_a_gap_are_refused():
    s = session()
    graph = s.load("adder")
    s.set_input(graph, 1, tensor(1), [1])
    with pytest.raises(FunctionFailed, match="leave a gap"):
        s.compute(graph)


def test_no_compute_starts_after_the_deadline():
    s = session(deadline_s=-1)
    graph = s.load("adder")
    s.set_input(graph, 0, tensor(1), [1])
    s.set_input(graph, 1, tensor(1), [1])
    with pytest.raises(TimeLimitExceeded):
        s.compute(graph)


def test_a_shelf_loads_once_and_unloads_with_the_last_user(monkeypatch):
    loads = []
    monkeypatch.setattr("edge_exec.runtimes.inference.resolve_entry", lambda entry: lambda: loads.append(entry) or entry)
    shelf = ModelShelf()
    assert shelf.acquire("pkg:model", "f") == shelf.acquire("pkg:model", "g") == "pkg:model"
    assert loads == ["pkg:model"]
    shelf.release("pkg:model")
    assert shelf.loaded() == ["pkg:model"]
    shelf.release("pkg:model")
    assert shelf.loaded() == []

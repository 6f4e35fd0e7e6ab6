"""The aaas_nn host inference interface (wasi-nn style) against real wasmtime: a module runs a
host model on a tensor in its linear memory, and every hostile call ends as a clean error."""

from pathlib import Path

import numpy as np
import pytest

from edge_exec.errors import FunctionFailed
from edge_exec.functions import Function, Limits, WasmArtifact

pytestmark = pytest.mark.integration
HERE = Path(__file__).parent
MODELS = "tests.integration.edge_exec.host_models"


@pytest.fixture
def probe_module(tmp_path) -> str:
    import wasmtime

    path = tmp_path / "nn_probe.wasm"
    path.write_bytes(wasmtime.wat2wasm((HERE / "nn_probe.wat").read_text()))
    return str(path)


@pytest.fixture
def wasm(state_dir):
    from edge_exec.runtimes.wasm import WasmRuntime

    runtime = WasmRuntime(state_dir / "cache")
    yield runtime
    runtime.close()


def probe(module: str, export: str, models: dict[str, str] | None = None) -> Function:
    declared = tuple((models or {"doubler": f"{MODELS}:doubler"}).items())
    return Function(f"probe-{export.replace('_', '-')}", WasmArtifact(module, export, "buffer", declared),
                    limits=Limits(memory_mib=16, time_ms=2000))


def test_a_module_runs_a_host_model_on_its_tensor(wasm, probe_module):
    values = np.arange(6, dtype="<f4")
    outcome = wasm.start(probe(probe_module, "infer"), "i").invoke(values.tobytes(), 1)
    assert np.array_equal(np.frombuffer(outcome.output, "<f4"), values * 2 + 1)


def test_models_load_once_and_are_shared_then_unloaded_with_the_last_instance(wasm, probe_module):
    from tests.integration.edge_exec import host_models

    before = host_models.LOADS["count"]
    first = wasm.start(probe(probe_module, "infer"), "a")
    second = wasm.start(probe(probe_module, "second_label"), "b")
    assert host_models.LOADS["count"] == before + 1
    assert second.invoke(b"x", 1).output == b"plate"
    first.close()
    assert wasm.models.loaded() == [f"{MODELS}:doubler"]
    second.close()
    assert wasm.models.loaded() == []


@pytest.mark.parametrize(
    ("export", "message"),
    [
        ("undeclared", "'unknown' is not declared"),
        ("wild_pointer", "outside linear memory"),
        ("oversize", "exceed the 16 MiB limit"),
        ("lying_dims", "do not describe 16 bytes"),
        ("no_graph", "no graph 5"),
        ("small_buffer", "the buffer 2"),
    ],
)
def test_hostile_calls_fail_cleanly_and_the_runtime_keeps_serving(wasm, probe_module, export, message):
    with pytest.raises(FunctionFailed, match=message):
        wasm.start(probe(probe_module, export), "h").invoke(np.ones(4, "<f4").tobytes(), 1)
    healthy = wasm.start(probe(probe_module, "infer"), "ok")
    assert np.frombuffer(healthy.invoke(np.ones(2, "<f4").tobytes(), 2).output, "<f4").tolist() == [3.0, 3.0]


def test_an_output_larger_than_the_memory_limit_is_refused(wasm, probe_module):
    function = probe(probe_module, "inflate", {"inflater": f"{MODELS}:inflater"})
    with pytest.raises(FunctionFailed, match="exceeds the 16 MiB limit"):
        wasm.start(function, "big").invoke(b"xxxx", 1)


def test_a_model_that_fails_to_load_fails_the_cold_start(wasm, probe_module):
    with pytest.raises(FunctionFailed, match="weights file truncated"):
        wasm.start(probe(probe_module, "infer", {"doubler": f"{MODELS}:broken"}), "c")
    with pytest.raises(FunctionFailed, match="cannot be loaded"):
        wasm.start(probe(probe_module, "infer", {"doubler": f"{MODELS}:nowhere"}), "d")
    assert wasm.models.loaded() == []

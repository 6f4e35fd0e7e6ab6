import pytest

from edge_exec.catalog import builtin_functions, checksum, grayscale
from edge_exec.errors import FunctionError
from edge_exec.functions import Function, FunctionRegistry, Limits, WasmArtifact


def test_runtimes_follow_the_artifacts():
    both = Function("f", WasmArtifact("k.wasm", "run"), "m:f")
    assert both.runtimes == ("wasm", "container", "process")
    assert Function("g", python="m:g").runtimes == ("container", "process")
    assert Function("h", WasmArtifact("k.wasm", "run")).runtimes == ("wasm",)


@pytest.mark.parametrize("kwargs", [dict(name="no-artifact"), dict(name="bad entry", python="m:f"),
                                    dict(name="f", python="no_colon")])
def test_invalid_functions_are_refused(kwargs):
    with pytest.raises(FunctionError):
        Function(**kwargs)


def test_function_survives_the_wire_form():
    function = Function("f", WasmArtifact("k.wasm", "run", "u32"), "m:f", Limits(memory_mib=16, time_ms=5),
                        accelerator="gpu")
    assert Function.from_dict(function.to_dict()) == function


def test_registry_refuses_a_conflicting_redefinition_unless_replacing():
    registry = FunctionRegistry([Function("f", python="m:f")])
    registry.register(Function("f", python="m:f"))          # identical: fine
    with pytest.raises(FunctionError, match="already registered"):
        registry.register(Function("f", python="m:g"))
    registry.register(Function("f", python="m:g"), replace=True)
    assert registry.get("f").python == "m:g"
    with pytest.raises(FunctionError, match="known: f"):
        registry.get("missing")


def test_catalog_python_steps_match_the_c_kernels_definition():
    import zlib
    assert checksum(b"edge") == zlib.adler32(b"edge").to_bytes(4, "big")
    assert grayscale(bytes([255, 255, 255, 0, 0, 0])) == bytes([255, 0])
    assert {f.name for f in builtin_functions()} >= {"checksum", "grayscale", "spin", "blowup", "forkbomb"}

"""The host models a wasm artifact declares: validated, looked up, and kept through the wire form."""

import pytest

from edge_exec.errors import FunctionError
from edge_exec.functions import Function, WasmArtifact


def test_declared_models_survive_the_trip_to_a_node_executor():
    artifact = WasmArtifact("ocr.wasm", "plate_ocr", "buffer", (("plate_det", "pkg.nets:detector"),))
    function = Function("plate_ocr", artifact)
    again = Function.from_dict(function.to_dict())
    assert again == function
    assert again.wasm.model_loader("plate_det") == "pkg.nets:detector"
    assert again.wasm.model_loader("anything_else") is None


@pytest.mark.parametrize(
    "models",
    [(("plate_det", "no-colon"),), (("", "pkg:f"),), (("plate_det", "pkg:a"), ("plate_det", "pkg:b"))],
)
def test_bad_model_declarations_are_refused(models):
    with pytest.raises(FunctionError):
        WasmArtifact("ocr.wasm", "plate_ocr", "buffer", models)

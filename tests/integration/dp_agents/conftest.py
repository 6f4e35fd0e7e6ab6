"""Real components for the data-plane quality tests: rapidocr + onnxruntime, wasmtime, the built
wasm kernel and the shared data. A missing one fails the test with what to do, never skips."""

import importlib.util

import pytest

from dp_agents.data_sources import data_root
from dp_agents.toolbox import TOOLBOX


def require_module(name: str, install: str) -> None:
    if importlib.util.find_spec(name) is None:
        pytest.fail(f"{name} is not installed: {install}")


@pytest.fixture(scope="session")
def plate_kernel():
    require_module("wasmtime", "pip install wasmtime==50.0.1")
    path = TOOLBOX["plate_preprocess"].wasm.path
    if not path.is_file():
        pytest.fail(
            f"{path} is not built: run `make -C dp_agents/kernels` (needs apt clang lld wasi-libc "
            "libclang-rt-14-dev-wasm32)"
        )
    return path


@pytest.fixture(scope="session")
def ocr_ready():
    require_module("rapidocr", "pip install rapidocr==3.10.0")
    require_module("onnxruntime", "pip install onnxruntime==1.32.0")


@pytest.fixture(scope="session")
def shared_data():
    root = data_root()
    for folder in ("metr-la", "nab-realtraffic"):
        if not (root / folder).is_dir():
            pytest.fail(
                f"data folder {root / folder} is missing: set AAAS_DATA_DIR (see dp_agents/README.md)"
            )
    return root

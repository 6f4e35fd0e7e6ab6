"""The plate OCR networks as host models for the wasm OCR kernel (kernels/ocr.c): rapidocr's
PP-OCRv6 text detector and recogniser ONNX files, run by onnxruntime in the executor process.

The executor loads each once per process (edge_exec.runtimes.inference) when a wasm OCR instance
starts, and every instance on that node shares it. Same files and thread settings as the Python
step (dp_agents.plates.ocr), so both forms run the same networks.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from dp_agents.errors import ComponentMissing

DETECTOR = "PP-OCRv6_det_small.onnx"
RECOGNISER = "PP-OCRv6_rec_small.onnx"
BLANK = "blank"


def model_file(name: str) -> Path:
    spec = importlib.util.find_spec("rapidocr")
    path = Path(spec.origin).parent / "models" / name if spec and spec.origin else None
    if path is None or not path.is_file():
        raise ComponentMissing(f"rapidocr's {name} is missing: pip install rapidocr==3.10.0 onnxruntime==1.32.0")
    return path


class OnnxNetwork:
    """One ONNX network on one intra-op thread; `labels` is the recogniser's CTC vocabulary."""

    def __init__(self, path: Path) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        options.enable_cpu_mem_arena = False
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.input = self.session.get_inputs()[0].name
        characters = self.session.get_modelmeta().custom_metadata_map.get("character")
        # rapidocr's CTC vocabulary: blank first, the model's characters, then a space
        self.labels = [BLANK, *characters.splitlines(), " "] if characters else []

    def run(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        return self.session.run(None, {self.input: inputs[0].astype(np.float32, copy=False)})


def detector() -> OnnxNetwork:
    return OnnxNetwork(model_file(DETECTOR))


def recogniser() -> OnnxNetwork:
    return OnnxNetwork(model_file(RECOGNISER))


HOST_MODELS = (("plate_det", f"{__name__}:detector"), ("plate_rec", f"{__name__}:recogniser"))

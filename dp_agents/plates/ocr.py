"""Plate OCR with rapidocr (PP-OCR det + rec ONNX models bundled in its wheel, run by onnxruntime).

The engine is built once per process (0.3-1 s) and shared; a lock serialises calls because an
onnxruntime session is not re-entrant across our threads at one intra-op thread. Settings are
the measured ones (PLATFORM section 7): detection at most 320 px a side, no angle classifier.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from dp_agents.errors import ComponentMissing, StepFailed
from dp_agents.plates.layout import PLATE_PATTERN, fold_to_layout
from dp_agents.plates.preprocess import decode_grey

__all__ = [
    "PLATE_PATTERN",
    "fold_to_layout",
    "ocr_engine",
    "pick_plate_line",
    "read_plate",
    "recognise_lines",
]

ENGINE_PARAMS = {
    "Det.limit_side_len": 320,
    "Det.limit_type": "max",
    "Global.use_cls": False,
    "Global.log_level": "error",
    # one thread: the machine has 2 cores shared by many instances, and a CPU-quota'd instance
    # with a thread per core only gets throttled
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}
MIN_ALNUM = 4

_engine: Any = None
_engine_lock = threading.Lock()


def ocr_engine() -> Any:
    """The process's one rapidocr engine, built on first use."""
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise ComponentMissing(
                    f"rapidocr is not importable ({exc}): pip install rapidocr==3.10.0 onnxruntime==1.32.0"
                ) from exc
            _engine = RapidOCR(params=dict(ENGINE_PARAMS))
        return _engine


def read_plate(image: bytes) -> dict:
    """Preprocessed plate image (PGM/PNG/JPEG bytes) -> {"plate", "raw", "score", "format_ok"}."""
    grey = decode_grey(image)
    lines = recognise_lines(grey)
    raw, score = pick_plate_line(lines)
    plate = fold_to_layout(raw)
    return {
        "plate": plate,
        "raw": raw,
        "score": round(score, 4),
        "format_ok": bool(PLATE_PATTERN.match(plate)),
    }


def recognise_lines(grey: np.ndarray) -> list[tuple[str, float, float]]:
    """Every text line OCR finds: (text, confidence, box height in pixels)."""
    engine = ocr_engine()
    try:
        with _engine_lock:
            result = engine(grey)
    except Exception as exc:  # onnxruntime and rapidocr raise many unrelated types
        raise StepFailed(f"rapidocr failed on a {grey.shape[1]}x{grey.shape[0]} image: {exc}") from exc
    if result.boxes is None or result.txts is None:
        return []
    heights = [float(box[:, 1].max() - box[:, 1].min()) for box in result.boxes]
    return list(zip(result.txts, (float(s) for s in result.scores), heights, strict=True))


def pick_plate_line(lines: list[tuple[str, float, float]]) -> tuple[str, float]:
    """The plate number is the tallest line with enough letters and digits (not the state name)."""
    candidates = [
        (height, _alnum(text), score) for text, score, height in lines if len(_alnum(text)) >= MIN_ALNUM
    ]
    if not candidates:
        return "", 0.0
    _, text, score = max(candidates)
    return text, score


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isascii() and ch.isalnum())

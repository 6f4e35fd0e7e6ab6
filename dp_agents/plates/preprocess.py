"""Plate-frame preprocessing as a Python step: decode, grey, resize to a fixed height, stretch contrast.

The arithmetic is the C kernel's (kernels/preprocess.c) in integer numpy, so the container and
the wasm forms of the step return the same pixels. Unlike the kernel, this step also decodes
JPEG and PNG frames (OpenCV), not only binary PNM.
"""

from __future__ import annotations

import cv2
import numpy as np

from dp_agents.errors import StepInputError

TARGET_HEIGHT = 96  # text about 40 px high: where the PP-OCR recogniser reads best
MAX_SIDE = 8192


def preprocess_frame(frame: bytes, target_height: int = TARGET_HEIGHT) -> bytes:
    """Camera frame (PNM, JPEG or PNG bytes) -> contrast-stretched grey PGM of the given height."""
    grey = luma(decode_rgb(frame))
    height, width = grey.shape
    out_width = max(1, (width * target_height * 2 + height) // (2 * height))
    resized = resize_bilinear(grey, out_width, target_height)
    return encode_pgm(stretch_contrast(resized))


def decode_rgb(frame: bytes) -> np.ndarray:
    if not frame:
        raise StepInputError("empty frame: expected PNM, JPEG or PNG bytes")
    image = cv2.imdecode(np.frombuffer(frame, np.uint8), cv2.IMREAD_COLOR)
    if image is None:
        raise StepInputError(f"frame of {len(frame)} bytes is not a PNM, JPEG or PNG image")
    if max(image.shape[:2]) > MAX_SIDE:
        raise StepInputError(f"frame {image.shape[1]}x{image.shape[0]} exceeds {MAX_SIDE} pixels a side")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def luma(rgb: np.ndarray) -> np.ndarray:
    """BT.601 luma in 8-bit fixed point, exactly as the kernel computes it."""
    channels = rgb.astype(np.int32)
    weighted = 77 * channels[..., 0] + 150 * channels[..., 1] + 29 * channels[..., 2] + 128
    return (weighted >> 8).astype(np.uint8)


def _source_fixed(dst_size: int, src_size: int) -> np.ndarray:
    """Source coordinates of output pixel centres in 1/1024 pixels (half-pixel convention)."""
    dst = np.arange(dst_size, dtype=np.int64)
    fixed = ((2 * dst + 1) * src_size * 1024) // (2 * dst_size) - 512
    return np.clip(fixed, 0, (src_size - 1) * 1024)


def resize_bilinear(grey: np.ndarray, width: int, height: int) -> np.ndarray:
    src_h, src_w = grey.shape
    fy, fx = _source_fixed(height, src_h), _source_fixed(width, src_w)
    y0, wy = fy >> 10, (fy & 1023)[:, None]
    x0, wx = fx >> 10, (fx & 1023)[None, :]
    y1, x1 = np.minimum(y0 + 1, src_h - 1), np.minimum(x0 + 1, src_w - 1)
    src = grey.astype(np.int64)
    top = src[y0][:, x0] * (1024 - wx) + src[y0][:, x1] * wx
    bottom = src[y1][:, x0] * (1024 - wx) + src[y1][:, x1] * wx
    return ((top * (1024 - wy) + bottom * wy + (1 << 19)) >> 20).astype(np.uint8)


def stretch_contrast(grey: np.ndarray) -> np.ndarray:
    """Map the 1st..99th percentile grey levels linearly onto 0..255."""
    histogram = np.bincount(grey.ravel(), minlength=256)
    cut = grey.size // 100
    low = min(int(np.argmax(np.cumsum(histogram) > cut)), 255)
    from_top = np.cumsum(histogram[::-1])[::-1]  # pixels at or above each level
    above = np.nonzero(from_top[1:] > cut)[0]
    high = int(above[-1]) + 1 if above.size else 0
    if high <= low:
        return grey
    span = high - low
    stretched = ((grey.astype(np.int64) - low) * 255 + span // 2) // span
    return np.clip(stretched, 0, 255).astype(np.uint8)


def encode_pgm(grey: np.ndarray) -> bytes:
    height, width = grey.shape
    return f"P5\n{width} {height}\n255\n".encode() + np.ascontiguousarray(grey).tobytes()


def decode_grey(image: bytes) -> np.ndarray:
    """A preprocessed PGM (or any image) back to a grey array, for the OCR step."""
    if not image:
        raise StepInputError("empty image: expected the preprocessing step's PGM")
    grey = cv2.imdecode(np.frombuffer(image, np.uint8), cv2.IMREAD_GRAYSCALE)
    if grey is None:
        raise StepInputError(f"image of {len(image)} bytes is not a PGM/PNG/JPEG image")
    return grey

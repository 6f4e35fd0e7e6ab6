"""The blind-zone-completion steps: per-camera preprocessing (parallel), then BEV fusion.

prep_camera(frame, camera) -> {"camera": calibration, "image": PNG of the undistorted,
exposure-corrected view}; fuse(**views) -> {"bev_png": RGBA PNG (alpha 0 = unknown), "coverage"}.
"""

from __future__ import annotations

import cv2
import numpy as np

from dp_agents.bev.camera import Camera
from dp_agents.bev.fusion import BEV_EXTENT_M, BEV_SIZE, fuse_views
from dp_agents.errors import StepInputError


def prep_camera(frame: bytes, camera: dict) -> dict:
    """Decode a car's JPEG/PNG frame, undo lens distortion and exposure gain."""
    calibration = Camera.from_json(camera)
    image = _decode_rgb(frame, calibration.name)
    if image.shape[:2] != (calibration.height, calibration.width):
        raise StepInputError(
            f"frame of {calibration.name} is {image.shape[1]}x{image.shape[0]}, its calibration "
            f"says {calibration.width}x{calibration.height}"
        )
    undistorted = cv2.undistort(image, calibration.intrinsics, np.asarray(calibration.distortion))
    corrected = np.clip(undistorted.astype(np.float32) / calibration.gain, 0, 255).astype(np.uint8)
    return {"camera": calibration.to_json(), "image": _png(corrected)}


def fuse(**views: dict) -> dict:
    """Every car's preprocessed view -> one bird's-eye view of the intersection."""
    if not views:
        raise StepInputError("fuse needs at least one preprocessed camera view")
    decoded = []
    for name, view in sorted(views.items()):
        if not isinstance(view, dict) or "camera" not in view or "image" not in view:
            raise StepInputError(f"view {name!r} is not a prep_camera output")
        decoded.append((_decode_rgb(view["image"], name), Camera.from_json(view["camera"])))
    fused = fuse_views(decoded)
    rgba = np.dstack([fused.image, np.where(fused.known, 255, 0).astype(np.uint8)])
    return {
        "bev_png": _png(rgba),
        "coverage": round(fused.coverage, 4),
        "cameras": sorted(views),
        "size_px": BEV_SIZE,
        "extent_m": BEV_EXTENT_M,
    }


def _decode_rgb(data: bytes, what: str) -> np.ndarray:
    image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
    if image is None:
        raise StepInputError(f"image of {what} ({len(data)} bytes) is not a JPEG or PNG")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def _png(rgb_or_rgba: np.ndarray) -> bytes:
    code = cv2.COLOR_RGBA2BGRA if rgb_or_rgba.shape[-1] == 4 else cv2.COLOR_RGB2BGR
    ok, encoded = cv2.imencode(".png", cv2.cvtColor(rgb_or_rgba, code), [cv2.IMWRITE_PNG_COMPRESSION, 1])
    if not ok:
        raise StepInputError("PNG encoding failed")
    return encoded.tobytes()


def decode_bev(bev_png: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The fused RGBA PNG back to (RGB, known mask)."""
    image = cv2.imdecode(np.frombuffer(bev_png, np.uint8), cv2.IMREAD_UNCHANGED)
    if image is None or image.ndim != 3 or image.shape[2] != 4:
        raise StepInputError("bev_png is not an RGBA PNG")
    rgba = cv2.cvtColor(image, cv2.COLOR_BGRA2RGBA)
    return rgba[..., :3], rgba[..., 3] > 0

"""The image codec the wasm BEV kernel (kernels/bev.c) borrows from its host: WASI offers no JPEG
or PNG decoder, so the executor decodes the cars' frames and encodes the kernel's PNGs with
OpenCV, exactly as the Python steps do (dp_agents.bev.steps), while undistortion, exposure
correction, ground-plane warping and fusion run in C. Declared as a host model ("image_codec")
of the BEV functions, so it is loaded once per executor process and counted like one."""

from __future__ import annotations

import cv2
import numpy as np

PNG_COMPRESSION = 1  # the Python steps' setting


class ImageCodec:
    def decode(self, data: bytes) -> np.ndarray:
        image = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
        if image is None:
            raise ValueError(f"{len(data)} bytes are not a JPEG or PNG")
        return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)

    def encode(self, pixels: np.ndarray) -> bytes:
        code = {3: cv2.COLOR_RGB2BGR, 4: cv2.COLOR_RGBA2BGRA}.get(pixels.shape[2])
        image = cv2.cvtColor(pixels, code) if code is not None else pixels[..., 0]
        ok, encoded = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, PNG_COMPRESSION])
        if not ok:
            raise ValueError("PNG encoding failed")
        return encoded.tobytes()


def image_codec() -> ImageCodec:
    return ImageCodec()


HOST_MODELS = (("image_codec", f"{__name__}:image_codec"),)

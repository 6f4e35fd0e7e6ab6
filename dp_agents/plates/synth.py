"""Synthetic licence-plate frames with known labels (no real labelled set is shippable).

California-style plates: a digit, three letters, three digits ("7ABC123"); letters skip I, O
and Q as California does. Each plate is drawn with a DejaVu font, then degraded the way a
roadside camera degrades it: perspective tilt, defocus blur, sensor noise, uneven light and
JPEG compression. A fixed seed gives the same set on every machine.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from dp_agents.errors import ComponentMissing
from dp_agents.plates.layout import PLATE_LETTERS, generate_plate_labels, plate_text

__all__ = [
    "PLATE_LETTERS",
    "PlateSample",
    "encode_ppm",
    "generate_plate_labels",
    "generate_plates",
    "plate_text",
    "render_plate",
]

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PLATE_FONTS = ("DejaVuSansMono-Bold.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed-Bold.ttf")
PLATE_SIZE = (360, 180)  # width, height in pixels before the camera degrades it


@dataclass(frozen=True)
class PlateSample:
    label: str
    frame: bytes  # binary PPM (P6): what the roadside camera sends
    jpeg: bytes  # the same frame as the camera's JPEG


def generate_plates(count: int, seed: int = 7) -> list[PlateSample]:
    """`count` degraded plate frames with their labels; the same seed gives the same set."""
    labels = generate_plate_labels(count, seed)
    return [render_plate(label, random.Random(f"{seed}/{i}")) for i, label in enumerate(labels)]


def render_plate(label: str, rng: random.Random) -> PlateSample:
    frame = _degrade(_draw_plate(label, rng), rng)
    return PlateSample(label=label, frame=encode_ppm(frame), jpeg=_jpeg(frame, 92))


def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / name
    if not path.exists():
        raise ComponentMissing(f"font {path} is missing: install the Debian package fonts-dejavu-core")
    return ImageFont.truetype(str(path), size)


def _draw_plate(label: str, rng: random.Random) -> np.ndarray:
    width, height = PLATE_SIZE
    plate = Image.new("RGB", (width, height), (246, 246, 240))
    draw = ImageDraw.Draw(plate)
    draw.rounded_rectangle((3, 3, width - 4, height - 4), radius=14, outline=(40, 40, 60), width=4)
    draw.text(
        (width // 2, 26),
        "California",
        fill=(170, 30, 40),
        font=_font("DejaVuSerif-Italic.ttf", 26),
        anchor="mm",
    )
    ink = (rng.randint(10, 40), rng.randint(20, 50), rng.randint(90, 130))
    font = _fitted_font(rng.choice(PLATE_FONTS), rng.randint(70, 80), label, width - 36)
    draw.text((width // 2, height // 2 + 18), label, fill=ink, font=font, anchor="mm")
    return np.asarray(plate)


def _fitted_font(name: str, size: int, text: str, max_width: int) -> ImageFont.FreeTypeFont:
    """The largest size up to `size` at which the text fits inside the plate's border."""
    font = _font(name, size)
    while size > 20 and font.getlength(text) > max_width:
        size -= 2
        font = _font(name, size)
    return font


def _degrade(plate: np.ndarray, rng: random.Random) -> np.ndarray:
    tilted = _perspective(plate, rng)
    # the plate fills only part of a real camera's view: shrink it before the optics blur it
    scale = rng.uniform(0.25, 0.6)
    small = cv2.resize(tilted, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    shaded = _uneven_light(small, rng)
    blurred = _motion_blur(cv2.GaussianBlur(shaded, (0, 0), sigmaX=rng.uniform(0.5, 1.3)), rng)
    noisy = blurred.astype(np.float32) + np.random.default_rng(rng.getrandbits(32)).normal(
        0.0, rng.uniform(3.0, 9.0), blurred.shape
    )
    compressed = _jpeg(np.clip(noisy, 0, 255).astype(np.uint8), rng.randint(20, 60))
    return cv2.cvtColor(
        cv2.imdecode(np.frombuffer(compressed, np.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB
    )


def _perspective(plate: np.ndarray, rng: random.Random) -> np.ndarray:
    """Place the plate on a bumper-grey frame seen slightly from the side and from above."""
    height, width = plate.shape[:2]
    margin = 40
    frame_w, frame_h = width + 2 * margin, height + 2 * margin
    src = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    jitter = [[rng.uniform(-0.08, 0.08) * width, rng.uniform(-0.1, 0.1) * height] for _ in range(4)]
    dst = src + np.float32(jitter) + margin
    warp = cv2.getPerspectiveTransform(src, dst)
    bumper = tuple(int(v) for v in rng.choice([(60, 60, 66), (120, 118, 110), (30, 32, 40), (180, 182, 186)]))
    return cv2.warpPerspective(
        plate,
        warp,
        (frame_w, frame_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=bumper,
    )


def _motion_blur(image: np.ndarray, rng: random.Random) -> np.ndarray:
    """A third of the vehicles move during the exposure: a short horizontal smear."""
    if rng.random() > 0.33:
        return image
    length = rng.randint(3, 6)
    kernel = np.full((1, length), 1.0 / length, np.float32)
    return cv2.filter2D(image, -1, kernel)


def _uneven_light(image: np.ndarray, rng: random.Random) -> np.ndarray:
    height, width = image.shape[:2]
    ramp = np.linspace(rng.uniform(0.55, 1.0), rng.uniform(0.8, 1.15), width, dtype=np.float32)
    gain = np.tile(ramp, (height, 1))[..., None]
    return np.clip(image.astype(np.float32) * gain, 0, 255).astype(np.uint8)


def _jpeg(rgb: np.ndarray, quality: int) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def encode_ppm(rgb: np.ndarray) -> bytes:
    """Binary PPM (P6): the uncompressed frame format that both the wasm kernel and Python read."""
    height, width = rgb.shape[:2]
    return f"P6\n{width} {height}\n255\n".encode() + np.ascontiguousarray(rgb, dtype=np.uint8).tobytes()

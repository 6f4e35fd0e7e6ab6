"""A simulated intersection with free ground truth: a textured ground plane and the cars' views.

The ground texture (asphalt grain, lane lines, stop lines, zebra crossings, kerbs, pavement
tiles, verges) is drawn procedurally from a seed at 5 cm per pixel. Each car's camera image is
rendered exactly: for every (2x supersampled) pixel the distorted ray is intersected with the
ground and the texture sampled there, then exposure gain, sensor noise and JPEG compression are
applied. The ground truth is the texture itself, at the bird's-eye view's resolution.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from dp_agents.bev.camera import Camera, pinhole_camera

EXTENT_M = 30.0  # the scene spans -30..30 m on both axes
TEXTURE_M_PER_PX = 0.05
ROAD_HALF_WIDTH = 7.0
SKY = (170, 190, 215)
CAMERA_SIZE = (1280, 720)  # an HD dash camera: at 640x360 ground detail past 12 m is lost


@dataclass(frozen=True)
class Scene:
    texture: np.ndarray  # RGB, (2*EXTENT/TEXTURE_M_PER_PX)^2
    cameras: tuple[Camera, ...]
    frames: tuple[bytes, ...]  # JPEG per camera, as the cars send them


def ground_texture(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    side = int(2 * EXTENT_M / TEXTURE_M_PER_PX)
    coords = (np.arange(side) + 0.5) * TEXTURE_M_PER_PX - EXTENT_M
    x, y = np.meshgrid(coords, -coords)  # row 0 is the north edge
    on_road = (np.abs(x) < ROAD_HALF_WIDTH) | (np.abs(y) < ROAD_HALF_WIDTH)
    kerb = ((np.abs(x) < ROAD_HALF_WIDTH + 3) | (np.abs(y) < ROAD_HALF_WIDTH + 3)) & ~on_road
    image = np.empty((side, side, 3), np.float32)
    image[:] = (70, 120, 55)  # verge
    image[kerb] = (165, 160, 150)  # pavement
    image[on_road] = (72, 72, 76)  # asphalt
    image += _grain(rng, side)[..., None] * np.where(on_road, 18, 28)[..., None]
    tiles = ((np.floor(x / 0.6) + np.floor(y / 0.6)) % 2 == 0) & kerb
    image[tiles] *= 0.9
    _paint_markings(image, x, y)
    return np.clip(image, 0, 255).astype(np.uint8)


def _grain(rng: np.random.Generator, side: int) -> np.ndarray:
    """Multi-scale noise in about -1..1: the texture that makes PSNR mean something."""
    total = np.zeros((side, side), np.float32)
    for cells, weight in ((12, 0.5), (48, 0.3), (192, 0.2)):
        coarse = rng.standard_normal((cells, cells)).astype(np.float32)
        total += weight * cv2.resize(coarse, (side, side), interpolation=cv2.INTER_CUBIC)
    return total


def _paint_markings(image: np.ndarray, x: np.ndarray, y: np.ndarray) -> None:
    white, yellow = np.array((235, 235, 230), np.float32), np.array((225, 190, 60), np.float32)
    inside = (np.abs(x) < ROAD_HALF_WIDTH) & (np.abs(y) < ROAD_HALF_WIDTH)
    for along, across in ((y, x), (x, y)):  # the north-south road, then the east-west road
        beyond = (np.abs(along) > ROAD_HALF_WIDTH + 4) & ~inside
        image[beyond & (np.abs(across) < 0.1)] = yellow  # centre line
        dashes = beyond & (np.abs(np.abs(across) - 3.5) < 0.08) & ((along % 6) < 3)
        image[dashes] = white  # lane lines
        zebra = (np.abs(np.abs(along) - (ROAD_HALF_WIDTH + 2)) < 1.5) & (np.abs(across) < ROAD_HALF_WIDTH)
        image[zebra & ((across % 1.0) < 0.5)] = white  # crossings
        stop = (np.abs(np.abs(along) - (ROAD_HALF_WIDTH + 4.2)) < 0.2) & (np.abs(across) < ROAD_HALF_WIDTH)
        image[stop & (across * np.sign(along) < 0)] = white  # stop lines


def car_cameras(seed: int, count: int = 4) -> tuple[Camera, ...]:
    """One car per approach, 14-20 m out, looking into the intersection with a little jitter."""
    rng = np.random.default_rng(seed + 1)
    cameras = []
    for k in range(count):
        heading = 90.0 * k + 90.0  # cars drive north, west, south, east
        distance = rng.uniform(14.0, 20.0)
        back = math.radians(heading + 180.0)
        lane = math.radians(heading - 90.0)  # drive on the right-hand lane
        x = distance * math.cos(back) + 1.75 * math.cos(lane)
        y = distance * math.sin(back) + 1.75 * math.sin(lane)
        cameras.append(
            pinhole_camera(
                f"car{k + 1}",
                (x, y, rng.uniform(1.3, 1.6)),
                heading + rng.uniform(-5, 5),
                rng.uniform(11, 15),
                size=CAMERA_SIZE,
                gain=rng.uniform(0.8, 1.2),
            )
        )
    return tuple(cameras)


def render_view(
    texture: np.ndarray, camera: Camera, rng: np.random.Generator, supersample: int = 1
) -> np.ndarray:
    """What the camera sees: distorted, exposure-scaled, noisy RGB."""
    width, height = camera.width * supersample, camera.height * supersample
    u, v = np.meshgrid(
        (np.arange(width) + 0.5) / supersample - 0.5, (np.arange(height) + 0.5) / supersample - 0.5
    )
    pixels = np.stack([u.ravel(), v.ravel()], axis=-1).astype(np.float64)[:, None, :]
    normalised = cv2.undistortPoints(pixels, camera.intrinsics, np.asarray(camera.distortion)).reshape(-1, 2)
    rays = np.concatenate([normalised, np.ones((len(normalised), 1))], axis=1) @ camera.rotation
    down = rays[:, 2] < -1e-6
    reach = np.where(down, -camera.centre[2] / np.where(down, rays[:, 2], -1.0), np.inf)
    ground = camera.centre[:2] + reach[:, None] * rays[:, :2]
    scale = 1.0 / TEXTURE_M_PER_PX
    map_x = ((ground[:, 0] + EXTENT_M) * scale - 0.5).astype(np.float32).reshape(height, width)
    map_y = ((EXTENT_M - ground[:, 1]) * scale - 0.5).astype(np.float32).reshape(height, width)
    sampled = cv2.remap(texture, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    sampled[~down.reshape(height, width)] = SKY
    image = cv2.resize(sampled, (camera.width, camera.height), interpolation=cv2.INTER_AREA).astype(
        np.float32
    )
    image = image * camera.gain + rng.normal(0.0, 2.0, image.shape)
    return np.clip(image, 0, 255).astype(np.uint8)


def render_scene(seed: int = 11, cameras: int = 4) -> Scene:
    texture = ground_texture(seed)
    rigs = car_cameras(seed, cameras)
    rng = np.random.default_rng(seed + 2)
    frames = tuple(_jpeg(render_view(texture, camera, rng)) for camera in rigs)
    return Scene(texture, rigs, frames)


def ground_truth(texture: np.ndarray, size: int, extent_m: float) -> np.ndarray:
    """The central 2*extent_m square of the texture at `size` pixels a side (area-averaged)."""
    margin = int(round((EXTENT_M - extent_m) / TEXTURE_M_PER_PX))
    centre = texture[margin : texture.shape[0] - margin, margin : texture.shape[1] - margin]
    return cv2.resize(centre, (size, size), interpolation=cv2.INTER_AREA)


def _jpeg(rgb: np.ndarray, quality: int = 90) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(rgb).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()

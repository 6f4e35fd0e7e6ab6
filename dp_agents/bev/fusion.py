"""Bird's-eye view fusion by ground-plane warping with known calibration (not feature stitching).

For every BEV cell the ground point is projected into each undistorted camera image (inverse
warping, so no holes); samples within range are averaged with weights falling with the square
of the distance (near pixels are sharper). Cells no camera sees stay explicitly unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from dp_agents.bev.camera import Camera, project_ground

BEV_SIZE = 400
BEV_EXTENT_M = 20.0  # the view spans -20..20 m around the intersection centre: 10 cm cells
MAX_RANGE_M = 24.0  # beyond this a ground pixel is smeared over many cells: not trusted
MIN_DEPTH_M = 0.5


@dataclass(frozen=True)
class Fused:
    image: np.ndarray  # RGB uint8, BEV_SIZE^2, north up
    known: np.ndarray  # bool, cells some camera sees

    @property
    def coverage(self) -> float:
        return float(self.known.mean())


def bev_grid(size: int = BEV_SIZE, extent: float = BEV_EXTENT_M) -> np.ndarray:
    """Ground coordinates (size, size, 2) of the cell centres, row 0 at the north edge."""
    step = 2 * extent / size
    coords = (np.arange(size) + 0.5) * step - extent
    x, y = np.meshgrid(coords, -coords)
    return np.stack([x, y], axis=-1)


def warp_view(image: np.ndarray, camera: Camera, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One undistorted view warped onto the grid: samples (H, W, 3) float and weights (H, W)."""
    pixels, depth = project_ground(camera, grid)
    u, v = pixels[..., 0], pixels[..., 1]
    distance = np.linalg.norm(grid - camera.centre[:2], axis=-1)
    inside = (depth > MIN_DEPTH_M) & (u >= 0) & (v >= 0) & (u <= camera.width - 1) & (v <= camera.height - 1)
    valid = inside & (distance <= MAX_RANGE_M)
    samples = cv2.remap(
        image, u.astype(np.float32), v.astype(np.float32), cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
    )
    weight = np.where(valid, 1.0 / np.maximum(distance, 1.0) ** 4, 0.0)
    return samples.astype(np.float32), weight


def fuse_views(views: list[tuple[np.ndarray, Camera]], size: int = BEV_SIZE) -> Fused:
    grid = bev_grid(size)
    total = np.zeros((size, size, 3), np.float64)
    weights = np.zeros((size, size), np.float64)
    for image, camera in views:
        samples, weight = warp_view(image, camera, grid)
        total += samples * weight[..., None]
        weights += weight
    known = weights > 0
    fused = np.where(known[..., None], total / np.maximum(weights, 1e-12)[..., None], 0.0)
    return Fused(np.clip(np.rint(fused), 0, 255).astype(np.uint8), known)


def psnr(estimate: np.ndarray, truth: np.ndarray, mask: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB over the masked cells (8-bit images)."""
    if not mask.any():
        return 0.0
    error = (estimate.astype(np.float64) - truth.astype(np.float64))[mask]
    mse = float(np.mean(error**2))
    return float("inf") if mse == 0 else 10.0 * np.log10(255.0**2 / mse)

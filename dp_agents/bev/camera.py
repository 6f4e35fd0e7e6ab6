"""Vehicle camera calibration: pinhole intrinsics, radial distortion, pose above the ground plane.

World frame: metres, x east, y north, z up, the ground is z = 0. Camera frame: x right, y down,
z forward. A calibration travels between steps as a JSON dict (`to_json` / `from_json`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dp_agents.errors import StepInputError


@dataclass(frozen=True)
class Camera:
    name: str
    width: int
    height: int
    fx: float
    fy: float
    cx: float
    cy: float
    distortion: tuple[float, float, float, float, float]  # OpenCV k1 k2 p1 p2 k3
    position: tuple[float, float, float]  # metres, z is the mounting height
    yaw_deg: float  # heading, 0 = east, 90 = north
    pitch_deg: float  # downwards tilt
    gain: float = 1.0  # photometric calibration: exposure gain

    @property
    def intrinsics(self) -> np.ndarray:
        return np.array([[self.fx, 0.0, self.cx], [0.0, self.fy, self.cy], [0.0, 0.0, 1.0]])

    @property
    def rotation(self) -> np.ndarray:
        """World -> camera rotation (rows: camera x, y, z axes in world coordinates)."""
        yaw, pitch = math.radians(self.yaw_deg), math.radians(self.pitch_deg)
        forward = np.array(
            [math.cos(yaw) * math.cos(pitch), math.sin(yaw) * math.cos(pitch), -math.sin(pitch)]
        )
        right = np.array([math.sin(yaw), -math.cos(yaw), 0.0])
        down = np.cross(forward, right)
        return np.stack([right, down, forward])

    @property
    def centre(self) -> np.ndarray:
        return np.asarray(self.position, np.float64)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "width": self.width,
            "height": self.height,
            "fx": self.fx,
            "fy": self.fy,
            "cx": self.cx,
            "cy": self.cy,
            "distortion": list(self.distortion),
            "position": list(self.position),
            "yaw_deg": self.yaw_deg,
            "pitch_deg": self.pitch_deg,
            "gain": self.gain,
        }

    @classmethod
    def from_json(cls, data: dict) -> Camera:
        try:
            return cls(
                name=str(data["name"]),
                width=int(data["width"]),
                height=int(data["height"]),
                fx=float(data["fx"]),
                fy=float(data["fy"]),
                cx=float(data["cx"]),
                cy=float(data["cy"]),
                distortion=tuple(float(v) for v in data["distortion"]),
                position=tuple(float(v) for v in data["position"]),
                yaw_deg=float(data["yaw_deg"]),
                pitch_deg=float(data["pitch_deg"]),
                gain=float(data.get("gain", 1.0)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise StepInputError(f"camera calibration is incomplete or malformed: {exc}") from exc


def pinhole_camera(
    name: str,
    position: tuple[float, float, float],
    yaw_deg: float,
    pitch_deg: float,
    size: tuple[int, int] = (640, 360),
    hfov_deg: float = 90.0,
    distortion: tuple[float, ...] = (-0.12, 0.02, 0.0, 0.0, 0.0),
    gain: float = 1.0,
) -> Camera:
    width, height = size
    focal = (width / 2) / math.tan(math.radians(hfov_deg) / 2)
    return Camera(
        name,
        width,
        height,
        focal,
        focal,
        width / 2,
        height / 2,
        tuple(distortion),
        position,
        yaw_deg,
        pitch_deg,
        gain,
    )


def project_ground(camera: Camera, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ground points (..., 2) in metres -> undistorted pixel coordinates (..., 2) and depth (...)."""
    world = np.concatenate([points, np.zeros(points.shape[:-1] + (1,))], axis=-1)
    cam = (world - camera.centre) @ camera.rotation.T
    depth = cam[..., 2]
    safe = np.where(depth > 1e-6, depth, 1e-6)
    u = camera.fx * cam[..., 0] / safe + camera.cx
    v = camera.fy * cam[..., 1] / safe + camera.cy
    return np.stack([u, v], axis=-1), depth

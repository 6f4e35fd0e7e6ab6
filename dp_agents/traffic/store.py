"""The trained speed models as a build artefact: dp_agents/traffic/trained/traffic-models.npz.

`aaas service train` (run by the set-up) trains on the first 70 % of the data and writes the
file; the predict step only loads it, so executors that cannot see the data (containers, wasm
hosts) still predict. Numpy arrays only, loaded with allow_pickle=False. When the data is
visible and its sha256 differs from the one the file was trained on, the models train afresh.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dp_agents.data_sources import dataset_file, file_sha256
from dp_agents.errors import ComponentMissing, DataPlaneError
from dp_agents.traffic.model import CorridorModel, RoadModel
from dp_agents.traffic.names import METR, NAB_SENSORS

MODEL_VERSION = "traffic-l1-v3"
MODEL_ENV = "AAAS_TRAFFIC_MODELS"
_lock = threading.Lock()
_loaded: TrafficModels | None = None


@dataclass(frozen=True)
class TrafficModels:
    road: RoadModel
    corridors: dict[str, CorridorModel]
    data_sha256: str


def model_file() -> Path:
    configured = os.environ.get(MODEL_ENV)
    return (
        Path(configured) if configured else Path(__file__).resolve().parent / "trained" / "traffic-models.npz"
    )


def traffic_models() -> TrafficModels:
    """The process's models: loaded once from the artefact, trained first if it is missing or stale."""
    global _loaded
    with _lock:
        if _loaded is None:
            _loaded = _load_current()
        return _loaded


def _data_sha() -> str | None:
    try:
        return file_sha256(dataset_file(METR, "los_speed.csv"))
    except DataPlaneError:
        return None  # this executor cannot see the data: trust the artefact


def _load_current() -> TrafficModels:
    path, sha = model_file(), _data_sha()
    saved = load_models(path) if path.is_file() else None
    if saved is not None and (sha is None or saved.data_sha256 == sha):
        return saved
    if sha is None:
        raise ComponentMissing(
            f"trained traffic models {path} are missing and the data is not visible here: "
            "run `aaas service train` where the data is"
        )
    return train_and_save(path)


def train_and_save(path: Path | None = None) -> TrafficModels:
    from dp_agents.traffic.series import metr_adjacency, metr_speeds, nab_series
    from dp_agents.traffic.training import train_corridor_model, train_road_model

    grid = metr_speeds()
    models = TrafficModels(
        train_road_model(grid, metr_adjacency(grid.sensors)),
        {s: train_corridor_model(nab_series(s)) for s in NAB_SENSORS},
        file_sha256(dataset_file(METR, "los_speed.csv")),
    )
    save_models(models, path or model_file())
    return models


def save_models(models: TrafficModels, path: Path) -> None:
    arrays = {
        "version": np.array(MODEL_VERSION),
        "data_sha256": np.array(models.data_sha256),
        "sensors": np.array(models.road.sensors),
        "neighbours": models.road.neighbours,
        "profile": models.road.profile,
    }
    arrays |= {f"road_h{h}": w for h, w in models.road.weights.items()}
    arrays |= {f"corridor_{s}_h{h}": w for s, m in models.corridors.items() for h, w in m.weights.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.{os.getpid()}.tmp.npz")
    np.savez(partial, **arrays)
    os.replace(partial, path)  # readers never see a half-written file


def load_models(path: Path) -> TrafficModels | None:
    """The models in `path`, or None when it is from another model version or unreadable."""
    try:
        with np.load(path, allow_pickle=False) as saved:
            if str(saved["version"]) != MODEL_VERSION:
                return None
            road = RoadModel(
                tuple(str(s) for s in saved["sensors"]),
                saved["neighbours"],
                saved["profile"],
                _weights(saved, "road_"),
            )
            corridors = {s: CorridorModel(s, _weights(saved, f"corridor_{s}_")) for s in NAB_SENSORS}
            return TrafficModels(road, corridors, str(saved["data_sha256"]))
    except (OSError, ValueError, KeyError):
        return None


def _weights(saved, prefix: str) -> dict[int, np.ndarray]:
    return {int(k[len(prefix) + 1 :]): saved[k] for k in saved.files if k.startswith(prefix + "h")}

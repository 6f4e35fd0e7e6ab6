"""The trained speed models as host models for the wasm prediction kernel (kernels/traffic.c).

The kernel parses and cleans the readings in C and hands the windows to the executor's host
(edge_exec.runtimes.inference), which runs the project's own models (dp_agents.traffic.model,
loaded once per executor process from the trained .npz): the same arithmetic as the Python
step, on float32 inputs.
"""

from __future__ import annotations

import numpy as np

from dp_agents.traffic.model import HORIZONS
from dp_agents.traffic.names import NAB_SENSORS
from dp_agents.traffic.store import traffic_models


class RoadNetwork:
    """inputs: window (ROAD_LAGS, N), slot (1,) -> (len(HORIZONS), N) speeds."""

    def __init__(self) -> None:
        self.model = traffic_models().road

    def run(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        window, slot = np.asarray(inputs[0], np.float64), int(inputs[1].reshape(-1)[0])
        if window.ndim != 2 or window.shape[1] != len(self.model.sensors):
            raise ValueError(f"road window {window.shape}, the model has {len(self.model.sensors)} sensors")
        speeds = self.model.predict(window, slot)
        return [np.stack([speeds[h] for h in HORIZONS]).astype(np.float32)]


class CorridorNetwork:
    """inputs: speed (CORRIDOR_LAGS,), occupancy (CORRIDOR_LAGS,) -> (len(HORIZONS),) speeds."""

    def __init__(self, sensor: str) -> None:
        self.model = traffic_models().corridors[sensor]

    def run(self, inputs: list[np.ndarray]) -> list[np.ndarray]:
        speeds = self.model.predict(np.asarray(inputs[0], np.float64), np.asarray(inputs[1], np.float64))
        return [np.array([speeds[h] for h in HORIZONS], np.float32)]


def road() -> RoadNetwork:
    return RoadNetwork()


def __getattr__(name: str):
    """`corridor_<sensor>`: the loader of one NAB sensor's corridor model (a loader takes no arguments)."""
    sensor = name.removeprefix("corridor_")
    if name.startswith("corridor_") and sensor in NAB_SENSORS:
        return lambda: CorridorNetwork(sensor)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


HOST_MODELS = (("traffic_road", f"{__name__}:road"),) + tuple(
    (f"traffic_corridor_{sensor}", f"{__name__}:corridor_{sensor}") for sensor in NAB_SENSORS
)

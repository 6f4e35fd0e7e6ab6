"""Loading the traffic modalities in place: METR-LA loop speeds and the road graph, NAB speed and
occupancy. Every loader returns plain numpy arrays plus timestamps; nothing here models.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from dp_agents.data_sources import dataset_file, verified_file
from dp_agents.errors import DataSourceError
from dp_agents.traffic.names import METR, METR_START, NAB, NAB_SENSORS, STEP, STEPS_PER_DAY

__all__ = [
    "METR",
    "NAB",
    "NAB_SENSORS",
    "STEPS_PER_DAY",
    "SpeedGrid",
    "TwoModalSeries",
    "metr_adjacency",
    "metr_speeds",
    "nab_raw",
    "nab_series",
    "to_five_minute_grid",
]


@dataclass(frozen=True)
class SpeedGrid:
    """Speeds on a regular 5-minute grid: values[t, n] for sensor n (mph)."""

    sensors: tuple[str, ...]
    times: pd.DatetimeIndex
    values: np.ndarray


@dataclass(frozen=True)
class TwoModalSeries:
    """One NAB sensor on a 5-minute grid: speed (mph) and occupancy (%); NaN where unobserved."""

    sensor: str
    times: pd.DatetimeIndex
    speed: np.ndarray
    occupancy: np.ndarray


@lru_cache(maxsize=2)
def metr_speeds() -> SpeedGrid:
    path = dataset_file(METR, "los_speed.csv")
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise DataSourceError(f"{path} is not a sensor-per-column speed CSV: {exc}") from exc
    values = frame.to_numpy(np.float64)
    if not np.isfinite(values).all():
        raise DataSourceError(f"{path} holds missing speeds: interpolate them before use")
    times = pd.date_range(METR_START, periods=len(frame), freq=STEP)
    return SpeedGrid(tuple(str(c) for c in frame.columns), times, values)


@lru_cache(maxsize=2)
def metr_adjacency(sensors: tuple[str, ...]) -> np.ndarray:
    """Road-distance adjacency (DCRNN's thresholded Gaussian kernel) in the order of `sensors`."""
    path = verified_file(METR, "adj_mx.pkl")  # a pickle runs code: only the listed, vetted bytes
    with path.open("rb") as handle:
        ids, id_to_index, matrix = pickle.load(handle, encoding="latin1")
    missing = [s for s in sensors if s not in id_to_index]
    if missing:
        raise DataSourceError(f"{path} has no entry for sensors {missing[:5]}")
    order = [id_to_index[s] for s in sensors]
    return np.asarray(matrix, np.float64)[np.ix_(order, order)]


def _nab_column(sensor: str, kind: str) -> pd.Series:
    path = dataset_file(NAB, f"{kind}_{sensor}.csv")
    try:
        frame = pd.read_csv(path, parse_dates=["timestamp"])
    except (OSError, ValueError) as exc:
        raise DataSourceError(f"{path} is not a timestamp,value CSV: {exc}") from exc
    # some series repeat a timestamp: average the duplicates
    return frame.groupby("timestamp")["value"].mean().rename(kind)


@lru_cache(maxsize=4)
def nab_raw(sensor: str) -> pd.DataFrame:
    """Speed and occupancy of one sensor joined on their (irregular) timestamps."""
    if sensor not in NAB_SENSORS:
        raise DataSourceError(f"NAB sensor {sensor!r} has no speed+occupancy pair; use one of {NAB_SENSORS}")
    joined = pd.concat([_nab_column(sensor, "speed"), _nab_column(sensor, "occupancy")], axis=1, join="inner")
    return joined.sort_index()


FILL_BINS = 6  # a reading stands for at most 30 minutes


def to_five_minute_grid(raw: pd.DataFrame) -> pd.DataFrame:
    """Irregular readings averaged into 5-minute bins (labelled by their start); an empty bin takes
    the last reading up to 30 min back. Causal (never looks ahead), like the serving step
    (dp_agents.traffic.cleaning), so training sees the features serving computes."""
    return raw.resample(STEP).mean().ffill(limit=FILL_BINS)


@lru_cache(maxsize=4)
def nab_series(sensor: str) -> TwoModalSeries:
    grid = to_five_minute_grid(nab_raw(sensor))
    return TwoModalSeries(sensor, grid.index, grid["speed"].to_numpy(), grid["occupancy"].to_numpy())

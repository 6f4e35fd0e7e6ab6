"""Building traffic requests from the sensor data, read in place (the request's source side).

A request carries the raw recent readings of both modalities, as a roadside gateway would send
them, so the service's steps never need the data files (they run in executors that cannot see
them):

    {"road": {"at", "interval_min", "sensors", "speeds": 12 x N mph, null where a loop failed},
     "corridor": {"sensor", "at", "samples": [[ISO time, speed, occupancy], ...] irregular}}
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dp_agents.errors import StepInputError
from dp_agents.traffic.model import ROAD_LAGS
from dp_agents.traffic.series import NAB, NAB_SENSORS, metr_speeds, nab_raw

CORRIDOR_HISTORY = pd.Timedelta(hours=1)  # the half-hour window and the half hour that may fill it


def _position(times: pd.DatetimeIndex, at: object, what: str) -> int:
    if at is None:
        return len(times) - 1
    try:
        return int(times.searchsorted(pd.Timestamp(str(at)), side="right")) - 1
    except ValueError as exc:
        raise StepInputError(f"{what}: {at!r} is not an ISO time") from exc


def _as_time(at: object) -> pd.Timestamp:
    try:
        return pd.Timestamp(str(at))
    except ValueError as exc:
        raise StepInputError(f"{at!r} is not an ISO time") from exc


def road_readings(at: object = None) -> dict:
    """The last hour of METR-LA speeds for every sensor up to `at` (default: the latest)."""
    grid = metr_speeds()
    end = _position(grid.times, at, "road_at")
    if end < ROAD_LAGS - 1:
        raise StepInputError(
            f"road_at {at!r} is before the first hour of METR-LA ({grid.times[ROAD_LAGS - 1]})"
        )
    window = grid.values[end - ROAD_LAGS + 1 : end + 1]
    speeds = [[None if not np.isfinite(v) else round(float(v), 3) for v in row] for row in window]
    return {
        "at": grid.times[end].isoformat(),
        "interval_min": 5,
        "sensors": list(grid.sensors),
        "speeds": speeds,
    }


def corridor_readings(sensor: str = NAB_SENSORS[0], at: object = None) -> dict:
    """The raw NAB speed and occupancy samples of the hour up to `at` at one sensor."""
    if sensor not in NAB_SENSORS:
        raise StepInputError(f"corridor_sensor {sensor!r}: use one of {NAB_SENSORS}")
    raw = nab_raw(sensor)
    # "as of `at`": the request time, not the last sample (a sensor may have been silent since)
    end = raw.index[-1] if at is None else _as_time(at)
    recent = raw[(raw.index > end - CORRIDOR_HISTORY) & (raw.index <= end)]
    samples = [[t.isoformat(), float(row.speed), float(row.occupancy)] for t, row in recent.iterrows()]
    return {"sensor": sensor, "at": end.isoformat(), "samples": samples, "source": NAB}


def traffic_request(
    road_at: object = None, corridor_sensor: str = NAB_SENSORS[0], corridor_at: object = None
) -> dict:
    return {"road": road_readings(road_at), "corridor": corridor_readings(corridor_sensor, corridor_at)}

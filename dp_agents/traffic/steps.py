"""The traffic-flow-prediction steps: pure functions of the request (JSON in, JSON out).

request -> prep_road ─────┐
        -> prep_corridor ─┴-> predict -> report

Preprocessing cleans each modality's raw readings (dp_agents.traffic.readings builds them):
failed loop readings are interpolated along time, irregular corridor samples are averaged into
the 5-minute grid the models were trained on. The two modalities run in parallel.
"""

from __future__ import annotations

import numpy as np

from dp_agents.errors import StepInputError
from dp_agents.traffic.cleaning import (
    BIN_S,
    FILL_BINS,
    bin_means,
    carry_forward,
    epoch_seconds,
    fill_along_time,
    parse_time,
)
from dp_agents.traffic.model import CORRIDOR_LAGS, HORIZONS, ROAD_LAGS
from dp_agents.traffic.names import STEP_MINUTES, STEPS_PER_DAY
from dp_agents.traffic.store import traffic_models

CONGESTED_MPH = 35.0
MAX_MPH = 100.0


def _readings(readings: object, kind: str) -> dict:
    if not isinstance(readings, dict):
        raise StepInputError(f"{kind} readings must be an object (see dp_agents.traffic.readings)")
    return readings


def prep_road(readings: dict) -> dict:
    """The last hour of loop speeds, gaps interpolated per sensor, as the model's window."""
    road = _readings(readings, "road")
    try:
        at = parse_time(road["at"], "road at")
        raw = np.array([[np.nan if v is None else float(v) for v in row] for row in road["speeds"]])
    except (KeyError, TypeError, ValueError) as exc:
        raise StepInputError(f"road readings are malformed: {exc}") from exc
    if raw.ndim != 2 or raw.shape[0] != ROAD_LAGS or raw.shape[1] != len(road.get("sensors", ())):
        raise StepInputError(f"road readings must be {ROAD_LAGS} x sensors, got {raw.shape}")
    raw[(raw <= 0) | (raw > MAX_MPH)] = np.nan  # a stuck loop reports 0
    window = fill_along_time(raw)
    if np.isnan(window).any():
        dead = [road["sensors"][i] for i in np.nonzero(np.isnan(window).any(axis=0))[0][:5]]
        raise StepInputError(f"sensors {dead} reported nothing in the last hour")
    slot = (at.hour * 60 + at.minute) // STEP_MINUTES % STEPS_PER_DAY
    return {
        "at": at.isoformat(),
        "slot": int(slot),
        "sensors": list(road["sensors"]),
        "window": np.round(window, 3).tolist(),
    }


def prep_corridor(readings: dict) -> dict:
    """Irregular speed and occupancy samples -> the last half hour on the 5-minute grid."""
    corridor = _readings(readings, "corridor")
    try:
        rows = corridor["samples"]
        times = epoch_seconds([parse_time(row[0], "sample time") for row in rows])
        values = np.array([[float(row[1]), float(row[2])] for row in rows]).reshape(-1, 2)
        end = int(epoch_seconds([parse_time(corridor["at"], "corridor at")])[0] // BIN_S)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise StepInputError(f"corridor readings are malformed: {exc}") from exc
    # bins before the window let a reading carry forward into it, as in training
    history = carry_forward(bin_means(times, values, end, CORRIDOR_LAGS + FILL_BINS))
    window = history[-CORRIDOR_LAGS:]
    if np.isnan(window).any():
        raise StepInputError(
            f"sensor {corridor.get('sensor')} has no samples in the half hour before {corridor['at']}"
        )
    at = parse_time(corridor["at"], "corridor at").replace(second=0, microsecond=0)
    at = at.replace(minute=at.minute - at.minute % STEP_MINUTES)
    return {
        "sensor": str(corridor["sensor"]),
        "at": at.isoformat(),
        "speed": np.round(window[:, 0], 3).tolist(),
        "occupancy": np.round(window[:, 1], 3).tolist(),
    }


def predict(road: dict, corridor: dict) -> dict:
    """Speeds 15, 30 and 60 minutes ahead for every road sensor and the corridor sensor."""
    try:
        window = np.asarray(road["window"], np.float64)
        slot = int(road["slot"])
        speed = np.asarray(corridor["speed"], np.float64)
        occupancy = np.asarray(corridor["occupancy"], np.float64)
    except (KeyError, TypeError, ValueError) as exc:
        raise StepInputError(f"predict expects the preprocessing steps' outputs: {exc}") from exc
    models = traffic_models()
    if window.shape != (ROAD_LAGS, len(models.road.sensors)) or speed.shape != (CORRIDOR_LAGS,):
        raise StepInputError(
            f"predict: road window {window.shape} or corridor {speed.shape} has the wrong shape"
        )
    if corridor["sensor"] not in models.corridors:
        raise StepInputError(f"no corridor model for sensor {corridor['sensor']!r}")
    road_speeds = models.road.predict(window, slot)
    corridor_speeds = models.corridors[corridor["sensor"]].predict(speed, occupancy)
    return {
        "road": {
            "at": road["at"],
            "sensors": road["sensors"],
            "speed_mph": {_minutes(h): np.round(v, 2).tolist() for h, v in road_speeds.items()},
        },
        "corridor": {
            "at": corridor["at"],
            "sensor": corridor["sensor"],
            "speed_mph": {_minutes(h): round(v, 2) for h, v in corridor_speeds.items()},
        },
    }


def _minutes(horizon: int) -> str:
    return str(horizon * STEP_MINUTES)


def report(prediction: dict) -> dict:
    """What a traffic operator reads: congested sensors per horizon and the corridor outlook."""
    road = prediction["road"]
    congested = {}
    for minutes, speeds in road["speed_mph"].items():
        slow = sorted(
            (s, sensor) for sensor, s in zip(road["sensors"], speeds, strict=True) if s < CONGESTED_MPH
        )
        congested[minutes] = [{"sensor": sensor, "speed_mph": s} for s, sensor in slow]
    mean = {m: round(float(np.mean(v)), 2) for m, v in road["speed_mph"].items()}
    return {
        "horizons_min": [h * STEP_MINUTES for h in HORIZONS],
        "road_at": road["at"],
        "road_mean_speed_mph": mean,
        "road_congested": congested,
        "corridor": prediction["corridor"],
    }

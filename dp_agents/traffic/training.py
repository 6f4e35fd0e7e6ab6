"""Training the speed models on the first part of each series and scoring them on the rest.

The split is by time (no shuffling): the first TRAIN_FRACTION of the steps train, the remainder
is held out. Scores are MAE per horizon for the model and for the last-value baseline on the
same held-out targets.
"""

from __future__ import annotations

import numpy as np

from dp_agents.traffic.model import (
    CORRIDOR_LAGS,
    HORIZONS,
    ROAD_LAGS,
    CorridorModel,
    RoadModel,
    corridor_features,
    fit_absolute,
    neighbour_weights,
    road_features,
)
from dp_agents.traffic.series import STEPS_PER_DAY, SpeedGrid, TwoModalSeries

TRAIN_FRACTION = 0.7


def split_index(length: int) -> int:
    return int(length * TRAIN_FRACTION)


def windows(values: np.ndarray, ends: np.ndarray, lags: int) -> np.ndarray:
    """values[end-lags+1 .. end] for each end: shape (len(ends), lags, ...)."""
    offsets = np.arange(-lags + 1, 1)
    return values[ends[:, None] + offsets[None, :]]


def time_of_day_profile(grid: SpeedGrid, until: int) -> np.ndarray:
    slots = np.arange(until) % STEPS_PER_DAY
    sums = np.zeros((STEPS_PER_DAY, grid.values.shape[1]))
    np.add.at(sums, slots, grid.values[:until])
    counts = np.bincount(slots, minlength=STEPS_PER_DAY)[:, None]
    overall = grid.values[:until].mean(axis=0)
    return np.where(counts > 0, sums / np.maximum(counts, 1), overall)


def train_road_model(grid: SpeedGrid, adjacency: np.ndarray) -> RoadModel:
    split = split_index(len(grid.values))
    neighbours = neighbour_weights(adjacency)
    profile = time_of_day_profile(grid, split)
    weights = {}
    for horizon in HORIZONS:
        ends = np.arange(ROAD_LAGS - 1, split - horizon)
        features = road_features(
            windows(grid.values, ends, ROAD_LAGS), neighbours, profile[(ends + horizon) % STEPS_PER_DAY]
        )
        target = grid.values[ends + horizon] - grid.values[ends]
        weights[horizon] = fit_absolute(features.reshape(-1, features.shape[-1]), target.ravel())
    return RoadModel(grid.sensors, neighbours, profile, weights)


def score_road_model(model: RoadModel, grid: SpeedGrid) -> dict[int, dict[str, float]]:
    split = split_index(len(grid.values))
    scores = {}
    for horizon, weights in model.weights.items():
        ends = np.arange(split + ROAD_LAGS - 1, len(grid.values) - horizon)
        ahead = model.profile[(ends + horizon) % STEPS_PER_DAY]
        features = road_features(windows(grid.values, ends, ROAD_LAGS), model.neighbours, ahead)
        last, truth = grid.values[ends], grid.values[ends + horizon]
        scores[horizon] = _maes(last + features @ weights, last, truth)
    return scores


def _corridor_samples(series: TwoModalSeries, ends: np.ndarray, horizon: int):
    speed = windows(series.speed, ends, CORRIDOR_LAGS)
    occupancy = windows(series.occupancy, ends, CORRIDOR_LAGS)
    truth = series.speed[ends + horizon]
    usable = np.isfinite(speed).all(1) & np.isfinite(occupancy).all(1) & np.isfinite(truth)
    return speed[usable], occupancy[usable], truth[usable]


def train_corridor_model(series: TwoModalSeries) -> CorridorModel:
    split = split_index(len(series.speed))
    weights = {}
    for horizon in HORIZONS:
        speed, occupancy, truth = _corridor_samples(
            series, np.arange(CORRIDOR_LAGS - 1, split - horizon), horizon
        )
        weights[horizon] = fit_absolute(corridor_features(speed, occupancy), truth - speed[:, -1])
    return CorridorModel(series.sensor, weights)


def score_corridor_model(model: CorridorModel, series: TwoModalSeries) -> dict[int, dict[str, float]]:
    split = split_index(len(series.speed))
    scores = {}
    for horizon, weights in model.weights.items():
        ends = np.arange(split + CORRIDOR_LAGS - 1, len(series.speed) - horizon)
        speed, occupancy, truth = _corridor_samples(series, ends, horizon)
        last = speed[:, -1]
        scores[horizon] = _maes(last + corridor_features(speed, occupancy) @ weights, last, truth)
    return scores


def _maes(predicted: np.ndarray, last: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    return {
        "model_mae": float(np.abs(predicted - truth).mean()),
        "last_value_mae": float(np.abs(last - truth).mean()),
        "samples": int(truth.size),
    }

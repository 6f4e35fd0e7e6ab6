"""Speed prediction models: horizon-specific linear models on lags, fitted for absolute error.

The target is the change from the last reading (so "predict no change" is the zero model and the
last-value baseline is the natural reference). Least squares chases the mean of a heavy-tailed
change distribution; the benchmark metric is MAE, so the weights are fitted by iteratively
reweighted least squares towards the L1 solution, with a small ridge term. Pure numpy.

Road model (METR-LA), per sensor n at time t and horizon h, one weight vector shared by all
sensors: own lags x[t-l]-x[t] (l=1..11), neighbour means (Wx)[t-l]-x[t] (l=0..2) over the road
graph, the sensor's time-of-day profile from the training days at t+h minus x[t], and a bias.
Corridor model (NAB), per sensor and horizon: speed lags s[t-l]-s[t] (l=1..5), occupancy o[t-l]
(l=0..5), and a bias.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HORIZONS = (3, 6, 12)  # five-minute steps: 15, 30 and 60 minutes
ROAD_LAGS = 12
NEIGHBOUR_LAGS = 3
CORRIDOR_LAGS = 6
RIDGE = 10.0
IRLS_ROUNDS = 15
IRLS_FLOOR = 0.5  # mph: residuals below this weigh as much as this, so the weights stay bounded


def fit_absolute(
    features: np.ndarray, target: np.ndarray, ridge: float = RIDGE, rounds: int = IRLS_ROUNDS
) -> np.ndarray:
    """Weights minimising sum |target - features @ w| (+ ridge), by IRLS from the ridge solution."""
    penalty = ridge * np.eye(features.shape[1])
    weights = np.linalg.solve(features.T @ features + penalty, features.T @ target)
    for _ in range(rounds):
        scale = 1.0 / np.maximum(np.abs(target - features @ weights), IRLS_FLOOR)
        weighted = features * scale[:, None]
        weights = np.linalg.solve(weighted.T @ features + penalty, weighted.T @ target)
    return weights


def neighbour_weights(adjacency: np.ndarray) -> np.ndarray:
    """Row-normalised adjacency without self-loops; a sensor without neighbours averages itself."""
    weights = np.array(adjacency, np.float64)
    np.fill_diagonal(weights, 0.0)
    sums = weights.sum(axis=1, keepdims=True)
    lonely = sums[:, 0] == 0
    weights[lonely, lonely] = 1.0
    return weights / np.where(sums == 0, 1.0, sums)


def road_features(window: np.ndarray, neighbours: np.ndarray, profile_ahead: np.ndarray) -> np.ndarray:
    """Features of one or many windows.

    window: (..., ROAD_LAGS, N) speeds, oldest first; profile_ahead: (..., N) the time-of-day
    profile at the target time. Returns (..., N, F).
    """
    last = window[..., -1, :]
    own = window[..., -2::-1, :] - last[..., None, :]  # lags 1..11, newest first
    mixed = np.einsum("nm,...lm->...ln", neighbours, window[..., -NEIGHBOUR_LAGS:, :][..., ::-1, :])
    parts = [
        np.moveaxis(own, -2, -1),
        np.moveaxis(mixed - last[..., None, :], -2, -1),
        (profile_ahead - last)[..., None],
        np.ones(last.shape + (1,)),
    ]
    return np.concatenate(parts, axis=-1)


def corridor_features(speed: np.ndarray, occupancy: np.ndarray) -> np.ndarray:
    """speed, occupancy: (..., CORRIDOR_LAGS) oldest first -> (..., F)."""
    last = speed[..., -1:]
    return np.concatenate([speed[..., -2::-1] - last, occupancy[..., ::-1], np.ones(last.shape)], axis=-1)


@dataclass(frozen=True)
class RoadModel:
    sensors: tuple[str, ...]
    neighbours: np.ndarray  # (N, N) row-normalised
    profile: np.ndarray  # (288, N) mean speed per time-of-day slot over the training days
    weights: dict[int, np.ndarray]  # horizon (steps) -> (F,)

    def predict(self, window: np.ndarray, slot: int) -> dict[int, np.ndarray]:
        """window (ROAD_LAGS, N) ending at time-of-day `slot` -> horizon -> (N,) speeds."""
        last = window[-1]
        out = {}
        for horizon, weights in self.weights.items():
            ahead = self.profile[(slot + horizon) % len(self.profile)]
            out[horizon] = last + road_features(window, self.neighbours, ahead) @ weights
        return out


@dataclass(frozen=True)
class CorridorModel:
    sensor: str
    weights: dict[int, np.ndarray]

    def predict(self, speed: np.ndarray, occupancy: np.ndarray) -> dict[int, float]:
        features = corridor_features(speed, occupancy)
        return {h: float(speed[-1] + features @ w) for h, w in self.weights.items()}

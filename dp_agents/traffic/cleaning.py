"""Cleaning raw readings into model windows with numpy only (the serving steps must start fast:
no pandas in an executor worker). Training uses pandas on whole series; the arithmetic agrees:
5-minute bins labelled by their start, the mean of the samples in a bin, an empty bin carrying
the last reading forward for up to FILL_BINS bins."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from dp_agents.errors import StepInputError
from dp_agents.traffic.names import STEP_MINUTES

BIN_S = STEP_MINUTES * 60
FILL_BINS = 6


def parse_time(value: object, what: str) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise StepInputError(f"{what}: {value!r} is not an ISO time") from exc


def fill_along_time(values: np.ndarray) -> np.ndarray:
    """Linear interpolation of NaNs down each column, nearest value beyond the ends."""
    filled = np.array(values, np.float64)
    steps = np.arange(len(filled))
    for column in np.nonzero(np.isnan(filled).any(axis=0))[0]:
        known = ~np.isnan(filled[:, column])
        if known.any():
            filled[:, column] = np.interp(steps, steps[known], filled[known, column])
    return filled


def epoch_seconds(times: list[datetime]) -> np.ndarray:
    return np.array(
        [t.timestamp() if t.tzinfo else (t - datetime(1970, 1, 1)).total_seconds() for t in times]
    )


def bin_means(times: np.ndarray, values: np.ndarray, end_bin: int, bins: int) -> np.ndarray:
    """Means of `values` (n, k) per 5-minute bin for the `bins` bins ending at `end_bin`; NaN if empty."""
    index = np.floor(times / BIN_S).astype(np.int64) - (end_bin - bins + 1)
    inside = (index >= 0) & (index < bins)
    sums = np.zeros((bins, values.shape[1]))
    counts = np.zeros(bins)
    np.add.at(sums, index[inside], values[inside])
    np.add.at(counts, index[inside], 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts[:, None]


def carry_forward(values: np.ndarray, limit: int = FILL_BINS) -> np.ndarray:
    """Each NaN takes the last value above it in its column, at most `limit` rows back."""
    filled = np.array(values, np.float64)
    for column in range(filled.shape[1]):
        last, age = np.nan, 0
        for row in range(len(filled)):
            if np.isnan(filled[row, column]):
                age += 1
                if age <= limit:
                    filled[row, column] = last
            else:
                last, age = filled[row, column], 0
    return filled

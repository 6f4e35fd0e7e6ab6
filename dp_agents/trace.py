"""Request traces derived from real traffic: road congestion in METR-LA becomes request rate.

Each 5-minute slot of a day's mean loop speed is compressed to `seconds_per_slot` of trace time;
its congestion (how far the speed sits below free flow) scales the request rate, so rush hours
are bursts and free-flowing hours are idle gaps long enough for instances to scale to zero.
Arrivals are Poisson within each slot. Pure: speeds and a seed in, arrival times out.
"""

from __future__ import annotations

import numpy as np


def congestion(speeds: np.ndarray, quiet_fraction: float = 0.15) -> np.ndarray:
    """0 at free flow (the day's upper quartile speed) .. 1 at the day's slowest; slots below
    `quiet_fraction` are set to 0 (idle)."""
    free, slowest = float(np.percentile(speeds, 75)), float(speeds.min())
    level = np.clip((free - speeds) / max(free - slowest, 1e-9), 0.0, 1.0)
    return np.where(level < quiet_fraction, 0.0, level)


def arrivals(speeds: np.ndarray, requests: int, seconds_per_slot: float, seed: int) -> list[float]:
    """About `requests` arrival times (seconds from 0) following the day's congestion."""
    level = congestion(speeds)
    if level.sum() == 0:
        return []
    rate = level * requests / (level.sum() * seconds_per_slot)  # requests per second in each slot
    rng = np.random.default_rng(seed)
    times: list[float] = []
    for slot, per_second in enumerate(rate):
        count = rng.poisson(per_second * seconds_per_slot)
        start = slot * seconds_per_slot
        times.extend(sorted(start + rng.uniform(0.0, seconds_per_slot, count)))
    return [round(float(t), 4) for t in times]


def idle_gaps(times: list[float], longer_than: float) -> int:
    """How many gaps between consecutive arrivals exceed `longer_than` seconds (cold starts follow)."""
    return sum(1 for a, b in zip(times, times[1:], strict=False) if b - a > longer_than)

"""How much worse a failure makes host pairs, summed over a block of the distance matrix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.analysis.graph import HOP_UNIT


@dataclass(frozen=True)
class Damage:
    degraded: float = 0.0            # host pairs whose path got worse (weighted count)
    added_ns: float = 0.0            # their added latency, summed
    max_added_ns: float = 0.0
    max_added_hops: int | None = None   # may be negative: slower over fewer hops
    max_stretch: float | None = None    # worst after/before latency ratio of a host pair

    def plus(self, other: Damage) -> Damage:
        return Damage(self.degraded + other.degraded, self.added_ns + other.added_ns,
                      max(self.max_added_ns, other.max_added_ns),
                      _max(self.max_added_hops, other.max_added_hops),
                      _max(self.max_stretch, other.max_stretch))


def _max(a, b):
    return b if a is None else a if b is None else max(a, b)


def damage(before: np.ndarray, after: np.ndarray, weight: np.ndarray, access: np.ndarray) -> Damage:
    """Element-wise over arrays of one shape: path keys between entry nodes before and
    after, the host pairs behind each entry pair (weight) and their shortest access
    latency in ns (which gives the worst latency ratio among those host pairs)."""
    worse = (after > before) & (weight > 0)
    if not worse.any():
        return Damage()
    old, new, weight, access = before[worse], after[worse], weight[worse], access[worse]
    lat_old, lat_new = np.floor(old / HOP_UNIT), np.floor(new / HOP_UNIT)
    added = lat_new - lat_old
    denominator = access + lat_old
    positive = denominator > 0
    stretch = float(((access + lat_new)[positive] / denominator[positive]).max()) if positive.any() else None
    hops = (new - lat_new * HOP_UNIT) - (old - lat_old * HOP_UNIT)
    return Damage(float(weight.sum()), float((weight * added).sum()), float(added.max()), int(hops.max()),
                  stretch)

"""Admitted slices as the analyses see them: reserved rates along fixed paths.

A slice reserves its guaranteed rate on every link of each of its paths, in both
directions (links are full duplex with `bandwidth_mbps` each way, and slice routes are
symmetric), so one number per link is the load of either direction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from twin.analysis.graph import path_links


@dataclass(frozen=True)
class AdmittedSlice:
    name: str
    rate_mbps: float                         # guaranteed rate (0: latency-only slice)
    paths: tuple[tuple[str, ...], ...]       # one node sequence per endpoint pair
    latency_ms: float | None = None          # the bound, if the slice has one

    @classmethod
    def from_dict(cls, doc: dict) -> AdmittedSlice:
        return cls(name=str(doc["name"]), rate_mbps=float(doc.get("rate_mbps") or 0.0),
                   paths=tuple(tuple(str(n) for n in path) for path in doc.get("paths", [])),
                   latency_ms=None if doc.get("latency_ms") is None else float(doc["latency_ms"]))

    def links(self) -> frozenset[tuple[str, str]]:
        return frozenset(link for path in self.paths for link in path_links(path))

    def to_dict(self) -> dict:
        return {"name": self.name, "rate_mbps": self.rate_mbps, "latency_ms": self.latency_ms,
                "paths": [list(path) for path in self.paths]}


def link_loads(slices: Iterable[AdmittedSlice]) -> dict[tuple[str, str], float]:
    """Reserved Mbit/s per link (sorted ends). A slice counts once per link even when
    several of its paths share it: its guarantee is one rate, not one per path."""
    loads: dict[tuple[str, str], float] = {}
    for admitted in slices:
        for link in admitted.links():
            loads[link] = loads.get(link, 0.0) + admitted.rate_mbps
    return loads

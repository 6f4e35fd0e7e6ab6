"""Typed answers shared by the path questions (pybatfish style: data, not prose).

A question that has no satisfying path returns a PathAnswer whose `refusal` says why,
naming the element at fault (the bottleneck link, the violated bound, the waypoint).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from twin.analysis.graph import path_links

RefusalReason = Literal["unreachable", "capacity", "latency", "breaks_slice", "waypoint"]


@dataclass(frozen=True)
class Route:
    """A node sequence with its modelled propagation latency and hop count."""

    nodes: tuple[str, ...]
    latency_ms: float
    hops: int

    @property
    def links(self) -> tuple[str, ...]:
        return tuple(f"{a}-{b}" for a, b in path_links(self.nodes))

    def crosses_link(self, ends: tuple[str, str]) -> bool:
        return tuple(sorted(ends)) in path_links(self.nodes)

    def crosses_node(self, node: str) -> bool:
        return node in self.nodes

    def to_dict(self) -> dict:
        return {"nodes": list(self.nodes), "latency_ms": round(self.latency_ms, 6), "hops": self.hops}


@dataclass(frozen=True)
class Refusal:
    reason: RefusalReason
    message: str
    link: str | None = None           # the bottleneck link, `a-b`
    node: str | None = None           # the waypoint or avoided node at fault
    slice: str | None = None          # the admitted slice that would break
    bound_ms: float | None = None
    best_latency_ms: float | None = None
    needed_mbps: float | None = None
    available_mbps: float | None = None

    def to_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}


@dataclass(frozen=True)
class PathAnswer:
    src: str
    dst: str
    route: Route | None = None
    refusal: Refusal | None = None
    latency_ms: float | None = None   # the full latency model's figure, when it was asked for

    @property
    def ok(self) -> bool:
        return self.route is not None

    def to_dict(self) -> dict:
        out: dict = {"src": self.src, "dst": self.dst, "ok": self.ok}
        if self.route is not None:
            out["route"] = self.route.to_dict()
        if self.latency_ms is not None:
            out["latency_ms"] = round(self.latency_ms, 6)
        if self.refusal is not None:
            out["refusal"] = self.refusal.to_dict()
        return out

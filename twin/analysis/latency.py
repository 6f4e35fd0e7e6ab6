"""The latency model: propagation + serialisation + M/M/1 queueing, per hop.

For one link crossed in one direction, with capacity C (Mbit/s), admitted load λ_b
(Mbit/s, the sum of the guaranteed rates of the slices routed over it) and packets of
L bytes:

    propagation    = the link's delay_ms
    serialisation  = 8 L / C                     (store and forward: paid on every hop)
    queueing       = W_q = ρ / (μ - λ) = (8 L / C) · ρ / (1 - ρ)
                     with μ = C / 8L packets/s, λ = λ_b / 8L, ρ = λ_b / C

W_q is the M/M/1 waiting time; the M/M/1 sojourn 1/(μ - λ) is serialisation + W_q, so
nothing is counted twice. At ρ >= 1 the queue is unstable and the latency is infinite:
such a link is refused. See README.md for the reasoning and a worked example.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from twin.analysis.graph import path_links, require_link
from twin.model import Link, Topology

DEFAULT_PACKET_BYTES = 1500
LinkLoads = Mapping[tuple[str, str], float]      # sorted link ends -> admitted Mbit/s


@dataclass(frozen=True)
class LatencyModel:
    packet_bytes: int = DEFAULT_PACKET_BYTES

    def serialisation_ms(self, link: Link) -> float:
        return self.packet_bytes * 8 / (link.bandwidth_mbps * 1e3)

    def queueing_ms(self, link: Link, load_mbps: float) -> float:
        rho = load_mbps / link.bandwidth_mbps
        if rho >= 1:
            return math.inf
        return self.serialisation_ms(link) * rho / (1 - rho)

    def hop(self, link: Link, load_mbps: float = 0.0) -> HopLatency:
        return HopLatency(link.key, link.delay_ms, self.serialisation_ms(link),
                          self.queueing_ms(link, load_mbps), load_mbps / link.bandwidth_mbps)

    def link_ms(self, link: Link, load_mbps: float = 0.0) -> float:
        return link.delay_ms + self.serialisation_ms(link) + self.queueing_ms(link, load_mbps)


@dataclass(frozen=True)
class HopLatency:
    link: str
    propagation_ms: float
    serialisation_ms: float
    queueing_ms: float
    utilisation: float

    @property
    def total_ms(self) -> float:
        return self.propagation_ms + self.serialisation_ms + self.queueing_ms


@dataclass(frozen=True)
class LatencyBreakdown:
    nodes: tuple[str, ...]
    hops: tuple[HopLatency, ...]
    packet_bytes: int

    @property
    def propagation_ms(self) -> float:
        return sum(h.propagation_ms for h in self.hops)

    @property
    def serialisation_ms(self) -> float:
        return sum(h.serialisation_ms for h in self.hops)

    @property
    def queueing_ms(self) -> float:
        return sum(h.queueing_ms for h in self.hops)

    @property
    def total_ms(self) -> float:
        return self.propagation_ms + self.serialisation_ms + self.queueing_ms

    @property
    def saturated(self) -> tuple[str, ...]:
        """Links at or above capacity: the reason a total is infinite."""
        return tuple(h.link for h in self.hops if h.utilisation >= 1)

    def to_dict(self) -> dict:
        def num(value: float) -> float | None:
            return None if math.isinf(value) else round(value, 6)
        return {"nodes": list(self.nodes), "packet_bytes": self.packet_bytes,
                "propagation_ms": num(self.propagation_ms), "serialisation_ms": num(self.serialisation_ms),
                "queueing_ms": num(self.queueing_ms), "total_ms": num(self.total_ms),
                "saturated": list(self.saturated),
                "hops": [{"link": h.link, "propagation_ms": num(h.propagation_ms),
                          "serialisation_ms": num(h.serialisation_ms), "queueing_ms": num(h.queueing_ms),
                          "utilisation": round(h.utilisation, 6)} for h in self.hops]}


def path_latency(topo: Topology, nodes: tuple[str, ...] | list[str], loads: LinkLoads | None = None,
                 model: LatencyModel = LatencyModel()) -> LatencyBreakdown:
    """The modelled one-way latency of a packet along `nodes`, given the admitted loads."""
    loads = loads or {}
    hops = tuple(model.hop(require_link(topo, a, b), loads.get((a, b), 0.0))
                 for a, b in path_links(tuple(nodes)))
    return LatencyBreakdown(tuple(nodes), hops, model.packet_bytes)

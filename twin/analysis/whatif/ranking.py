"""Every single-link failure of a topology, ranked by impact.

Bridges: host pairs across them are disconnected, nothing else changes (counted from
Tarjan's subtree sizes). Other links: only pairs whose path enters and leaves the link's
2-edge-connected component can change, and only by how the distance between their entry
and exit nodes changes, so each component is analysed once with host weights on its
nodes (see component.py). "Degraded" means strictly worse by (latency, hops): a pair that
was rerouted onto an equally good path is not harmed and is not counted here (the single
failure answer, whatif.single, lists it under `rerouted`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from twin.analysis.whatif.chains import decompose
from twin.analysis.whatif.component import ComponentDistances
from twin.analysis.whatif.damage import Damage
from twin.analysis.whatif.structure import (
    BridgeSides,
    SwitchGraph,
    bridge_sides,
    entry_offsets,
    two_edge_components,
)
from twin.model import Topology


@dataclass(frozen=True)
class FailureImpact:
    link: str
    bridge: bool
    disconnected_pairs: int
    degraded_pairs: int
    added_ms_total: float = 0.0
    max_added_ms: float = 0.0
    max_added_hops: int | None = None
    max_latency_stretch: float | None = None

    @property
    def affected_pairs(self) -> int:
        return self.disconnected_pairs + self.degraded_pairs

    @property
    def mean_added_ms(self) -> float:
        return self.added_ms_total / self.degraded_pairs if self.degraded_pairs else 0.0

    def rank_key(self) -> tuple:
        return (-self.disconnected_pairs, -self.degraded_pairs, -self.added_ms_total, self.link)

    def to_dict(self) -> dict:
        stretch = self.max_latency_stretch
        return {"link": self.link, "bridge": self.bridge, "affected_pairs": self.affected_pairs,
                "disconnected_pairs": self.disconnected_pairs, "degraded_pairs": self.degraded_pairs,
                "mean_added_ms": round(self.mean_added_ms, 6), "max_added_ms": round(self.max_added_ms, 6),
                "max_added_hops": self.max_added_hops,
                "max_latency_stretch": None if stretch is None else round(stretch, 6)}


@dataclass(frozen=True)
class FailureRanking:
    topology: str
    host_pairs: int                       # reachable host pairs with every link up
    failures: tuple[FailureImpact, ...]   # most harmful first

    def top(self, count: int) -> tuple[FailureImpact, ...]:
        return self.failures[:count]

    def to_dict(self, limit: int | None = None) -> dict:
        shown = self.failures if limit is None else self.failures[:limit]
        return {"topology": self.topology, "host_pairs": self.host_pairs, "links": len(self.failures),
                "failures": [impact.to_dict() for impact in shown]}


def all_single_link_failures(topo: Topology, include_access_links: bool = False) -> FailureRanking:
    """Rank every switch-to-switch link (and host access links, if asked) by its failure's impact."""
    graph = SwitchGraph.of(topo)
    sides = bridge_sides(graph)
    impacts = [_bridge_impact(graph, sides, eid) for eid, bridge in enumerate(sides.is_bridge) if bridge]
    for members in two_edge_components(graph, sides):
        impacts.extend(_component_impacts(graph, sides, members))
    if include_access_links:
        impacts.extend(_access_impacts(topo, graph, sides))
    return FailureRanking(topo.name, _reachable_pairs(graph, sides),
                          tuple(sorted(impacts, key=FailureImpact.rank_key)))


def _bridge_impact(graph: SwitchGraph, sides: BridgeSides, eid: int) -> FailureImpact:
    one, other = sides.split(graph, eid)
    return FailureImpact(graph.links[eid].key, True, one * other, 0)


def _component_impacts(graph: SwitchGraph, sides: BridgeSides, members: list[int]) -> list[FailureImpact]:
    member_set = set(members)
    hosts = np.zeros(len(members))
    for i, node in enumerate(members):
        hosts[i] = graph.hosts[node] + sum(sides.hanging_hosts(graph, node, eid, nbr)
                                           for nbr, eid in graph.adj[node] if sides.is_bridge[eid])
    offsets = entry_offsets(graph, member_set)
    access = np.array([offsets[node] for node in members])
    component = ComponentDistances(members, decompose(graph, members, sides.is_bridge), hosts, access)
    impacts = []
    for chain in component.parts.chains:
        for eid, harm in zip(chain.edges, component.chain_failures(chain), strict=True):
            impacts.append(_as_impact(graph.links[eid].key, harm))
    return impacts


def _as_impact(link: str, harm: Damage) -> FailureImpact:
    return FailureImpact(link, False, 0, round(harm.degraded), harm.added_ns / 1e6,
                         harm.max_added_ns / 1e6, harm.max_added_hops, harm.max_stretch)


def _access_impacts(topo: Topology, graph: SwitchGraph, sides: BridgeSides) -> list[FailureImpact]:
    index = {name: i for i, name in enumerate(graph.names)}
    impacts = []
    for host in topo.hosts():
        link = topo.links_of(host.name)[0]
        others = sides.component_hosts[index[link.other(host.name)]] - 1
        impacts.append(FailureImpact(link.key, True, others, 0))
    return impacts


def _reachable_pairs(graph: SwitchGraph, sides: BridgeSides) -> int:
    roots = [node for node, parent in enumerate(sides.parent_edge) if parent < 0]
    return sum(sides.component_hosts[root] * (sides.component_hosts[root] - 1) // 2 for root in roots)

"""Which hosts can reach which on the model: connected components of the forwarding graph.

Hosts have exactly one link (the model enforces it), so they can never carry transit and
plain connectivity is the forwarding reachability.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from twin.model import Topology

HostPair = tuple[str, str]          # always (a, b) with a < b


@dataclass(frozen=True)
class Reachability:
    hosts: tuple[str, ...]
    pairs: frozenset[HostPair]      # reachable unordered host pairs

    def can_reach(self, a: str, b: str) -> bool:
        return a == b or ((a, b) if a < b else (b, a)) in self.pairs

    def lost_since(self, before: Reachability) -> frozenset[HostPair]:
        return before.pairs - self.pairs

    def to_dict(self) -> dict:
        return {"hosts": list(self.hosts), "reachable_pairs": len(self.pairs),
                "unreachable_pairs": sorted(map(list, self.unreachable()))}

    def unreachable(self) -> frozenset[HostPair]:
        return frozenset(combinations(self.hosts, 2)) - self.pairs


def components(topo: Topology) -> dict[str, int]:
    """node -> component id (union-find over the links)."""
    parent = {name: name for name in topo.nodes}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for link in topo.links:
        ra, rb = root(link.a), root(link.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = sorted({root(name) for name in topo.nodes})
    index = {r: i for i, r in enumerate(roots)}
    return {name: index[root(name)] for name in topo.nodes}


def reachability(topo: Topology) -> Reachability:
    hosts = tuple(sorted(node.name for node in topo.hosts()))
    comp = components(topo)
    groups: dict[int, list[str]] = {}
    for host in hosts:
        groups.setdefault(comp[host], []).append(host)
    pairs = frozenset(pair for members in groups.values() for pair in combinations(members, 2))
    return Reachability(hosts, pairs)

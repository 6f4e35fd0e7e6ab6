"""The switch-level structure that makes all-single-failure analysis cheap.

Hosts are folded into their switches (a weight: how many hosts hang there; an offset:
the shortest access delay). Tarjan's DFS finds the bridges and, in the same pass, the
host weight on each side of every bridge: a bridge failure disconnects exactly
side x other side host pairs and changes no other path. Every other link lies in a
2-edge-connected component (2ECC) and its failure only matters between the points where
traffic enters and leaves that component.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from twin.analysis.graph import delay_ns, link_key
from twin.model import Link, Topology


@dataclass(frozen=True)
class SwitchGraph:
    names: tuple[str, ...]                       # switches, sorted
    links: tuple[Link, ...]                      # switch-to-switch links; edge id = position
    adj: tuple[tuple[tuple[int, int], ...], ...]  # node -> ((neighbour, edge id), ...)
    keys: tuple[int, ...]                        # edge id -> path key of the link
    hosts: tuple[int, ...]                       # node -> hosts attached
    access_ns: tuple[float, ...]                 # node -> shortest access delay (inf: no host)
    edge_ends: tuple[tuple[int, int], ...]       # edge id -> (a, b) node ids

    @classmethod
    def of(cls, topo: Topology) -> SwitchGraph:
        names = tuple(sorted(node.name for node in topo.switches()))
        index = {name: i for i, name in enumerate(names)}
        links = tuple(sorted((link for link in topo.links if link.a in index and link.b in index),
                             key=lambda link: link.ends))
        adj: list[list[tuple[int, int]]] = [[] for _ in names]
        for eid, link in enumerate(links):
            a, b = index[link.a], index[link.b]
            adj[a].append((b, eid))
            adj[b].append((a, eid))
        hosts = [0] * len(names)
        access = [float("inf")] * len(names)
        for link in topo.links:
            if link.a in index and link.b in index:
                continue
            sw = index[link.a] if link.a in index else index[link.b]
            hosts[sw] += 1
            access[sw] = min(access[sw], delay_ns(link.delay_ms))
        return cls(names, links, tuple(map(tuple, adj)), tuple(link_key(link) for link in links),
                   tuple(hosts), tuple(access), tuple((index[link.a], index[link.b]) for link in links))


@dataclass(frozen=True)
class BridgeSides:
    is_bridge: tuple[bool, ...]          # edge id -> bridge?
    parent_edge: tuple[int, ...]         # node -> DFS tree edge to its parent (-1 at roots)
    subtree_hosts: tuple[int, ...]       # node -> hosts in its DFS subtree
    component_hosts: tuple[int, ...]     # node -> hosts in its connected component

    def split(self, graph: SwitchGraph, eid: int) -> tuple[int, int]:
        """Host counts on the two sides of a bridge."""
        a, b = graph.edge_ends[eid]
        child = b if self.parent_edge[b] == eid else a
        return self.subtree_hosts[child], self.component_hosts[child] - self.subtree_hosts[child]

    def hanging_hosts(self, graph: SwitchGraph, node: int, eid: int, other: int) -> int:
        """Hosts reached from `node` through bridge `eid` (towards `other`)."""
        if self.parent_edge[other] == eid:
            return self.subtree_hosts[other]
        return self.component_hosts[node] - self.subtree_hosts[node]


def bridge_sides(graph: SwitchGraph) -> BridgeSides:
    """Iterative Tarjan: bridges, DFS parents and subtree host counts in one pass."""
    n = len(graph.names)
    disc, low, parent_edge = [-1] * n, [0] * n, [-1] * n
    sub = list(graph.hosts)
    comp_hosts = [0] * n
    bridge = [False] * len(graph.links)
    clock = 0
    for root in range(n):
        if disc[root] >= 0:
            continue
        disc[root] = low[root] = clock
        clock += 1
        members = [root]
        stack = [(root, iter(graph.adj[root]))]
        while stack:
            node, edges = stack[-1]
            for nbr, eid in edges:
                if eid == parent_edge[node]:
                    continue
                if disc[nbr] < 0:
                    disc[nbr] = low[nbr] = clock
                    clock += 1
                    parent_edge[nbr] = eid
                    members.append(nbr)
                    stack.append((nbr, iter(graph.adj[nbr])))
                    break
                low[node] = min(low[node], disc[nbr])
            else:
                stack.pop()
                if stack:
                    up = stack[-1][0]
                    low[up] = min(low[up], low[node])
                    sub[up] += sub[node]
                    bridge[parent_edge[node]] = low[node] > disc[up]
        for member in members:
            comp_hosts[member] = sub[root]
    return BridgeSides(tuple(bridge), tuple(parent_edge), tuple(sub), tuple(comp_hosts))


def two_edge_components(graph: SwitchGraph, sides: BridgeSides) -> list[list[int]]:
    """Node sets of the 2ECCs that have a cycle (size >= 3), each sorted."""
    label = [-1] * len(graph.names)
    groups: list[list[int]] = []
    for start in range(len(graph.names)):
        if label[start] >= 0:
            continue
        label[start] = len(groups)
        group, frontier = [start], [start]
        while frontier:
            node = frontier.pop()
            for nbr, eid in graph.adj[node]:
                if not sides.is_bridge[eid] and label[nbr] < 0:
                    label[nbr] = label[start]
                    group.append(nbr)
                    frontier.append(nbr)
        groups.append(sorted(group))
    return [group for group in groups if len(group) >= 3]


def entry_offsets(graph: SwitchGraph, members: set[int]) -> dict[int, float]:
    """For each node of a 2ECC, the shortest latency (ns) to a host that enters the
    component there: its own hosts or those hanging off it through bridges."""
    dist = {node: 0.0 for node in members}
    origin = {node: node for node in members}
    heap = [(0.0, node) for node in sorted(members)]
    best = {node: float("inf") for node in members}
    while heap:
        d, node = heapq.heappop(heap)
        if d > dist[node]:
            continue
        best[origin[node]] = min(best[origin[node]], d + graph.access_ns[node])
        for nbr, eid in graph.adj[node]:
            if node in members and nbr in members:
                continue
            nd = d + delay_ns(graph.links[eid].delay_ms)
            if nd < dist.get(nbr, float("inf")):
                dist[nbr], origin[nbr] = nd, origin[node]
                heapq.heappush(heap, (nd, nbr))
    return best

"""Shortest-path forwarding for the controller: per switch, the out port toward each host.

Paths minimise modelled latency (link delay); a tiny per-hop cost breaks ties toward fewer
hops, and node insertion order makes the rest deterministic, so the controller and any
analysis that asks "which path does traffic take" agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from twin.model import Addressing, Topology

HOP_COST_MS = 1e-6


@dataclass(frozen=True)
class ForwardingEntry:
    switch: str
    host: str
    out_port: int


def latency_graph(topo: Topology) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(topo.nodes)
    for link in topo.links:
        graph.add_edge(link.a, link.b, weight=link.delay_ms + HOP_COST_MS)
    return graph


def next_hops_toward(topo: Topology, host: str, graph: nx.Graph | None = None) -> dict[str, str]:
    """For every switch that can reach `host`, the neighbour on its shortest path to it.

    Hosts never carry transit traffic: they are removed from the graph except the target.
    """
    graph = graph if graph is not None else latency_graph(topo)
    transit = graph.subgraph([n for n in graph if topo.nodes[n].is_switch or n == host])
    _, paths = nx.single_source_dijkstra(transit, host, weight="weight")
    return {node: path[-2] for node, path in paths.items()
            if len(path) >= 2 and topo.nodes[node].is_switch}


def forwarding_table(topo: Topology, addressing: Addressing) -> list[ForwardingEntry]:
    graph = latency_graph(topo)
    entries = []
    for host in addressing.hosts:
        if host not in topo.nodes:          # cut off in a what-if fork: nothing routes to it
            continue
        for switch, hop in next_hops_toward(topo, host, graph).items():
            entries.append(ForwardingEntry(switch, host, addressing.ports[(switch, hop)]))
    return entries


def host_path(topo: Topology, src: str, dst: str) -> list[str] | None:
    """The node sequence src..dst that the proactive routing installs, or None if unreachable."""
    hops = next_hops_toward(topo, dst)
    path = [src]
    current = topo.attachment(src)
    while current != dst:
        if current not in hops or len(path) > len(topo.nodes):
            return None
        path.append(current)
        current = hops[current]
    return path + [dst]

"""Paths through ordered waypoints, loop-free.

The path is built segment by segment (src -> w1 -> ... -> dst); each segment avoids the
nodes already used and the stops still to come, so no node is crossed twice. The best
segment is tried first; when a later segment then has no way through, up to
MAX_ALTERNATIVES next-best segments are tried (a bounded search: the exact shortest
loop-free waypoint path is a disjoint-paths problem, NP-hard in general).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice

import networkx as nx

from twin.analysis.answers import PathAnswer, Refusal
from twin.analysis.graph import Adjacency, link_key, require_nodes
from twin.analysis.paths import best_route, route_of
from twin.model import Topology

MAX_ALTERNATIVES = 4


def path_via(topo: Topology, src: str, dst: str, via: Sequence[str]) -> PathAnswer:
    require_nodes(topo, [src, dst, *via])
    refusal = _check_stops(topo, src, dst, via)
    if refusal is not None:
        return PathAnswer(src, dst, refusal=refusal)
    stops = (src, *via, dst)
    adj = Adjacency.of(topo)
    deepest = [0]
    nodes = _extend(adj, stops, 0, (src,), deepest)
    if nodes is None:
        stuck = stops[deepest[0] + 1]
        return PathAnswer(src, dst, refusal=Refusal(
            "waypoint", f"no loop-free path from {src} to {dst} through {' -> '.join(via)} in that order: "
            f"it cannot reach {stuck} without crossing a node twice", node=stuck))
    return PathAnswer(src, dst, route_of(adj, nodes))


def _check_stops(topo: Topology, src: str, dst: str, via: Sequence[str]) -> Refusal | None:
    for node in via:
        if node in (src, dst):
            return Refusal("waypoint", f"waypoint {node} is an end of the path", node=node)
        if topo.nodes[node].is_host:
            return Refusal("waypoint", f"waypoint {node} is a host; hosts do not forward traffic", node=node)
    repeated = sorted({node for node in via if list(via).count(node) > 1})
    if repeated:
        return Refusal("waypoint", f"waypoint {repeated[0]} is listed twice: the path would loop",
                       node=repeated[0])
    return None


def _extend(adj: Adjacency, stops: tuple[str, ...], index: int, prefix: tuple[str, ...],
            deepest: list[int]) -> tuple[str, ...] | None:
    if index == len(stops) - 1:
        return prefix
    banned = frozenset(prefix[:-1]) | frozenset(stops[index + 2:])
    for segment in _segments(adj, stops[index], stops[index + 1], banned):
        found = _extend(adj, stops, index + 1, prefix + segment[1:], deepest)
        if found is not None:
            return found
    deepest[0] = max(deepest[0], index)
    return None


def _segments(adj: Adjacency, a: str, b: str, banned: frozenset[str]) -> Iterator[tuple[str, ...]]:
    """The preferred segment, then the next best ones (networkx's Yen enumeration)."""
    best = best_route(adj, a, b, banned_nodes=banned)
    if best is None:
        return
    yield best.nodes
    graph = nx.Graph()
    for link in adj.topo.links:
        ends_ok = all(end not in banned and (adj.forwards(end) or end in (a, b)) for end in link.ends)
        if ends_ok:
            graph.add_edge(link.a, link.b, weight=link_key(link))
    for path in islice(nx.shortest_simple_paths(graph, a, b, weight="weight"), MAX_ALTERNATIVES + 1):
        if tuple(path) != best.nodes:
            yield tuple(path)

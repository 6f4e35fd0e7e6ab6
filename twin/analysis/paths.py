"""Shortest paths on the model, by modelled latency, deterministic to the last tie.

Order of preference between two paths: lower latency, then fewer hops, then the
lexicographically smaller sequence of node names. That order is kept by Dijkstra's
label-setting search because extending two paths by the same link preserves it. The
path between two hosts is searched from the smaller name and reversed for the other
direction, so routing between a pair is symmetric (a slice reserves the same links both
ways). Hosts terminate traffic: a search never passes through a host.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from twin.analysis.answers import PathAnswer, Refusal, Route
from twin.analysis.graph import HOP_UNIT, Adjacency, delay_ns, require_nodes
from twin.model import Link, Topology

LinkCost = Callable[[Link], int | None]       # latency in ns to cross the link; None: unusable


@dataclass(frozen=True)
class PathTree:
    """The preferred path from one source to every node it reaches, as parent pointers."""

    source: str
    key: dict[str, int]          # node -> path key (latency_ns, hops packed)
    parent: dict[str, str]

    def reaches(self, node: str) -> bool:
        return node in self.key

    def path(self, node: str) -> tuple[str, ...]:
        return _walk(self.parent, self.source, node)


def propagation_ns(link: Link) -> int:
    return delay_ns(link.delay_ms)


def search(adj: Adjacency, source: str, cost: LinkCost | None = None, *,
           banned_nodes: frozenset[str] = frozenset(), banned_links: frozenset[tuple[str, str]] = frozenset(),
           target: str | None = None) -> PathTree:
    """Dijkstra from `source` (until `target` is settled, if given). `cost` None means
    propagation delay, read from the precomputed link keys (the hot path of what-if).

    Equal keys are rare, so names are compared only then, by materialising both paths.
    """
    key: dict[str, int] = {source: 0}
    parent: dict[str, str] = {}
    done: set[str] = set()
    heap: list[tuple[int, str]] = [(0, source)]
    switches = adj.switches
    while heap:
        node_key, node = heapq.heappop(heap)
        if node in done or node_key != key[node]:
            continue
        done.add(node)
        if node == target:
            break
        if node != source and node not in switches:
            continue
        for nbr, link, step in adj.neighbours[node]:
            if nbr in done or nbr in banned_nodes or (banned_links and link.ends in banned_links):
                continue
            if cost is not None:
                ns = cost(link)
                if ns is None:
                    continue
                step = ns * HOP_UNIT + 1
            new_key = node_key + step
            old_key = key.get(nbr)
            if old_key is None or new_key < old_key:
                key[nbr], parent[nbr] = new_key, node
                heapq.heappush(heap, (new_key, nbr))
            elif new_key == old_key and _walk(parent, source, node) < _walk(parent, source, parent[nbr]):
                parent[nbr] = node
    settled = key if target is None else {node: key[node] for node in done}
    return PathTree(source, settled, parent)


def _walk(parent: dict[str, str], source: str, node: str) -> tuple[str, ...]:
    out = [node]
    while node != source:
        node = parent[node]
        out.append(node)
    return tuple(reversed(out))


def route_of(adj: Adjacency, nodes: tuple[str, ...]) -> Route:
    """A node sequence as a Route with its propagation latency."""
    total = sum(delay_ns(adj.by_ends[(a, b) if a <= b else (b, a)].delay_ms)
                for a, b in zip(nodes, nodes[1:], strict=False))
    return Route(nodes, total / 1_000_000, len(nodes) - 1)


def best_route(adj: Adjacency, src: str, dst: str, cost: LinkCost | None = None, **bans) -> Route | None:
    """The preferred path between two nodes, searched from the smaller name (symmetric)."""
    first, second = (src, dst) if src <= dst else (dst, src)
    tree = search(adj, first, cost, target=second, **bans)
    if not tree.reaches(second):
        return None
    nodes = tree.path(second)
    return route_of(adj, nodes if first == src else nodes[::-1])


def shortest_path(topo: Topology, src: str, dst: str) -> PathAnswer:
    require_nodes(topo, [src, dst])
    route = best_route(Adjacency.of(topo), src, dst)
    if route is None:
        return PathAnswer(src, dst, refusal=Refusal("unreachable", f"{dst} is not reachable from {src}"))
    return PathAnswer(src, dst, route)


def path_avoiding(topo: Topology, src: str, dst: str, nodes: Iterable[str] = (),
                  links: Iterable[tuple[str, str]] = ()) -> PathAnswer:
    """The preferred path that crosses none of the given nodes or links."""
    avoid_nodes = frozenset(nodes)
    avoid_links = frozenset(tuple(sorted(link)) for link in links)
    require_nodes(topo, [src, dst, *avoid_nodes, *(end for link in avoid_links for end in link)])
    named = ", ".join(sorted(avoid_nodes) + [f"{a}-{b}" for a, b in sorted(avoid_links)])
    for end in (src, dst):
        if end in avoid_nodes:
            return PathAnswer(src, dst, refusal=Refusal("unreachable", f"{end} is an end of the path and "
                                                        "cannot be avoided", node=end))
    route = best_route(Adjacency.of(topo), src, dst, banned_nodes=avoid_nodes, banned_links=avoid_links)
    if route is None:
        return PathAnswer(src, dst, refusal=Refusal("unreachable", f"no path from {src} to {dst} avoids "
                                                    f"{named}"))
    return PathAnswer(src, dst, route)


def host_routes(topo: Topology) -> dict[tuple[str, str], Route]:
    """The route of every reachable host pair (a, b), a < b."""
    adj = Adjacency.of(topo)
    hosts = sorted(node.name for node in topo.hosts())
    routes: dict[tuple[str, str], Route] = {}
    for index, src in enumerate(hosts):
        tree = search(adj, src)
        for dst in hosts[index + 1:]:
            if tree.reaches(dst):
                routes[(src, dst)] = route_of(adj, tree.path(dst))
    return routes

"""Constrained shortest path: the lowest-latency route that fits a rate and a latency bound.

Links whose residual capacity (bandwidth minus the rates of admitted slices) is below the
requested rate are pruned; the remaining links cost their full modelled latency with the
new slice's rate added to their load, so Dijkstra finds the route of least modelled
latency. Every term is additive per hop, so when that route misses the bound no route
meets it. Admission must also not push an admitted slice over its own bound (queueing on
shared links grows with load): that is checked last.
"""

from __future__ import annotations

from collections.abc import Iterable

from twin.analysis.answers import PathAnswer, Refusal, Route
from twin.analysis.graph import Adjacency, path_links, require_nodes
from twin.analysis.latency import LatencyModel, path_latency
from twin.analysis.paths import best_route, propagation_ns
from twin.analysis.slices import AdmittedSlice, link_loads
from twin.model import Link, Topology

EPSILON_MBPS = 1e-9


def constrained_path(topo: Topology, src: str, dst: str, rate_mbps: float = 0.0,
                     latency_bound_ms: float | None = None, admitted: Iterable[AdmittedSlice] = (),
                     model: LatencyModel = LatencyModel()) -> PathAnswer:
    require_nodes(topo, [src, dst])
    admitted = tuple(admitted)
    loads = link_loads(admitted)
    adj = Adjacency.of(topo)

    def cost(link: Link) -> int | None:
        load = loads.get(link.ends, 0.0)
        if link.bandwidth_mbps - load < rate_mbps - EPSILON_MBPS or load + rate_mbps >= link.bandwidth_mbps:
            return None
        return round(model.link_ms(link, load + rate_mbps) * 1e6)

    route = best_route(adj, src, dst, cost)
    if route is None:
        return PathAnswer(src, dst, refusal=_no_room(adj, src, dst, rate_mbps, loads, admitted))
    new_loads = dict(loads)
    for link in path_links(route.nodes):
        new_loads[link] = new_loads.get(link, 0.0) + rate_mbps
    latency = path_latency(topo, route.nodes, new_loads, model).total_ms
    if latency_bound_ms is not None and latency > latency_bound_ms:
        return PathAnswer(src, dst, latency_ms=latency, refusal=Refusal(
            "latency", f"the lowest modelled latency from {src} to {dst} is {latency:.4f} ms "
            f"(via {'-'.join(route.nodes)}), above the bound of {latency_bound_ms} ms",
            bound_ms=latency_bound_ms, best_latency_ms=round(latency, 6)))
    broken = _broken_slice(topo, route, admitted, new_loads, model)
    if broken is not None:
        return PathAnswer(src, dst, latency_ms=latency, refusal=broken)
    return PathAnswer(src, dst, route, latency_ms=latency)


def _no_room(adj: Adjacency, src: str, dst: str, rate: float, loads: dict,
             admitted: tuple[AdmittedSlice, ...]) -> Refusal:
    """Name the bottleneck of the widest path: no path has more room than its tightest link."""
    def residual(link: Link) -> float:
        return link.bandwidth_mbps - loads.get(link.ends, 0.0)

    route = _widest_route(adj, src, dst, residual)
    if route is None:
        return Refusal("unreachable", f"{dst} is not reachable from {src} at all")
    links = [adj.by_ends[ends] for ends in path_links(route.nodes)]
    tight = min(links, key=lambda link: (residual(link), link.key))
    holders = sorted(s.name for s in admitted if tight.ends in s.links())
    by = f", reserved by {', '.join(holders)}" if holders else ""
    return Refusal("capacity", f"no path from {src} to {dst} has {rate:g} Mbit/s to spare: the widest one "
                   f"(via {'-'.join(route.nodes)}) is limited by link {tight.key}, which has "
                   f"{residual(tight):g} of {tight.bandwidth_mbps:g} Mbit/s left{by} (a link must stay "
                   "below full utilisation)", link=tight.key, needed_mbps=rate,
                   available_mbps=round(residual(tight), 6))


def _widest_route(adj: Adjacency, src: str, dst: str, residual) -> Route | None:
    """The lowest-latency route among those whose tightest link has the most room
    (binary search over the distinct residuals: a few Dijkstra runs)."""
    def route_at(width: float) -> Route | None:
        def cost(link: Link) -> int | None:
            return None if residual(link) < width else propagation_ns(link)
        return best_route(adj, src, dst, cost)

    widths = sorted({residual(link) for link in adj.topo.links})
    if route_at(widths[0]) is None:
        return None
    low, high = 0, len(widths) - 1          # a route exists at widths[low]
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if route_at(widths[mid]) is not None else (low, mid - 1)
    return route_at(widths[low])


def _broken_slice(topo: Topology, route: Route, admitted: tuple[AdmittedSlice, ...], loads: dict,
                  model: LatencyModel) -> Refusal | None:
    shared = set(path_links(route.nodes))
    for other in admitted:
        if other.latency_ms is None:
            continue
        for path in other.paths:
            common = shared & set(path_links(path))
            if not common:
                continue
            latency = path_latency(topo, path, loads, model).total_ms
            if latency > other.latency_ms:
                busiest = max(sorted(common), key=lambda ends: loads[ends] / topo.link(*ends).bandwidth_mbps)
                return Refusal("breaks_slice", f"admitting it raises slice {other.name}'s modelled latency "
                               f"to {latency:.4f} ms, above its bound of {other.latency_ms} ms",
                               link="-".join(busiest), slice=other.name, bound_ms=other.latency_ms,
                               best_latency_ms=round(latency, 6))
    return None

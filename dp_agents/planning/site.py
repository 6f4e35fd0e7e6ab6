"""Where a service should run: the compute node nearest the request's source, from the twin's model.

Distance is the modelled path delay (link delays; hosts carry no transit traffic), and a node
qualifies when its capacity covers the plan's heaviest stage. The executor makes the final
placement per step; this is the planner's estimate for the latency budget.
"""

from __future__ import annotations

import networkx as nx

from dp_agents.errors import IntentError
from dp_agents.planning.plan import Site
from twin.analysis.routing import latency_graph
from twin.model import Topology


def nearest_site(topo: Topology, near: str, cpu: float, memory_mib: int) -> Site | None:
    if near not in topo.nodes:
        raise IntentError(
            f"node {near!r} is not in topology {getattr(topo, 'name', '')!r}; known hosts: "
            f"{', '.join(sorted(h for h in topo.nodes if topo.nodes[h].is_host))}"
        )
    graph = latency_graph(topo)
    transit = graph.subgraph([n for n in graph if not topo.nodes[n].is_host or n == near])
    delays, paths = nx.single_source_dijkstra(transit, near, weight="weight")
    fits = [n for n in paths if _fits(topo, n, cpu, memory_mib)]
    if not fits:
        return None
    best = min(fits, key=lambda n: (delays[n], len(paths[n]), n))
    path = tuple(paths[best])
    return Site(best, len(path) - 1, path, round(_delay(topo, path), 4), _bottleneck(topo, path))


def _fits(topo: Topology, node: str, cpu: float, memory_mib: int) -> bool:
    capacity = topo.nodes[node].capacity
    return capacity is not None and capacity.cpu >= cpu and capacity.memory_mib >= memory_mib


def _delay(topo: Topology, path: tuple[str, ...]) -> float:
    return sum(topo.link(a, b).delay_ms for a, b in zip(path, path[1:], strict=False))


def _bottleneck(topo: Topology, path: tuple[str, ...]) -> float:
    return min(
        (topo.link(a, b).bandwidth_mbps for a, b in zip(path, path[1:], strict=False)), default=float("inf")
    )


def transfer_ms(site: Site | None, request_bytes: int, answer_bytes: int = 2_000) -> float:
    """Request in and answer out over the site's path: propagation plus serialisation."""
    if site is None or site.hops == 0:
        return 0.0
    serialise = (request_bytes + answer_bytes) * 8 / (site.bottleneck_mbps * 1000.0)
    return 2 * site.path_delay_ms + serialise

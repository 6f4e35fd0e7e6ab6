"""Placement: which node runs a step. Pure: topology + node loads in, a decision out.

Rule: among nodes that run an executor, are not draining, offer the function's accelerator
(if it needs one) and either hold a warm instance of the function with a free slot or have
enough free cpu and memory for a new one, take the one nearest to the data source: lowest
modelled latency (shortest path by link delay_ms), then fewest hops, then name. A node is
never given more than its capacity.

Warm means warm for the runtime the request will run on: an idle wasm instance cannot serve a
container request, so on a full node it must not attract one (the request would queue there
until an instance is evicted or expires, while a node with room waits nearby).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx

from edge_exec.capacity import NodeCapacity
from edge_exec.errors import FunctionError, PlacementError
from edge_exec.functions import Function


@dataclass(frozen=True)
class Proximity:
    node: str
    latency_ms: float
    hops: int


@dataclass(frozen=True)
class NodeView:
    """What placement needs to know about one node executor (from its load report)."""

    node: str
    capacity: NodeCapacity
    reserved_cpu: float = 0.0
    reserved_memory_mib: int = 0
    draining: bool = False
    warm: frozenset[tuple[str, str]] = field(default_factory=frozenset)   # (function, runtime) with a free slot
    reachable: bool = True

    @classmethod
    def from_load(cls, load: dict) -> NodeView:
        cap = load["capacity"]
        # an idle live instance can take a request for its own runtime without new capacity
        warm = frozenset((row["function"], row["runtime"]) for row in load.get("instances", [])
                         if row["alive"] and row["in_flight"] == 0)
        return cls(load["node"], NodeCapacity(cap["cpu"], cap["memory_mib"], cap.get("accelerator")),
                   cap["reserved_cpu"], cap["reserved_memory_mib"], load["draining"], warm)

    def is_warm(self, function: Function, runtime: str) -> bool:
        return (function.name, runtime) in self.warm

    def fits(self, function: Function) -> bool:
        return (self.reserved_cpu + function.limits.cpu <= self.capacity.cpu + 1e-9
                and self.reserved_memory_mib + function.limits.memory_mib <= self.capacity.memory_mib)


@dataclass(frozen=True)
class Placement:
    node: str
    latency_ms: float
    hops: int
    warm: bool


def proximity(topology, source: str) -> dict[str, Proximity]:
    """Modelled latency and hop count from `source` to every reachable node."""
    if source not in topology.nodes:
        raise PlacementError(f"data source {source!r} is not a node of topology {topology.name!r}")
    graph = nx.Graph()
    graph.add_nodes_from(topology.nodes)
    for link in topology.links:
        graph.add_edge(link.a, link.b, delay=link.delay_ms)
    latency, paths = nx.single_source_dijkstra(graph, source, weight="delay")
    return {node: Proximity(node, round(latency[node], 6), len(paths[node]) - 1) for node in latency}


def _refusal(view: NodeView, function: Function, runtime: str) -> str | None:
    if not view.reachable:
        return "executor unreachable"
    if view.draining:
        return "draining"
    if function.accelerator and view.capacity.accelerator != function.accelerator:
        return f"no {function.accelerator}"
    if not view.is_warm(function, runtime) and not view.fits(function):
        free_mem = view.capacity.memory_mib - view.reserved_memory_mib
        return f"full (free cpu {view.capacity.cpu - view.reserved_cpu:.2f}, memory {free_mem} MiB)"
    return None


def place(function: Function, source: str, topology, views: Mapping[str, NodeView],
          exclude: frozenset[str] = frozenset(), runtime: str | None = None) -> Placement:
    """`views` may be lazy: a node's view is read only when the nodes nearer to it were refused.
    `runtime` is the one the request will run on (default: the function's first, as the node
    executor does when none is named)."""
    runtime = runtime or function.runtimes[0]
    if runtime not in function.runtimes:
        raise FunctionError(f"{function.name} has no artifact for runtime {runtime!r} "
                            f"(has {', '.join(function.runtimes)})")
    near = proximity(topology, source)
    refused: dict[str, str] = {}
    for name in sorted(views, key=lambda n: (near[n].latency_ms, near[n].hops, n) if n in near else
                       (float("inf"), 0, n)):
        if name in exclude:
            refused[name] = "excluded"
        elif name not in near:
            refused[name] = f"unreachable from {source}"
        elif (reason := _refusal(views[name], function, runtime)) is not None:
            refused[name] = reason
        else:
            return Placement(name, near[name].latency_ms, near[name].hops, views[name].is_warm(function, runtime))
    detail = "; ".join(f"{n}: {r}" for n, r in refused.items()) or "no node executors running"
    raise PlacementError(f"no node can run {function.name} near {source} ({detail})")

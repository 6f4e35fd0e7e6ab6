"""Benchmark: every single-link failure of a Topology Zoo graph, with affected pairs and stretch.

    python benchmarks/whatif.py --json [--topology FILE] [--repeat 3] [--baseline-sample 12]

Times twin.analysis.whatif.all_single_link_failures (min and median over --repeat runs)
against the obvious method: networkx all-pairs Dijkstra after each failure, compared
with the all-pairs distances before it. The baseline is timed on an evenly spread
sample of failures and extrapolated to all of them (`baseline_estimated_from` says how
many); on that sample both methods' disconnected and degraded pair counts are compared.
Prints one JSON object on stdout; `cpu_seconds_min` is the process CPU time, which a
shared machine's load does not inflate the way it inflates wall time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from twin.analysis.graph import link_key  # noqa: E402
from twin.analysis.whatif import all_single_link_failures  # noqa: E402
from twin.model import load_topology  # noqa: E402

DEFAULT_TOPOLOGY = "/work/shared/data/topologyzoo/Kdl.gml"


def switch_graph(topo) -> tuple[nx.Graph, dict[str, int]]:
    graph = nx.Graph()
    graph.add_nodes_from(node.name for node in topo.switches())
    for link in topo.links:
        if topo.nodes[link.a].is_switch and topo.nodes[link.b].is_switch:
            graph.add_edge(link.a, link.b, weight=link_key(link))
    hosts = {name: 0 for name in graph}
    for host in topo.hosts():
        hosts[topo.attachment(host.name)] += 1
    return graph, hosts


def baseline_failure(graph: nx.Graph, hosts: dict[str, int], before: dict, a: str, b: str) -> tuple[int, int]:
    """(disconnected, degraded) host pairs, the brute-force way."""
    data = graph.edges[a, b]
    graph.remove_edge(a, b)
    try:
        after = dict(nx.all_pairs_dijkstra_path_length(graph, weight="weight"))
    finally:
        graph.add_edge(a, b, **data)
    disconnected = degraded = 0
    for src, row in before.items():
        for dst, key in row.items():
            if src >= dst:
                continue
            weight = hosts[src] * hosts[dst]
            new = after[src].get(dst)
            if new is None:
                disconnected += weight
            elif new > key:
                degraded += weight
    return disconnected, degraded


def run(path: str, repeat: int, sample: int) -> dict:
    topo = load_topology(path)
    times, cpu, ranking = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        ranking = all_single_link_failures(topo)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    graph, hosts = switch_graph(topo)
    before = dict(nx.all_pairs_dijkstra_path_length(graph, weight="weight"))
    by_link = {impact.link: impact for impact in ranking.failures}
    links = sorted(by_link)
    step = max(1, len(links) // sample)
    picked = links[::step][:sample]
    agree = 0
    start, start_cpu = time.perf_counter(), time.process_time()
    for key in picked:
        result = baseline_failure(graph, hosts, before, *key.split("-"))
        agree += result == (by_link[key].disconnected_pairs, by_link[key].degraded_pairs)
    baseline = (time.perf_counter() - start) / len(picked) * len(links)
    baseline_cpu = (time.process_time() - start_cpu) / len(picked) * len(links)
    return {"topology": topo.name, "switches": len(topo.switches()), "links": len(links),
            "host_pairs": ranking.host_pairs, "seconds": round(min(times), 3),
            "seconds_median": round(statistics.median(times), 3), "repeat": repeat,
            "cpu_seconds_min": round(min(cpu), 3),     # wall time suffers when the 2 cores are shared
            "baseline_seconds": round(baseline, 1), "baseline_cpu_seconds": round(baseline_cpu, 1),
            "baseline_estimated_from": len(picked), "baseline_agrees_on": f"{agree}/{len(picked)}",
            "speedup": round(baseline / min(times), 1), "speedup_cpu": round(baseline_cpu / min(cpu), 1),
            "worst": [{"link": impact.link, "affected_pairs": impact.affected_pairs,
                       "disconnected_pairs": impact.disconnected_pairs,
                       "degraded_pairs": impact.degraded_pairs,
                       "max_latency_stretch": None if impact.max_latency_stretch is None
                       else round(impact.max_latency_stretch, 4)} for impact in ranking.top(10)],
            "worst_without_disconnection": [impact.to_dict() for impact in ranking.failures
                                            if not impact.disconnected_pairs][:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object (the only output mode)")
    parser.add_argument("--topology", default=DEFAULT_TOPOLOGY)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-sample", type=int, default=12)
    args = parser.parse_args()
    print(json.dumps(run(args.topology, args.repeat, args.baseline_sample)))


if __name__ == "__main__":
    main()

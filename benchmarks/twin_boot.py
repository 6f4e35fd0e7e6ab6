"""How fast the digital twin comes up and proves full reachability.

    python benchmarks/twin_boot.py --json [--topology NAME_OR_FILE] [--runs N]

For each topology: bring it up on Mininet/OVS with the project's controller (ready = every
switch programmed), probe every ordered host pair from inside the host namespaces, count the
installed flows, measure memory, take it down. Prints one JSON object:
{"results": [{"topology", "switches", "hosts", "ready_s", "all_pairs_s", "pairs", "reachable_pairs",
  "flows", "rss_mib", ...}]}; with --runs N > 1 the times are medians and the minimums are given too.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from twin.emu import down, up  # noqa: E402
from twin.model import load_topology  # noqa: E402

DEFAULT_TOPOLOGIES = ["edge6g", "fattree4", str(ROOT.parent / "shared" / "data" / "topologyzoo" / "Cogentco.gml")]


def flow_count(net) -> int:
    total = 0
    for dpid in net.addressing.dpids.values():
        with urllib.request.urlopen(f"{net.controller_url}/stats/flow/{dpid}", timeout=30) as response:
            total += len(json.loads(response.read())[str(dpid)])
    return total


def rss_mib(net) -> float:
    """Resident memory of what this network started: keeper, controller, node shells."""
    pids = [net.state.keeper_pid, net.state.controller_pid, *net.state.host_pids.values(),
            *net.state.switch_pids.values()]
    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except (psutil.NoSuchProcess, TypeError):
            continue
    return total / 2**20


def one_run(topology: str, index: int) -> dict:
    topo = load_topology(topology)
    name = f"bench{index}"
    started = time.monotonic()
    net = up(topo, name, die_with_parent=True)
    ready = time.monotonic() - started
    try:
        matrix = net.reachability()
        return {"topology": topo.name, "switches": len(net.topology.switches()), "hosts": len(net.topology.hosts()),
                "ready_s": round(ready, 3), "all_pairs_s": round(matrix.seconds, 3),
                "total_s": round(ready + matrix.seconds, 3), "pairs": matrix.pairs,
                "reachable_pairs": matrix.reachable_pairs, "flows": flow_count(net), "rss_mib": round(rss_mib(net), 1)}
    finally:
        down(name)


def summarise(runs: list[dict]) -> dict:
    result = dict(runs[-1])
    if len(runs) > 1:
        for key in ("ready_s", "all_pairs_s", "total_s"):
            values = [r[key] for r in runs]
            result[key] = round(statistics.median(values), 3)
            result[f"{key}_min"] = round(min(values), 3)
        result["reachable_pairs"] = min(r["reachable_pairs"] for r in runs)
        result["runs"] = len(runs)
    result["load_average"] = round(psutil.getloadavg()[0], 2)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object (the only output)")
    parser.add_argument("--topology", action="append", help="a topology name or file (repeatable)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    results = []
    for i, topology in enumerate(args.topology or DEFAULT_TOPOLOGIES):
        runs = [one_run(topology, i * 100 + r) for r in range(args.runs)]
        results.append(summarise(runs))
        if not args.json:
            print(json.dumps(results[-1]), file=sys.stderr)
    print(json.dumps({"results": results}, indent=None if args.json else 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

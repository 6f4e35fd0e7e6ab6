"""Slices, ACLs, rate limits and path steering on edge6g: configured versus measured, and the
time from an intent to a validated ChangeSet.

    python benchmarks/slicing.py --json [--scale 0.03] [--rounds 3]

Brings up its own edge6g twin (access links scaled by --scale: on a loaded 2-core machine
the userspace datapath moves only a few Mbit/s, so the shaped access link must be the
bottleneck), then for each intent: read the installed state, compile, validate on the
twin (apply, measure every declared check, restore). `validate_s` is compile + validate
minus the time spent inside throughput probes (iperf3), as the issue asks. The set runs
--rounds times on the same twin (each intent is restored before the next, so every round
starts from the same state); the median and minimum are over every validation. Prints one
JSON object: {"results": [{"intent", "configured", "measured", "ok", "validate_s", "round"}],
"median_validate_s", "min_validate_s", ...}.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from netops_tools.compilers import InstalledState, compile_intent  # noqa: E402
from netops_tools.compilers.verify import IntentProber, validate_intent  # noqa: E402
from netops_tools.drivers.http import OfctlRestDriver  # noqa: E402
from netops_tools.push import Target  # noqa: E402
from netops_tools.state import NetworkState  # noqa: E402
from twin.emu import down, up  # noqa: E402
from twin.emu.qos import TwinQueues, with_access_scaled  # noqa: E402
from twin.model import load_topology  # noqa: E402


def intents() -> list[dict]:
    def one(kind, **params):
        return {"status": "ok", "kind": kind, "params": params}
    return [
        one("slice.create", name="video", type="embb", endpoints=["cam2", "veh1"], bandwidth_mbps=1.0,
            latency_ms=None),
        one("slice.create", name="control", type="urllc", endpoints=["edge2", "veh4"], bandwidth_mbps=2.0,
            latency_ms=10.0),
        one("slice.create", name="sensors", type="mmtc", endpoints=["cam4", "edge1"], bandwidth_mbps=0.5,
            latency_ms=None),
        one("acl.block", src="cam1", dst="cloud1", proto=None, port=None),
        one("acl.block", src="cam3", dst="edge1", proto="tcp", port=22),
        one("acl.block", src="veh2", dst="edge2", proto="udp", port=53),
        one("rate.limit", target="cloud1", bandwidth_mbps=2.0),
        one("rate.limit", target="edge1", bandwidth_mbps=4.0),
        one("rate.limit", target="veh3", bandwidth_mbps=1.0),
        one("path.avoid", src="cam1", dst="edge2", avoid=["cu1-cu2"]),
        one("path.via", src="cam1", dst="cloud1", via=["cu2", "core1"]),
        one("node.drain", node="core2"),
    ]


class TimedProber(IntentProber):
    """Counts the seconds spent in throughput probes, to leave them out of the timing."""

    throughput_s = 0.0

    def streams(self, streams):
        started = time.monotonic()
        try:
            return super().streams(streams)
        finally:
            self.throughput_s += time.monotonic() - started


def configured_and_measured(intent: dict, report) -> tuple[str, object]:
    kind, params = intent["kind"], intent["params"]
    by_type = {r.check["type"]: r for r in report.results if "scope" not in r.check}
    if kind == "slice.create":
        floor = by_type["throughput_min"]
        got = floor.measured[0]["delivered_mbps"] if isinstance(floor.measured, list) else None
        rival = floor.measured[1]["delivered_mbps"] if isinstance(floor.measured, list) else None
        return (f"{params['bandwidth_mbps']} Mbit/s guaranteed {floor.check['src']}->{floor.check['dst']}",
                {"slice_mbps": got, "competing_mbps": rival})
    if kind == "rate.limit":
        cap = by_type["throughput_max"]
        return (f"cap {params['bandwidth_mbps']} Mbit/s on {params['target']}",
                cap.measured["delivered_mbps"] if isinstance(cap.measured, dict) else None)
    if kind.startswith(("path.", "node.")):
        walked = [r for r in report.results if r.check["type"] in ("path_via", "path_avoids")]
        if kind == "node.drain":
            wanted = f"drain {params['node']}"
        elif kind == "path.avoid":
            wanted = f"{params['src']}->{params['dst']} avoid {', '.join(params['avoid'])}"
        else:
            wanted = f"{params['src']}->{params['dst']} via {' -> '.join(params['via'])}"
        return wanted, sorted({"-".join(r.measured) for r in walked if isinstance(r.measured, list)})
    blocked = [r for r in report.results if r.check["type"] == "blocked"]
    what = (params["proto"] or "all") + (f"/{params['port']}" if params["port"] else "")
    return (f"block {params['src']}->{params['dst']} {what}",
            "unreachable" if all(r.measured is False for r in blocked) else "reachable")


def run(scale: float, rounds: int) -> dict:
    name = f"c{os.getpid() % 10000}b"
    network = up(with_access_scaled(load_topology("edge6g"), scale), name, die_with_parent=True, timeout=240)
    driver = OfctlRestDriver(network.controller_url, timeout_s=20)
    target = Target(name, driver, network.topology, queues=TwinQueues(network))
    prober = TimedProber(network, driver)
    results, notes = [], set()
    try:
        for round_no, intent in ((n, i) for n in range(1, rounds + 1) for i in intents()):
            prober.throughput_s = 0.0
            started = time.monotonic()
            read = NetworkState.read(driver)
            changeset = compile_intent(intent, InstalledState(network.topology, read.flows, read.meters))
            report = validate_intent(changeset, target, prober)
            elapsed = time.monotonic() - started - prober.throughput_s
            configured, measured = configured_and_measured(intent, report)
            notes.update(report.notes)
            results.append({"intent": intent, "configured": configured, "measured": measured,
                            "ok": report.passed, "validate_s": round(elapsed, 3),
                            "throughput_probe_s": round(prober.throughput_s, 3), "round": round_no})
    finally:
        driver.close()
        down(name)
    times = [r["validate_s"] for r in results]
    return {"topology": "edge6g", "access_scale": scale, "results": results,
            "median_validate_s": round(statistics.median(times), 3), "min_validate_s": round(min(times), 3),
            "ok": sum(r["ok"] for r in results), "intents": len(results), "rounds": rounds,
            "notes": sorted(notes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object (the only output)")
    parser.add_argument("--scale", type=float, default=0.03, help="access link bandwidth factor")
    parser.add_argument("--rounds", type=int, default=3, help="times the whole set of intents runs")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    out = run(args.scale, args.rounds)
    print(json.dumps(out) if args.json else json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

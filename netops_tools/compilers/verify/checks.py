"""One declared check, measured on the twin (the compilers' vocabulary, see proofs.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from netops_tools.checks import CheckResult, crossed, in_order
from netops_tools.compilers.verify.iperf import Stream
from netops_tools.compilers.verify.prober import IntentProber
from netops_tools.errors import NetopsError
from twin.analysis import path_latency
from twin.analysis.errors import AnalysisError
from twin.model import Topology


def measure(check: Mapping[str, Any], prober: IntentProber, topology: Topology | None) -> CheckResult:
    kind = check["type"]
    try:
        if kind in ("reachable", "blocked"):
            return _reachability(check, prober)
        if kind == "throughput_min":
            return _floor(check, prober)
        if kind == "throughput_max":
            return _cap(check, prober)
        return _path(check, prober, topology)
    except (NetopsError, KeyError, ValueError, OSError, AnalysisError) as exc:
        return CheckResult(dict(check), False, None, f"probe failed: {type(exc).__name__}: {exc}")


def _reachability(check: Mapping[str, Any], prober: IntentProber) -> CheckResult:
    ok = prober.reachable(check["src"], check["dst"], check.get("proto"), check.get("port"))
    return ping_result(check, ok)


def ping_result(check: Mapping[str, Any], ok: bool) -> CheckResult:
    """The verdict of a reachable/blocked check, given what the probe saw."""
    src, dst, proto, port = check["src"], check["dst"], check.get("proto"), check.get("port")
    passed = ok if check["type"] == "reachable" else not ok
    what = (proto or "icmp") + (f"/{port}" if port else "")
    seen = "reachable" if ok else "unreachable"
    return CheckResult(dict(check), passed, ok, f"{src}->{dst} {what}: {seen}")


def _floor(check: Mapping[str, Any], prober: IntentProber) -> CheckResult:
    seconds = float(check.get("seconds", 2))
    streams = [Stream(check["src"], check["dst"], prober.next_port(), float(check["offered_mbps"]), seconds)]
    rival = check.get("competing")
    if rival:
        streams.append(Stream(rival["src"], rival["dst"], prober.next_port(), float(rival["offered_mbps"]),
                              seconds))
    measured = prober.streams(streams)
    main, want = measured[0], float(check["mbps"])
    passed = main.mbps >= want
    evidence = f"{main.stream.src}->{main.stream.dst} delivered {main.mbps:.2f} Mbit/s (floor {want:g})"
    if rival:
        other, ceiling = measured[1], float(rival["max_mbps"])
        passed = passed and other.mbps <= ceiling
        evidence += (f" while {other.stream.src}->{other.stream.dst} offered {rival['offered_mbps']:g} got "
                     f"{other.mbps:.2f} (held to <= {ceiling:g})")
    return CheckResult(dict(check), passed, [m.to_dict() for m in measured], evidence)


def _cap(check: Mapping[str, Any], prober: IntentProber) -> CheckResult:
    stream = Stream(check["src"], check["dst"], prober.next_port(), float(check["offered_mbps"]),
                    float(check.get("seconds", 2)))
    got = prober.streams([stream])[0]
    cap, tolerance = float(check["mbps"]), float(check.get("tolerance", 0.1))
    low = float(check.get("min_mbps", 0.0))
    passed = low <= got.mbps <= cap * (1 + tolerance)
    return CheckResult(dict(check), passed, got.to_dict(),
                       f"{stream.src}->{stream.dst} offered {stream.udp_mbps:g} delivered "
                       f"{got.mbps:.2f} Mbit/s "
                       f"(cap {cap:g}, accepted {low:g}..{cap * (1 + tolerance):g})")


def _path(check: Mapping[str, Any], prober: IntentProber, topology: Topology | None) -> CheckResult:
    return path_result(check, prober.path(check["src"], check["dst"]), topology)


def path_result(check: Mapping[str, Any], path: list[str], topology: Topology | None) -> CheckResult:
    """The verdict of a path_via/path_avoids check, given the path the counters showed."""
    src, dst = check["src"], check["dst"]
    complete = len(path) > 1 and path[0] == src and path[-1] == dst
    shown = "-".join(path)
    if check["type"] == "path_avoids":
        bad = crossed(path, check["avoid"])
        return CheckResult(dict(check), complete and not bad, path,
                           f"counters saw {shown}"
                           + (f": crosses {bad}" if bad else f": avoids {check['avoid']}")
                           + ("" if complete else " (incomplete: the train did not arrive)"))
    passed = complete and in_order(path, check["via"])
    evidence = f"counters saw {shown}; waypoints {check['via']} {'in order' if passed else 'NOT in order'}"
    if "latency_bound_ms" in check and complete and topology is not None:
        modelled = path_latency(topology, path).total_ms
        passed = passed and modelled <= float(check["latency_bound_ms"])
        evidence += (f"; modelled latency of that path {modelled:.3f} ms "
                     f"(bound {check['latency_bound_ms']} ms)")
    return CheckResult(dict(check), passed, path, evidence)

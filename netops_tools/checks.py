"""Declared checks, run through a Prober, and the ValidationReport they produce.

The Prober is the seam to the emulation: the lead's twin.emu prober measures real
reachability (ping inside host namespaces), throughput (iperf3) and paths (flow counters);
unit tests use a fake. A check never trusts the plan: it asks the prober.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from netops_tools.errors import NetopsError

DEFAULT_RATE_TOLERANCE = 0.10
SETTLE_S = 0.5          # after a flow-mod, OVS revalidates cached datapath flows asynchronously
ATTEMPTS = 3            # a reachability verdict that disagrees with the check is re-probed


class Prober(Protocol):
    def reachable(self, src: str, dst: str, proto: str | None = None, port: int | None = None) -> bool: ...
    def throughput_mbps(self, src: str, dst: str, proto: str = "tcp", seconds: float = 3.0,
                        offered_mbps: float | None = None) -> float: ...
    def path(self, src: str, dst: str) -> list[str]: ...


@dataclass(frozen=True)
class CheckResult:
    check: dict[str, Any]
    passed: bool
    measured: Any
    evidence: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ValidationReport:
    changeset_id: str
    target: str
    passed: bool
    results: tuple[CheckResult, ...] = ()
    policy_reasons: tuple[str, ...] = ()
    error: str | None = None
    duration_s: float = 0.0
    created_at: float = 0.0
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "results": [r.to_dict() for r in self.results]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ValidationReport:
        results = tuple(CheckResult(**r) for r in data.get("results", ()))
        return cls(**{**data, "results": results, "policy_reasons": tuple(data.get("policy_reasons", ())),
                      "notes": tuple(data.get("notes", ()))})


def in_order(path: Sequence[str], waypoints: Sequence[str]) -> bool:
    """The waypoints appear along the path in this order (other nodes may come between)."""
    position = 0
    for node in path:
        if position < len(waypoints) and node == waypoints[position]:
            position += 1
    return position == len(waypoints)


def crossed(path: Sequence[str], avoid: Sequence[str]) -> list[str]:
    """The avoided nodes or `a-b` links that the path still crosses."""
    hops = {"-".join(sorted(pair)) for pair in zip(path, path[1:], strict=False)}
    return [a for a in avoid if a in path or a in hops]


def run_check(check: Mapping[str, Any], prober: Prober) -> CheckResult:
    kind, src, dst = check["type"], check["src"], check["dst"]
    try:
        if kind in ("reachable", "blocked"):
            ok = prober.reachable(src, dst, check.get("proto"), check.get("port"))
            passed = ok if kind == "reachable" else not ok
            seen = "reachable" if ok else "unreachable"
            return CheckResult(dict(check), passed, ok, f"{src}->{dst} {seen}")
        if kind in ("throughput_min", "throughput_max"):
            want = float(check["mbps"])
            # UDP is offered at twice the bound unless the check says otherwise: far above it,
            # a loaded machine drops packets before the meter and the measurement says little
            proto = check.get("proto", "tcp")
            offered = check.get("offered_mbps", 2 * want if proto == "udp" else None)
            mbps = prober.throughput_mbps(src, dst, proto, float(check.get("seconds", 3)), offered)
            tolerance = float(check.get("tolerance", DEFAULT_RATE_TOLERANCE))
            passed = mbps >= want if kind == "throughput_min" else mbps <= want * (1 + tolerance)
            return CheckResult(dict(check), passed, round(mbps, 3),
                               f"measured {mbps:.2f} Mbit/s against {kind} {want:g}")
        path = prober.path(src, dst)
        if not path or path[0] != src or path[-1] != dst:
            return CheckResult(dict(check), False, path, f"path {'-'.join(path)} does not reach {dst}: "
                               "the path was not measured end to end")
        if kind == "path_via":
            passed = in_order(path, check["via"])
            return CheckResult(dict(check), passed, path, f"path {'-'.join(path)} via {check['via']}")
        crossed_at = crossed(path, check["avoid"])
        return CheckResult(dict(check), not crossed_at, path,
                           f"path {'-'.join(path)}" + (f" crosses {crossed_at}" if crossed_at else " avoids all"))
    except (NetopsError, KeyError, ValueError, OSError) as exc:
        return CheckResult(dict(check), False, None, f"probe failed: {type(exc).__name__}: {exc}")


def run_checks(checks: Sequence[Mapping[str, Any]], prober: Prober, *, settle_s: float = SETTLE_S,
               attempts: int = ATTEMPTS, sleep: Callable[[float], None] = time.sleep
               ) -> tuple[CheckResult, ...]:
    """Run every check after a settle delay. Reachability checks that fail are probed again
    (up to `attempts`): a ping lost under load, or a packet still forwarded by a datapath
    cache that OVS has not revalidated yet, must not decide the verdict alone."""
    if checks:
        sleep(settle_s)
    results = []
    for check in checks:
        result = run_check(check, prober)
        retries = attempts - 1 if check["type"] in ("reachable", "blocked") else 0
        while not result.passed and retries > 0:
            sleep(settle_s)
            result = run_check(check, prober)
            retries -= 1
        results.append(result)
    return tuple(results)

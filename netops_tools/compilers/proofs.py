"""The checks a compiled ChangeSet declares to prove its intent (run on the twin).

Plain data in the ChangeSet's vocabulary (reachable, blocked, throughput_min/max, path_via,
path_avoids) with extra keys that the intent runner (verify/) understands:
  - `scope: "preserved"` on reachable checks: the pair must still work (the runner probes all
    of them at once, before and after, and reports the diff);
  - `competing` on throughput_min: traffic sent at the same time that must be held back;
  - `min_mbps` on throughput_max: the measured rate must also reach it (a cap, not a block);
  - `latency_bound_ms` on path_via: the modelled latency of the *probed* path must meet it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from netops_tools.compilers.installed import InstalledState

SECONDS = 2.0
FLOOR_SHARE = 0.9         # a slice must reach 90 % of its guarantee under competition
RATE_TOLERANCE = 0.10     # a rate limit must measure within 10 % of the cap
HELD_TOLERANCE = 0.15     # competing traffic: at most 15 % above what the guarantee leaves it
COMPETING_OVERLOAD = 1.25  # competing traffic offered at 1.25x the bottleneck link (more only loads the CPU)


def echo_blocked(state: InstalledState) -> set[tuple[str, str]]:
    """Ordered host pairs whose echo round trip an installed block stops (replies go back the
    other way, so a block in one direction fails the probe in both)."""
    return {pair for acl in state.acls if acl.proto in (None, "icmp")
            for pair in ((acl.src, acl.dst), (acl.dst, acl.src))}


def unaffected_pairs(state: InstalledState, affected: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Ordered host pairs expected to work both before and after (installed blocks excluded)."""
    excluded = set(affected) | echo_blocked(state)
    hosts = sorted(state.addressing.hosts)
    return [(s, d) for s in hosts for d in hosts if s != d and (s, d) not in excluded]


def preserved(pairs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"type": "reachable", "src": s, "dst": d, "scope": "preserved"} for s, d in pairs]


def path_check(path: tuple[str, ...], avoid: Iterable[str] = (), latency_bound_ms: float | None = None,
               ) -> list[dict[str, Any]]:
    src, dst = path[0], path[-1]
    checks: list[dict[str, Any]] = [{"type": "path_via", "src": src, "dst": dst, "via": list(path[1:-1])}]
    if latency_bound_ms is not None:
        checks[0]["latency_bound_ms"] = latency_bound_ms
    avoid = sorted(avoid)
    if avoid:
        checks.append({"type": "path_avoids", "src": src, "dst": dst, "avoid": avoid})
    return checks


def access_mbps(state: InstalledState, host: str) -> float:
    return state.topology.link(host, state.topology.attachment(host)).bandwidth_mbps


def competitor(state: InstalledState, dst: str, excluded: Iterable[str]) -> str | None:
    """The host best able to congest dst's access link: the widest access link, then the name."""
    banned = set(excluded) | {dst}
    candidates = [h for h in state.addressing.hosts if h not in banned]
    return min(candidates, key=lambda h: (-access_mbps(state, h), h), default=None)


def guarantee_check(state: InstalledState, src: str, dst: str, rate_mbps: float,
                    endpoints: Iterable[str]) -> dict[str, Any]:
    """UDP at the guaranteed rate must get >= 90 % of it while a competitor overloads dst's link."""
    check: dict[str, Any] = {"type": "throughput_min", "src": src, "dst": dst, "proto": "udp",
                             "mbps": round(FLOOR_SHARE * rate_mbps, 3), "offered_mbps": rate_mbps,
                             "seconds": SECONDS}
    bottleneck = access_mbps(state, dst)
    rival = competitor(state, dst, endpoints)
    if rival is not None and bottleneck < 1000:
        check["competing"] = {"src": rival, "dst": dst, "offered_mbps": COMPETING_OVERLOAD * bottleneck,
                              "max_mbps": round((bottleneck - rate_mbps) * (1 + HELD_TOLERANCE), 3)}
    return check


def cap_check(state: InstalledState, src: str, cap_mbps: float) -> dict[str, Any]:
    """UDP offered at twice the cap must arrive within 10 % of it (to the widest-linked host)."""
    dst = competitor(state, src, ())
    return {"type": "throughput_max", "src": src, "dst": dst, "proto": "udp", "mbps": cap_mbps,
            "min_mbps": round(cap_mbps * (1 - RATE_TOLERANCE), 3), "tolerance": RATE_TOLERANCE,
            "offered_mbps": 2 * cap_mbps, "seconds": SECONDS}

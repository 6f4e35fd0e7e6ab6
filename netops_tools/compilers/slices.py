"""slice.create | slice.modify | slice.delete -> ChangeSet.

Each endpoint pair is routed by the constrained shortest path (latency bound in the twin's
latency model, residual capacity after the admitted slices); the slice's traffic is
classified by IPv4 source/destination, marked with its DSCP at the ingress switch and
forwarded hop by hop; every egress port on the way gets an HTB class (min = guarantee) that
a u32 filter on the DSCP feeds (set_queue is ignored on the userspace datapath); a cap is an
OpenFlow meter (kbps + burst) at the ingress switch. A modify re-plans with new priorities,
meter ids and queue id and removes the old form; a delete removes it.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from netops_tools.compilers import proofs
from netops_tools.compilers.defaults import DSCP_POOL, defaults_for
from netops_tools.compilers.errors import ConflictRefused, IntentError, IntentRefused
from netops_tools.compilers.forwarding import (
    PRIORITY,
    allocate_meter,
    free_priority,
    path_flows,
    require_host,
)
from netops_tools.compilers.installed import InstalledState, SliceRecord
from netops_tools.compilers.params import number
from twin.analysis import constrained_path
from twin.model.changeset import ChangeSet, FlowRule, Meter, QueueSetting, SliceReservation


def slice_create(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "slice.create"
    name = _name(kind, params)
    if name in state.slices:
        raise IntentError(kind, "name", f"slice {name!r} already exists; modify or delete it")
    endpoints = sorted({require_host(state, kind, "endpoints", e) for e in params.get("endpoints") or []})
    if len(endpoints) < 2:
        raise IntentError(kind, "endpoints", "a slice needs at least two distinct hosts")
    stype = params.get("type")
    if stype not in (None, "embb", "urllc", "mmtc"):
        raise IntentError(kind, "type", f"{stype!r} is not embb, urllc, mmtc or null")
    base = defaults_for(stype)
    rate = number(kind, "bandwidth_mbps", params.get("bandwidth_mbps"), base.bandwidth_mbps)
    bound = number(kind, "latency_ms", params.get("latency_ms"), base.latency_ms)
    if rate is None and bound is None:
        raise IntentError(kind, "bandwidth_mbps", "an untyped slice needs a rate or a latency bound")
    plan = {"name": name, "type": stype, "endpoints": endpoints, "rate_mbps": rate or 0.0,
            "latency_ms": bound, "cap_mbps": rate * base.cap_factor if rate and base.cap_factor else None,
            "dscp": _dscp(state, base.dscp), "queue_id": _queue_id(state, ())}
    return _build(kind, state, params, plan, old=None)


def slice_modify(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "slice.modify"
    old = _existing(kind, state, params)
    base = defaults_for(old.plan.get("type"))
    rate = number(kind, "bandwidth_mbps", params.get("bandwidth_mbps"), old.plan["rate_mbps"])
    bound = number(kind, "latency_ms", params.get("latency_ms"), old.plan.get("latency_ms"))
    plan = {**old.plan, "rate_mbps": rate or 0.0, "latency_ms": bound,
            "cap_mbps": rate * base.cap_factor if rate and base.cap_factor else None,
            "queue_id": _queue_id(state, (old.plan["queue_id"],))}
    return _build(kind, state, params, plan, old=old)


def slice_delete(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "slice.delete"
    old = _existing(kind, state, params)
    pairs = [(a, b) for a, b in combinations(old.endpoints, 2)]
    checks = [{"type": "reachable", "src": a, "dst": b} for a, b in pairs]
    return ChangeSet(flows_remove=old.changeset.installed_flows(), meters_remove=old.changeset.meters_add,
                     queues_remove=old.changeset.queues_add, checks=checks,
                     summary=f"delete slice {old.name} ({', '.join(old.endpoints)})",
                     intent={"kind": kind, "params": params, "plan": {"name": old.name}})


def _name(kind: str, params: dict[str, Any]) -> str:
    name = params.get("name")
    if not isinstance(name, str) or not name:
        raise IntentError(kind, "name", "a slice needs a name")
    return name


def _existing(kind: str, state: InstalledState, params: dict[str, Any]) -> SliceRecord:
    name = _name(kind, params)
    if name not in state.slices:
        known = ", ".join(sorted(state.slices)) or "none"
        raise IntentRefused(kind, "unknown_slice", f"no slice named {name!r} is installed (slices: {known})",
                            (name,))
    return state.slices[name]


def _dscp(state: InstalledState, preferred: int) -> int:
    used = {r.plan["dscp"] for r in state.slices.values()}
    return next(d for d in (preferred, *DSCP_POOL) if d not in used)


def _queue_id(state: InstalledState, also_taken: tuple[int, ...]) -> int:
    used = {r.plan["queue_id"] for r in state.slices.values()} | set(also_taken)
    return next(q for q in range(1, 1 << 16) if q not in used)


def _route(kind: str, state: InstalledState, plan: dict[str, Any]) -> list[tuple[str, ...]]:
    """One path per endpoint pair, each against the other slices' load (a slice counts once per link)."""
    others = state.admitted(excluding=plan["name"])
    paths = []
    for a, b in combinations(plan["endpoints"], 2):
        answer = constrained_path(state.topology, a, b, plan["rate_mbps"], plan["latency_ms"], others)
        if answer.refusal is not None:
            _refuse(kind, state, plan["name"], answer.refusal)
        paths.append(answer.route.nodes)
    return paths


def _refuse(kind: str, state: InstalledState, name: str, refusal) -> None:
    holders = sorted(r.name for r in state.slices.values() if r.name != name and refusal.link
                     and tuple(sorted(refusal.link.split("-", 1))) in r.admitted().links())
    if refusal.reason in ("capacity", "breaks_slice") and (holders or refusal.slice):
        installed = refusal.slice or ", ".join(holders)
        raise ConflictRefused(kind, f"slice {name} does not fit on link {refusal.link}: {refusal.message}",
                              f"slice {name}", f"slice {installed} on link {refusal.link}")
    elements = [e for e in (refusal.link, refusal.node) if e]
    raise IntentRefused(kind, refusal.reason, refusal.message, elements)


def _build(kind: str, state: InstalledState, params: dict[str, Any], plan: dict[str, Any],
           old: SliceRecord | None) -> ChangeSet:
    paths = _route(kind, state, plan)
    old_flows = old.changeset.installed_flows() if old else ()
    priority = free_priority(PRIORITY["slice"], old_flows)
    taken: set[tuple[int, int]] = set()
    flows: list[FlowRule] = []
    meters: list[Meter] = []
    queues: dict[tuple, QueueSetting] = {}
    mark = ({"type": "SET_FIELD", "field": "ip_dscp", "value": plan["dscp"]},)
    for path in paths:
        for directed in (path, tuple(reversed(path))):
            meter = None
            if plan["cap_mbps"]:
                meter = allocate_meter(state, state.addressing.dpids[directed[1]], plan["cap_mbps"], taken)
                meters.append(meter)
            flows += path_flows(state, directed, priority, first_hop=mark,
                                meter_id=meter.meter_id if meter else None)
            for queue in _queues(state, directed, plan):
                queues.setdefault(queue.identity(), queue)
    plan = {**plan, "paths": [list(p) for p in paths]}
    return ChangeSet(flows_add=tuple(flows), meters_add=tuple(meters), queues_add=tuple(queues.values()),
                     flows_remove=old_flows, meters_remove=old.changeset.meters_add if old else (),
                     queues_remove=old.changeset.queues_add if old else (),
                     slices=(SliceReservation(plan["name"], plan["rate_mbps"], _links(paths)),),
                     checks=tuple(_checks(state, plan, paths)),
                     summary=f"{kind} {plan['name']}: {plan['rate_mbps']:g} Mbit/s guaranteed, "
                             f"bound {plan['latency_ms']} ms, over {' | '.join('-'.join(p) for p in paths)}",
                     intent={"kind": kind, "params": params, "plan": plan})


def _queues(state: InstalledState, path: tuple[str, ...], plan: dict[str, Any]) -> list[QueueSetting]:
    if not plan["rate_mbps"]:
        return []               # a latency-only slice is routed and marked, not queued
    out = []
    for switch, nxt in zip(path[1:-1], path[2:], strict=False):
        link = state.topology.link(switch, nxt).bandwidth_mbps
        ceiling = min(link, plan["cap_mbps"] or link)
        out.append(QueueSetting(switch, state.addressing.ports[(switch, nxt)], plan["queue_id"],
                                min(plan["rate_mbps"], ceiling), ceiling, plan["dscp"]))
    return out


def _links(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(sorted({"-".join(sorted(pair)) for p in paths for pair in zip(p, p[1:], strict=False)}))


def _checks(state: InstalledState, plan: dict[str, Any], paths: list[tuple[str, ...]]) -> list[dict]:
    checks: list[dict] = []
    for path in paths:
        for directed in (path, tuple(reversed(path))):
            checks += proofs.path_check(directed, latency_bound_ms=plan["latency_ms"])
    if plan["rate_mbps"]:
        # the direction whose destination has the narrowest access link: where competition bites
        path = min((d for p in paths for d in (p, tuple(reversed(p)))),
                   key=lambda d: (proofs.access_mbps(state, d[-1]), d))
        checks.append(proofs.guarantee_check(state, path[0], path[-1], plan["rate_mbps"], plan["endpoints"]))
    return checks

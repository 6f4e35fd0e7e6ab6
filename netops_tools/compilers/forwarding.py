"""Per-pair forwarding along an explicit path, and the small allocations the compilers share.

A pair's traffic is classified by its IPv4 source and destination and forwarded hop by hop:
one flow per switch on the path, at a priority above the controller's routing (10), so it
overrides routing for that pair only. Both directions are steered along the same (reversed)
path: replies and acknowledgements take the way the request took.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from netops_tools.compilers.errors import IntentError
from netops_tools.compilers.installed import InstalledState
from netops_tools.matching import packet_matches
from netops_tools.trace import packet_between
from twin.analysis.routing import host_path
from twin.model.changeset import FlowRule, Meter

ETH_IPV4 = 0x0800
PROTO_NUMBERS = {"icmp": 1, "tcp": 6, "udp": 17}
METER_BASE = 1000           # ChangeSet meters start here, clear of hand-made ones
PRIORITY = {"steer": (100, 101), "slice": (200, 201), "rate": (300, 301), "acl": 400, "allow": 410}


def require_host(state: InstalledState, kind: str, parameter: str, name: Any) -> str:
    if not isinstance(name, str) or name not in state.addressing.hosts:
        raise IntentError(kind, parameter, f"{name!r} is not a host of {state.topology.name}")
    return name


def require_node(state: InstalledState, kind: str, parameter: str, name: Any) -> str:
    """A node name, also accepting `sN` for the switch with dpid N (as operators write it)."""
    if isinstance(name, str) and name in state.topology.nodes:
        return name
    if isinstance(name, str) and name[:1] == "s" and name[1:].isdigit():
        for switch, dpid in state.addressing.dpids.items():
            if dpid == int(name[1:]):
                return switch
    raise IntentError(kind, parameter, f"{name!r} is not a node of {state.topology.name}")


def pair_match(state: InstalledState, src: str, dst: str) -> dict[str, Any]:
    hosts = state.addressing.hosts
    return {"eth_type": ETH_IPV4, "ipv4_src": hosts[src].ip, "ipv4_dst": hosts[dst].ip}


def out_port(state: InstalledState, switch: str, neighbour: str) -> int:
    return state.addressing.ports[(switch, neighbour)]


def path_flows(state: InstalledState, path: Sequence[str], priority: int,
               first_hop: Sequence[dict[str, Any]] = (), meter_id: int | None = None) -> list[FlowRule]:
    """One flow per switch of `path` (host, switches..., host) for traffic path[0] -> path[-1].
    `first_hop` actions (e.g. DSCP marking) and the meter apply at the ingress switch only."""
    src, dst = path[0], path[-1]
    match = pair_match(state, src, dst)
    flows = []
    for index in range(1, len(path) - 1):
        switch, nxt = path[index], path[index + 1]
        actions = [*first_hop] if index == 1 else []
        actions.append({"type": "OUTPUT", "port": out_port(state, switch, nxt)})
        flows.append(FlowRule(dpid=state.addressing.dpids[switch], priority=priority, match=match,
                              actions=tuple(actions), meter_id=meter_id if index == 1 else None))
    return flows


def both_ways(state: InstalledState, path: Sequence[str], priority: int, **kwargs) -> list[FlowRule]:
    return path_flows(state, path, priority, **kwargs) + path_flows(state, tuple(reversed(path)), priority,
                                                                    **kwargs)


def effective_rule(state: InstalledState, src: str, dst: str, switch: str,
                   proto: str | None = None) -> FlowRule | None:
    """The installed rule that decides src->dst packets at `switch` (None: tables unknown)."""
    flows = state.all_flows().get(state.addressing.dpids[switch])
    if not flows:
        return None
    packet = {**packet_between(state.addressing, src, dst, proto),
              "in_port": state.addressing.hosts[src].port if state.addressing.hosts[src].switch == switch
              else 0}
    best = None
    for rule in flows:
        if rule.table_id == 0 and packet_matches(rule.match, packet):
            if best is None or rule.priority > best.priority:
                best = rule
    return best


def current_path(state: InstalledState, src: str, dst: str) -> tuple[str, ...] | None:
    """The path src->dst traffic takes now: a steering or slice plan for the pair if one is
    installed, else the controller's shortest-path routing."""
    for record in state.slices.values():
        for path in record.paths:
            if (path[0], path[-1]) == (src, dst):
                return tuple(path)
            if (path[-1], path[0]) == (src, dst):
                return tuple(reversed(path))
    for route in steered_routes(state):
        if (route[0], route[-1]) == (src, dst):
            return tuple(route)
    found = host_path(state.topology, src, dst)
    return tuple(found) if found else None


def steered_routes(state: InstalledState) -> list[tuple[str, ...]]:
    """Routes installed by steering ChangeSets (latest wins per pair)."""
    routes: dict[tuple[str, str], tuple[str, ...]] = {}
    for cs in state.changesets:
        plan = (cs.intent or {}).get("plan") or {}
        for route in plan.get("routes", ()):
            routes[(route[0], route[-1])] = tuple(route)
            routes[(route[-1], route[0])] = tuple(reversed(route))
        for pair in plan.get("restored", ()):
            routes.pop(tuple(pair), None)
    return list(routes.values())


def steering_flows_of(state: InstalledState, pairs: Iterable[tuple[str, str]]) -> list[FlowRule]:
    """Installed steering flows (priority in PRIORITY['steer']) for these directed pairs."""
    wanted = {tuple(sorted(pair_match(state, s, d).items())) for s, d in pairs}
    out = []
    for cs in state.changesets:
        for rule in cs.installed_flows():
            if rule.priority in PRIORITY["steer"] and tuple(sorted(rule.match.items())) in wanted:
                out.append(rule)
    installed = {r.identity() for rules in state.all_flows().values() for r in rules}
    return [r for r in out if r.identity() in installed or not state.flows]


def free_priority(choices: tuple[int, int], used: Iterable[FlowRule]) -> int:
    """The priority of the pair not used by the flows being replaced (so add and remove never
    share an identity: an add would overwrite, then the removal delete, the new flow)."""
    taken = {r.priority for r in used}
    return choices[1] if choices[0] in taken else choices[0]


def allocate_meter(state: InstalledState, dpid: int, rate_mbps: float, taken: set[tuple[int, int]]) -> Meter:
    """A kbps+burst meter with the smallest free id >= METER_BASE; burst = 100 ms of traffic."""
    meter_id = METER_BASE
    while meter_id in state.meter_ids(dpid) or (dpid, meter_id) in taken:
        meter_id += 1
    taken.add((dpid, meter_id))
    rate_kbps = max(1, round(rate_mbps * 1000))
    return Meter(dpid=dpid, meter_id=meter_id, rate_kbps=rate_kbps, burst_kb=max(100, rate_kbps // 10))


def hosts_of(state: InstalledState) -> list[str]:
    return sorted(state.addressing.hosts)

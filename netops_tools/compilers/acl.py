"""acl.block | acl.allow -> ChangeSet.

A block is one drop rule at the ingress switch of the source (the source's edge switch, so
the traffic never crosses the network), matching the pair's IPv4 addresses and, when given,
the protocol and destination port. An allow lifts the installed blocks it covers (removed
with their installed cookies, so a rollback restores them); when a broader block covers the
allow, a higher-priority exception forwards the allowed traffic along its current path.
"""

from __future__ import annotations

from typing import Any

from netops_tools.compilers import proofs
from netops_tools.compilers.errors import ConflictRefused, IntentRefused
from netops_tools.compilers.forwarding import (
    PRIORITY,
    PROTO_NUMBERS,
    current_path,
    out_port,
    pair_match,
    require_host,
)
from netops_tools.compilers.installed import InstalledState
from netops_tools.compilers.params import protocol
from netops_tools.matching import covers
from twin.model.changeset import ChangeSet, FlowRule


def acl_match(state: InstalledState, src: str, dst: str, proto: str | None, port: int | None) -> dict:
    match: dict[str, Any] = pair_match(state, src, dst)
    if proto is not None:
        match["ip_proto"] = PROTO_NUMBERS[proto]
    if port is not None:
        match[f"{proto}_dst"] = port
    return match


def _what(proto: str | None, port: int | None) -> str:
    return "all traffic" if proto is None else proto + (f"/{port}" if port else "")


def acl_block(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "acl.block"
    src = require_host(state, kind, "src", params.get("src"))
    dst = require_host(state, kind, "dst", params.get("dst"))
    proto, port = protocol(kind, params)
    for record in state.slices.values():
        if record.guarantees(src, dst):
            raise ConflictRefused(kind, f"blocking {src}->{dst} breaks the guarantee of slice {record.name}",
                                  f"block {src}->{dst} {_what(proto, port)}",
                                  f"slice {record.name} guaranteeing {', '.join(record.endpoints)}")
    switch = state.addressing.hosts[src].switch
    rule = FlowRule(dpid=state.addressing.dpids[switch], priority=PRIORITY["acl"],
                    match=acl_match(state, src, dst, proto, port), actions=())
    plan = {"src": src, "dst": dst, "proto": proto, "port": port, "switch": switch}
    return ChangeSet(flows_add=(rule,), checks=tuple(_block_checks(state, src, dst, proto, port)),
                     summary=f"block {src}->{dst} {_what(proto, port)} at {switch}",
                     intent={"kind": kind, "params": params, "plan": plan})


def _block_checks(state: InstalledState, src: str, dst: str, proto: str | None, port: int | None) -> list:
    checks: list[dict[str, Any]] = [{"type": "blocked", "src": src, "dst": dst, "proto": proto or "icmp",
                                     **({"port": port} if port else {})}]
    if proto in (None, "icmp"):
        # the reverse ping fails too: its echo replies travel src->dst and are dropped
        affected = {(src, dst), (dst, src)}
        checks.append({"type": "blocked", "src": dst, "dst": src, "proto": "icmp",
                       "why": f"echo replies travel {src}->{dst}"})
    else:
        affected = set()
        checks.append({"type": "reachable", "src": src, "dst": dst, "proto": "icmp"})
        if port:
            checks.append({"type": "reachable", "src": src, "dst": dst, "proto": proto,
                           "port": port % 65535 + 1})
        else:
            checks.append({"type": "reachable", "src": src, "dst": dst,
                           "proto": "udp" if proto == "tcp" else "tcp", "port": 5209})
    return checks + proofs.preserved(proofs.unaffected_pairs(state, affected))


def acl_allow(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "acl.allow"
    src = require_host(state, kind, "src", params.get("src"))
    dst = require_host(state, kind, "dst", params.get("dst"))
    proto, port = protocol(kind, params)
    wanted = acl_match(state, src, dst, proto, port)
    relevant = [a for a in state.acls if (a.src, a.dst) == (src, dst)]
    lifted = [a for a in relevant if covers(wanted, acl_match(state, a.src, a.dst, a.proto, a.port))]
    broader = [a for a in relevant if a not in lifted
               and covers(acl_match(state, a.src, a.dst, a.proto, a.port), wanted)]
    if not lifted and not broader:
        raise IntentRefused(kind, "not_blocked", f"no installed block covers {src}->{dst} "
                            f"{_what(proto, port)}; nothing to allow", (src, dst))
    removed = tuple(r for a in lifted for r in a.changeset.installed_flows())
    added = _exception(state, src, dst, wanted) if broader else ()
    plan = {"src": src, "dst": dst, "proto": proto, "port": port, "lifted": [a.changeset.id for a in lifted]}
    checks = [{"type": "reachable", "src": src, "dst": dst, "proto": proto or "icmp",
               **({"port": port} if port else {})}]
    kept = InstalledState(state.topology, state.flows, state.meters,
                          tuple(cs for cs in state.changesets if cs.id not in plan["lifted"]))
    checks += proofs.preserved(proofs.unaffected_pairs(kept, ()))
    return ChangeSet(flows_add=added, flows_remove=removed, checks=tuple(checks),
                     summary=f"allow {src}->{dst} {_what(proto, port)}"
                             + (f" (lifts {', '.join(a.describe() for a in lifted)})" if lifted else
                                f" (exception to {broader[0].describe()})"),
                     intent={"kind": kind, "params": params, "plan": plan})


def _exception(state: InstalledState, src: str, dst: str, match: dict) -> tuple[FlowRule, ...]:
    path = current_path(state, src, dst)
    if path is None:
        raise IntentRefused("acl.allow", "unreachable", f"{dst} is not reachable from {src}", (src, dst))
    switch = path[1]
    return (FlowRule(dpid=state.addressing.dpids[switch], priority=PRIORITY["allow"], match=match,
                     actions=({"type": "OUTPUT", "port": out_port(state, switch, path[2])},)),)

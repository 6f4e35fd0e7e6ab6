"""flow.add -> ChangeSet: the rule as the operator wrote it, refused when it conflicts.

The intent's params are the body of Ryu's POST /stats/flowentry/add (less table_id). A rule
that an installed higher-priority rule shadows, or that would silently disable another
ChangeSet's rule, is refused naming both rules. When the match names two hosts' addresses,
the ChangeSet declares what the rule must do to them (blocked or reachable).
"""

from __future__ import annotations

from typing import Any

from netops_tools.compilers.errors import ConflictRefused, IntentError
from netops_tools.compilers.installed import InstalledState
from netops_tools.matching import MatchError, normalise
from netops_tools.policy.conflicts import flow_conflicts
from netops_tools.state import NetworkState
from twin.model.changeset import ChangeSet, ChangeSetError, FlowRule

DEFAULT_PRIORITY = 100
_PROTO_NAMES = {1: "icmp", 6: "tcp", 17: "udp"}


def flow_add(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "flow.add"
    rule = _rule(state, params)
    for old in state.all_flows().get(rule.dpid, []):
        reasons = flow_conflicts(ChangeSet(flows_add=(rule,)), NetworkState({rule.dpid: [old]}, {}))
        if reasons:
            raise ConflictRefused(kind, reasons[0],
                                  f"flow priority {rule.priority} {dict(rule.match)} on dpid {rule.dpid}",
                                  f"flow priority {old.priority} {dict(old.match)} "
                                  f"(cookie {old.cookie or 0:#x})")
    verb = "drop" if rule.drops else "forward"
    return ChangeSet(flows_add=(rule,), checks=tuple(_checks(state, rule)),
                     summary=f"flow.add on dpid {rule.dpid}: {verb} {dict(rule.match)}",
                     intent={"kind": kind, "params": params, "plan": {"dpid": rule.dpid}})


def _rule(state: InstalledState, params: dict[str, Any]) -> FlowRule:
    dpid = params.get("dpid")
    if dpid not in state.addressing.dpids.values():
        raise IntentError("flow.add", "dpid", f"no switch with dpid {dpid!r} in {state.topology.name}")
    match = params.get("match") or {}
    try:
        normalise(match)
        priority = params.get("priority")
        return FlowRule(dpid=dpid, priority=DEFAULT_PRIORITY if priority is None else priority, match=match,
                        actions=tuple(params.get("actions") or ()))
    except (MatchError, ChangeSetError, TypeError) as exc:
        raise IntentError("flow.add", "match", str(exc)) from None


def _checks(state: InstalledState, rule: FlowRule) -> list[dict[str, Any]]:
    by_ip = {a.ip: name for name, a in state.addressing.hosts.items()}
    src, dst = by_ip.get(rule.match.get("ipv4_src")), by_ip.get(rule.match.get("ipv4_dst"))
    if src is None or dst is None:
        return []
    proto = _PROTO_NAMES.get(rule.match.get("ip_proto"), "icmp")
    port = rule.match.get(f"{proto}_dst")
    check = {"type": "blocked" if rule.drops else "reachable", "src": src, "dst": dst, "proto": proto}
    return [{**check, "port": port} if port else check]

"""rate.limit -> ChangeSet: cap what one host may send, with a meter at its edge switch.

One kbps+burst meter at the host's edge switch, shared by one flow per destination
(matching the pair's IPv4 addresses) so that everything the host sends counts against the
same cap. Each flow keeps what traffic to that destination does now at that switch (the
controller's output port, a slice's DSCP marking and port, a steering port) and adds the
meter; destinations the host is blocked from stay blocked. A new limit on the same host
replaces the old one.
"""

from __future__ import annotations

from typing import Any

from netops_tools.compilers import proofs
from netops_tools.compilers.errors import IntentRefused
from netops_tools.compilers.forwarding import (
    PRIORITY,
    allocate_meter,
    current_path,
    effective_rule,
    free_priority,
    out_port,
    pair_match,
    require_host,
)
from netops_tools.compilers.installed import InstalledState
from netops_tools.compilers.params import number
from twin.model.changeset import ChangeSet, FlowRule


def rate_limit(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "rate.limit"
    target = require_host(state, kind, "target", params.get("target"))
    cap = number(kind, "bandwidth_mbps", params.get("bandwidth_mbps"))
    if cap is None:
        raise IntentRefused(kind, "unknown_element", "a rate limit needs bandwidth_mbps", (target,))
    access = state.topology.link(target, state.topology.attachment(target)).bandwidth_mbps
    if cap >= access:
        raise IntentRefused(kind, "capacity", f"a cap of {cap:g} Mbit/s on {target} would limit nothing: its "
                            f"access link carries at most {access:g} Mbit/s",
                            (f"{target}-{state.topology.attachment(target)}",))
    old = [cs for cs in state.changesets if (cs.intent or {}).get("kind") == kind
           and (cs.intent.get("plan") or {}).get("target") == target]
    old_flows = tuple(r for cs in old[-1:] for r in cs.installed_flows())
    switch = state.addressing.hosts[target].switch
    dpid = state.addressing.dpids[switch]
    meter = allocate_meter(state, dpid, cap, set())
    priority = free_priority(PRIORITY["rate"], old_flows)
    flows = []
    for dst in sorted(state.addressing.hosts):
        actions = _actions_towards(state, target, dst, switch)
        if actions:
            flows.append(FlowRule(dpid=dpid, priority=priority, match=pair_match(state, target, dst),
                                  actions=actions, meter_id=meter.meter_id))
    plan = {"target": target, "switch": switch, "cap_mbps": cap, "meter_id": meter.meter_id}
    return ChangeSet(flows_add=tuple(flows), meters_add=(meter,), flows_remove=old_flows,
                     meters_remove=tuple(m for cs in old[-1:] for m in cs.meters_add),
                     checks=(proofs.cap_check(state, target, cap),),
                     summary=f"rate.limit {target} to {cap:g} Mbit/s (meter {meter.meter_id} at {switch})",
                     intent={"kind": kind, "params": params, "plan": plan})


def _actions_towards(state: InstalledState, src: str, dst: str, switch: str) -> tuple[dict, ...]:
    if dst == src:
        return ()
    rule = effective_rule(state, src, dst, switch)
    if rule is not None and rule.priority not in PRIORITY["rate"]:
        return tuple(rule.actions)          # empty when the pair is blocked: nothing to meter
    path = current_path(state, src, dst)
    if path is None:
        return ()
    return ({"type": "OUTPUT", "port": out_port(state, switch, path[2])},)

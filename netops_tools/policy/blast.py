"""Blast radius: how much of a switch a ChangeSet removes, and never the controller's flows
(cookie top byte 0xC0: routing and table-miss)."""

from __future__ import annotations

from collections import Counter

from netops_tools.policy.config import PolicyConfig
from netops_tools.state import NetworkState
from twin.model.changeset import ChangeSet, FlowRule, role_of_cookie


def _is_table_miss(rule: FlowRule) -> bool:
    return rule.priority == 0 and not rule.match


def _is_controllers(rule: FlowRule) -> bool:
    return role_of_cookie(rule.cookie or 0) == "controller"


def _protected_flows(changeset: ChangeSet, state: NetworkState) -> list[str]:
    reasons = []
    for rule in changeset.flows_remove:
        if _is_controllers(rule):
            reasons.append(f"removes a controller flow on dpid {rule.dpid} (cookie {rule.cookie:#x}, "
                           f"priority {rule.priority}): controller routing flows are protected")
        elif _is_table_miss(rule):
            reasons.append(f"removes the table-miss flow on dpid {rule.dpid}")
    for rule in changeset.flows_add:
        if _is_table_miss(rule):
            reasons.append(f"replaces the table-miss flow on dpid {rule.dpid} (priority 0, empty match)")
        overwritten = [f for f in state.flows.get(rule.dpid, [])
                       if f.identity() == rule.identity() and _is_controllers(f)]
        if overwritten:
            reasons.append(f"would overwrite controller flow priority {rule.priority} {dict(rule.match)} "
                           f"on dpid {rule.dpid} (same priority and match)")
    return reasons


def _removal_share(changeset: ChangeSet, state: NetworkState, config: PolicyConfig) -> list[str]:
    reasons = []
    removed = Counter(rule.dpid for rule in changeset.flows_remove)
    for dpid, count in sorted(removed.items()):
        own = [f for f in state.flows.get(dpid, []) if not _is_controllers(f)]
        if len(own) < config.min_flows_for_share and count <= 1:
            continue     # removing the one rule of a nearly empty switch is not a large blast
        share = count / max(1, len(own))
        if share > config.max_remove_share:
            reasons.append(f"removes {count} of {len(own)} non-controller flows on dpid {dpid} "
                           f"({share:.0%}); the limit is {config.max_remove_share:.0%}")
    return reasons


def blast_radius(changeset: ChangeSet, state: NetworkState, config: PolicyConfig) -> list[str]:
    return _protected_flows(changeset, state) + _removal_share(changeset, state, config)

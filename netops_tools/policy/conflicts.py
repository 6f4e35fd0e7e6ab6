"""Conflicts with what is installed.

A new rule conflicts when
  - an installed rule of higher priority covers it with a different action (the new rule
    would never fire: shadowed);
  - it covers a rule installed by another ChangeSet or by hand, of lower priority, with a
    different action (it would silently disable that rule: shadowing). The controller's
    routing flows are exempt: overriding routing is what steering and ACLs are for;
  - it overlaps an installed rule of the same priority with a different action (OpenFlow
    leaves the winner undefined), or has exactly its match and priority (an add would
    silently replace it).
Rules of this same ChangeSet (a re-apply) and rules it removes are not compared.
"""

from __future__ import annotations

from netops_tools.matching import covers, overlaps
from netops_tools.state import NetworkState
from twin.model.changeset import ChangeSet, FlowRule, role_of_cookie


def _behaviour(rule: FlowRule) -> tuple:
    return (tuple(sorted(a.items()) for a in rule.actions), rule.meter_id)


def _describe(rule: FlowRule) -> str:
    owner = role_of_cookie(rule.cookie or 0)
    return f"priority {rule.priority} {dict(rule.match)} ({owner} cookie {rule.cookie or 0:#x})"


def _conflict(new: FlowRule, old: FlowRule) -> str | None:
    if _behaviour(new) == _behaviour(old) or new.table_id != old.table_id:
        return None
    where = f"on dpid {new.dpid}: new rule priority {new.priority} {dict(new.match)}"
    if old.identity() == new.identity():
        if role_of_cookie(old.cookie or 0) == "controller":
            return None          # blast radius already refuses overwriting the controller's flows
        return f"{where} would replace installed {_describe(old)}, which does something else"
    if old.priority > new.priority and covers(old.match, new.match):
        return f"{where} is shadowed by installed {_describe(old)} with a different action"
    if (old.priority < new.priority and role_of_cookie(old.cookie or 0) != "controller"
            and covers(new.match, old.match)):
        return f"{where} shadows installed {_describe(old)} with a different action"
    if old.priority == new.priority and old.identity() != new.identity() and overlaps(old.match, new.match):
        return f"{where} overlaps installed {_describe(old)} at the same priority with a different action"
    return None


def flow_conflicts(changeset: ChangeSet, state: NetworkState) -> list[str]:
    removed = {r.identity() for r in changeset.flows_remove}
    reasons = []
    for new in changeset.flows_add:
        for old in state.flows.get(new.dpid, []):
            if old.cookie == changeset.cookie or old.identity() in removed:
                continue
            reason = _conflict(new, old)
            if reason:
                reasons.append(reason)
    return reasons


def meter_conflicts(changeset: ChangeSet, state: NetworkState) -> list[str]:
    reasons = []
    for meter in changeset.meters_add:
        for installed in state.meters.get(meter.dpid, []):
            if installed.meter_id == meter.meter_id and installed != meter:
                reasons.append(f"meter {meter.meter_id} on dpid {meter.dpid} already exists with rate "
                               f"{installed.rate_kbps} kbps (ChangeSet wants {meter.rate_kbps} kbps)")
    available = {(m.dpid, m.meter_id) for ms in state.meters.values() for m in ms}
    available |= {m.identity() for m in changeset.meters_add}
    for rule in changeset.flows_add:
        if rule.meter_id is not None and (rule.dpid, rule.meter_id) not in available:
            reasons.append(f"flow on dpid {rule.dpid} uses meter {rule.meter_id}, which neither exists "
                           "nor is added by this ChangeSet")
    return reasons

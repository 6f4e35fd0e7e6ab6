"""Applying a ChangeSet to a controller, and putting a switch back as it was.

Restore is limited to what the ChangeSet touches (its cookie, the identities of the flows it
adds or removes, the meter ids it adds or removes), so it never fights the controller over
flows it manages itself. A switch that disconnects mid-way is retried.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol

from netops_tools.drivers.base import ControllerDriver
from netops_tools.errors import DriverError, PushError
from netops_tools.state import NetworkState
from twin.model.changeset import ChangeSet, FlowRule, Meter, QueueSetting

RESTORE_ATTEMPTS = 5
RESTORE_BACKOFF_S = 1.0


class QueueApplier(Protocol):
    def apply_queue(self, queue: QueueSetting) -> None: ...
    def remove_queue(self, queue: QueueSetting) -> None: ...


def apply_changeset(driver: ControllerDriver, changeset: ChangeSet, state: NetworkState,
                    queues: QueueApplier | None = None) -> None:
    """Meters first (flows refer to them), then flows, then removals; raises on the first error."""
    if (changeset.queues_add or changeset.queues_remove) and queues is None:
        raise PushError(f"ChangeSet {changeset.id} sets queues but no queue applier is configured")
    present = {m.identity(): m for ms in state.meters.values() for m in ms}
    for meter in changeset.meters_add:
        if present.get(meter.identity()) != meter:
            driver.add_meter(meter)
    for rule in changeset.installed_flows():
        driver.add_flow(rule)
    for rule in changeset.flows_remove:
        driver.delete_flow_strict(rule)
    for meter in changeset.meters_remove:
        driver.delete_meter(meter.dpid, meter.meter_id)
    for queue in changeset.queues_add:
        queues.apply_queue(queue)
    for queue in changeset.queues_remove:
        queues.remove_queue(queue)


def is_applied(changeset: ChangeSet, state: NetworkState) -> bool:
    installed = {r.identity(): r for rules in state.flows.values() for r in rules}
    meters = {m.identity(): m for ms in state.meters.values() for m in ms}
    return (all(installed.get(r.identity()) == r for r in changeset.installed_flows())
            and all(installed.get(r.identity()) != r for r in changeset.flows_remove)
            and all(meters.get(m.identity()) == m for m in changeset.meters_add)
            and all(m.identity() not in meters for m in changeset.meters_remove))


def put_meters(driver: ControllerDriver, dpid: int, meters: Iterable[Meter]) -> int:
    """Make the switch carry these meters as given (replacing one with the same id but other
    bands); returns how many it had to write. Meters not listed are left alone."""
    have = {m.meter_id: m for m in driver.meters(dpid)}
    written = 0
    for meter in meters:
        if have.get(meter.meter_id) != meter:
            if meter.meter_id in have:
                driver.delete_meter(dpid, meter.meter_id)
            driver.add_meter(meter)
            written += 1
    return written


def _restore_switch(driver: ControllerDriver, changeset: ChangeSet, before: NetworkState, dpid: int) -> None:
    touched = {r.identity() for r in changeset.flows_add + changeset.flows_remove if r.dpid == dpid}
    meter_ids = {m.meter_id for m in changeset.meters_add + changeset.meters_remove if m.dpid == dpid}
    want_flows = {r.identity(): r for r in before.flows.get(dpid, []) if r.identity() in touched}
    want_meters = {m.meter_id: m for m in before.meters.get(dpid, []) if m.meter_id in meter_ids}
    have_meters = {m.meter_id for m in driver.meters(dpid)}
    put_meters(driver, dpid, want_meters.values())
    driver.delete_flows_by_cookie(dpid, changeset.cookie)
    have_flows = {f.rule.identity(): f.rule for f in driver.flows(dpid)}
    for identity in touched:
        want, have = want_flows.get(identity), have_flows.get(identity)
        if want is not None and have != want:
            driver.add_flow(want)
        elif want is None and have is not None:
            driver.delete_flow_strict(have)
    for meter_id in meter_ids - set(want_meters):
        if meter_id in have_meters:
            driver.delete_meter(dpid, meter_id)


def undo_queues(changeset: ChangeSet, queues: QueueApplier | None) -> None:
    """Take off the queues the ChangeSet added and put back those it removed (a validated
    slice.modify or slice.delete must leave the slice it replaced with its classes)."""
    if queues is None:
        return
    for queue in changeset.queues_add:
        queues.remove_queue(queue)
    for queue in changeset.queues_remove:
        queues.apply_queue(queue)


def restore(driver: ControllerDriver, changeset: ChangeSet, before: NetworkState,
            sleep: Callable[[float], None], attempts: int = RESTORE_ATTEMPTS,
            queues: QueueApplier | None = None) -> bool:
    """Put every switch the ChangeSet touches back as `before` (its queues too, when a queue
    applier is given); True when the flows and meters verifiably are."""
    if not is_applied(changeset, before):
        undo_queues(changeset, queues)     # when it was in place before, so were its queues: keep them
    pending = sorted(changeset.dpids())
    for attempt in range(attempts):
        failed = []
        for dpid in pending:
            try:
                _restore_switch(driver, changeset, before, dpid)
            except DriverError:
                failed.append(dpid)
        pending = failed
        if not pending:
            break
        sleep(RESTORE_BACKOFF_S * (attempt + 1))
    if pending:
        return False
    try:
        after = NetworkState.read(driver, changeset.dpids())
    except DriverError:
        return False
    return _same_as_before(changeset, before, after)


def _owned(changeset: ChangeSet, rule: FlowRule) -> bool:
    touched = {r.identity() for r in changeset.flows_add + changeset.flows_remove}
    return rule.cookie == changeset.cookie or rule.identity() in touched


def _same_as_before(changeset: ChangeSet, before: NetworkState, after: NetworkState) -> bool:
    for dpid in changeset.dpids():
        old = sorted(str(r.to_dict()) for r in before.flows.get(dpid, []) if _owned(changeset, r))
        new = sorted(str(r.to_dict()) for r in after.flows.get(dpid, []) if _owned(changeset, r))
        if old != new or before.meter_digest().get(dpid) != after.meter_digest().get(dpid):
            return False
    return True

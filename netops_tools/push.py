"""Validate on the twin, then push to prod as a transaction; roll back by cookie.

validate(): policy on the twin's state, apply, run the declared checks through the prober,
then put the twin back (unless keep=True) -> ValidationReport.
push(): needs a passing report for the same ChangeSet id and an approval reference;
snapshots what the ChangeSet touches, checks policy, applies, probes; on any failure it
restores the snapshot and raises PushFailed saying whether the network is as before.
Applying an already-applied ChangeSet changes nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from netops_tools.checks import CheckResult, Prober, ValidationReport, run_checks
from netops_tools.drivers.base import ControllerDriver
from netops_tools.errors import (
    ApprovalRequired,
    DriverError,
    PolicyViolation,
    PushError,
    PushFailed,
    ValidationRequired,
)
from netops_tools.policy import PolicyConfig, check_changeset
from netops_tools.state import NetworkState
from netops_tools.transaction import QueueApplier, apply_changeset, is_applied, restore, undo_queues
from twin.model import Topology
from twin.model.changeset import ChangeSet, SliceReservation


@dataclass(frozen=True)
class Target:
    """A network to apply to: its name, controller driver and topology, and what it has admitted."""

    name: str
    driver: ControllerDriver
    topology: Topology | None = None
    slices: tuple[SliceReservation, ...] = ()
    queues: QueueApplier | None = None

    def read(self, changeset: ChangeSet) -> NetworkState:
        return NetworkState.read(self.driver, sorted(changeset.dpids()), self.topology, self.slices)


@dataclass(frozen=True)
class PushResult:
    changeset_id: str
    target: str
    changed: bool
    duration_s: float
    post_checks: tuple[CheckResult, ...] = ()


def validate(changeset: ChangeSet, twin: Target, prober: Prober, *, policy: PolicyConfig | None = None,
             keep: bool = False, clock: Callable[[], float] = time.time,
             sleep: Callable[[float], None] = time.sleep) -> ValidationReport:
    started, wall = time.monotonic(), clock()

    def report(passed: bool, **extra) -> ValidationReport:
        return ValidationReport(changeset.id, twin.name, passed, duration_s=time.monotonic() - started,
                                created_at=wall, **extra)

    before = twin.read(changeset)
    reasons = tuple(check_changeset(changeset, before, policy or PolicyConfig()))
    if reasons:
        return report(False, policy_reasons=reasons)
    try:
        apply_changeset(twin.driver, changeset, before, twin.queues)
    except (DriverError, PushError) as exc:
        restored = restore(twin.driver, changeset, before, sleep, queues=twin.queues)
        return report(False, error=f"apply failed on {twin.name}: {exc}; restored={restored}")
    results = run_checks(changeset.checks, prober, sleep=sleep)
    notes = () if changeset.checks else ("the ChangeSet declares no checks: nothing was probed",)
    if not keep:
        if not restore(twin.driver, changeset, before, sleep, queues=twin.queues):
            return report(False, results=results, error=f"could not put {twin.name} back after validation")
    return report(all(r.passed for r in results), results=results, notes=notes)


def _require(changeset: ChangeSet, report: ValidationReport | None, approval_ref: str | None) -> None:
    if report is None or report.changeset_id != changeset.id:
        raise ValidationRequired(f"ChangeSet {changeset.id} has no validation report; validate it on the "
                                 "twin first")
    if not report.passed:
        raise ValidationRequired(f"the validation report for ChangeSet {changeset.id} did not pass")
    if not approval_ref or not approval_ref.strip():
        raise ApprovalRequired(f"pushing ChangeSet {changeset.id} needs an approval reference")


def push(changeset: ChangeSet, prod: Target, report: ValidationReport | None, approval_ref: str | None, *,
         prober: Prober | None = None, policy: PolicyConfig | None = None,
         sleep: Callable[[float], None] = time.sleep) -> PushResult:
    _require(changeset, report, approval_ref)
    started = time.monotonic()
    before = prod.read(changeset)
    reasons = check_changeset(changeset, before, policy or PolicyConfig())
    if reasons:
        raise PolicyViolation(changeset.id, reasons)
    if is_applied(changeset, before):
        return PushResult(changeset.id, prod.name, False, time.monotonic() - started)
    try:
        apply_changeset(prod.driver, changeset, before, prod.queues)
        checks = run_checks(changeset.checks, prober, sleep=sleep) if prober is not None else ()
        failed = [c.evidence for c in checks if not c.passed]
        if failed:
            raise PushError("post-push probe failed: " + "; ".join(failed))
    except (DriverError, PushError) as exc:
        restored = restore(prod.driver, changeset, before, sleep, queues=prod.queues)
        raise PushFailed(changeset.id, str(exc), restored) from exc
    return PushResult(changeset.id, prod.name, True, time.monotonic() - started, checks)


def rollback(changeset: ChangeSet, target: Target, *, sleep: Callable[[float], None] = time.sleep) -> None:
    """Delete the ChangeSet's flows by cookie and its meters; restore what it removed."""
    inverse_dpids = sorted(changeset.dpids())
    for dpid in inverse_dpids:
        target.driver.delete_flows_by_cookie(dpid, changeset.cookie)
    present = {m.identity() for d in inverse_dpids for m in target.driver.meters(d)}
    for meter in changeset.meters_remove:
        if meter.identity() not in present:
            target.driver.add_meter(meter)
    for rule in changeset.flows_remove:
        target.driver.add_flow(rule)
    for meter in changeset.meters_add:
        if meter.identity() in present:
            target.driver.delete_meter(meter.dpid, meter.meter_id)
    undo_queues(changeset, target.queues)

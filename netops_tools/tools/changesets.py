"""Tools on stored ChangeSets: show (read), and validate, push, rollback (apply).

Validate runs on the invocation's target (the twin) and stores its report; push runs on
the target (prod) and needs that stored, passing report plus an approval reference; both
and rollback are recorded in the push ledger, whose pushed ChangeSets' slices are what the
target has admitted.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from netops_tools.context import ToolContext
from netops_tools.errors import PushFailed
from netops_tools.push import push, rollback, validate
from netops_tools.registry import Tool
from netops_tools.tools.common import VERSION, Args


class ChangeSetRef(Args):
    changeset_id: str = Field(min_length=4, max_length=16, pattern=r"^[0-9a-f]+$")


class ShowOut(BaseModel):
    changeset_id: str
    changeset: dict[str, Any]
    report: dict[str, Any] | None
    applied_on_target: bool


def show(ctx: ToolContext, args: ChangeSetRef) -> ShowOut:
    store = ctx.require_store()
    changeset = store.get(args.changeset_id)
    report = store.latest_report(changeset.id)
    return ShowOut(changeset_id=changeset.id, changeset=changeset.to_dict(),
                   report=report.to_dict() if report else None,
                   applied_on_target=changeset.id in store.applied(ctx.target))


class ValidateArgs(ChangeSetRef):
    keep: bool = False            # leave the ChangeSet installed on the twin afterwards


class ReportOut(BaseModel):
    changeset_id: str
    passed: bool
    report: dict[str, Any]


def _compiled(ctx: ToolContext, changeset) -> bool:
    """A ChangeSet compiled from an intent carries its plan, and its checks (competing
    streams, counter-measured paths, preserved pairs) are measured by the compiler's verifier."""
    return bool(changeset.intent and "plan" in changeset.intent and ctx.network is not None)


def validate_tool(ctx: ToolContext, args: ValidateArgs) -> ReportOut:
    store = ctx.require_store()
    changeset = store.get(args.changeset_id)
    if _compiled(ctx, changeset):
        from netops_tools.compilers.verify import IntentProber, validate_intent
        report = validate_intent(changeset, ctx.as_target(), IntentProber(ctx.network, ctx.driver),
                                 keep=args.keep, policy=ctx.policy, sleep=ctx.sleep)
    else:
        report = validate(changeset, ctx.as_target(), ctx.require_prober(), policy=ctx.policy, keep=args.keep,
                          clock=ctx.clock, sleep=ctx.sleep)
    store.save_report(report)
    if args.keep and report.passed:
        store.record(changeset.id, ctx.target, "pushed", "validation (keep)")
    return ReportOut(changeset_id=changeset.id, passed=report.passed, report=report.to_dict())


class PushArgs(ChangeSetRef):
    approval_ref: str = Field(min_length=1, max_length=200)


class PushOut(BaseModel):
    changeset_id: str
    target: str
    changed: bool
    duration_s: float
    post_checks: list[dict[str, Any]]


def push_tool(ctx: ToolContext, args: PushArgs) -> PushOut:
    store = ctx.require_store()
    changeset = store.get(args.changeset_id)
    compiled = _compiled(ctx, changeset)
    target = ctx.as_target()
    result = push(changeset, target, store.latest_report(changeset.id), args.approval_ref,
                  prober=None if compiled else ctx.prober, policy=ctx.policy, sleep=ctx.sleep)
    post = result.post_checks
    if compiled and result.changed:
        post = _verify_on_target(ctx, changeset, target)
    store.record(changeset.id, ctx.target, "pushed", args.approval_ref)
    checks = [c.to_dict() for c in post]
    return PushOut(changeset_id=changeset.id, target=ctx.target, changed=result.changed,
                   duration_s=round(result.duration_s, 4), post_checks=checks)


def _verify_on_target(ctx: ToolContext, changeset, target):
    """The intent's checks on the network just pushed to; any failure takes the push back out."""
    from netops_tools.compilers.verify import IntentProber
    from netops_tools.compilers.verify.runner import check_applied
    results = check_applied(changeset, target, IntentProber(ctx.network, ctx.driver), sleep=ctx.sleep)
    failed = [r.evidence for r in results if not r.passed]
    if failed:
        rollback(changeset, target, sleep=ctx.sleep)
        raise PushFailed(changeset.id, "post-push probe failed: " + "; ".join(map(str, failed)), True)
    return results


class RollbackOut(BaseModel):
    changeset_id: str
    target: str


def rollback_tool(ctx: ToolContext, args: ChangeSetRef) -> RollbackOut:
    store = ctx.require_store()
    changeset = store.get(args.changeset_id)
    rollback(changeset, ctx.as_target(), sleep=ctx.sleep)
    store.record(changeset.id, ctx.target, "rolled_back")
    return RollbackOut(changeset_id=changeset.id, target=ctx.target)


TOOLS = [
    Tool("changeset_show", "A stored ChangeSet, its latest validation report, and whether it is applied.",
         "read", "control-plane", VERSION, ChangeSetRef, show),
    Tool("changeset_validate", "Apply a stored ChangeSet on the twin, run its declared checks, report.",
         "apply", "control-plane", VERSION, ValidateArgs, validate_tool),
    Tool("changeset_push", "Push a validated, approved ChangeSet to the target as a transaction.",
         "apply", "control-plane", VERSION, PushArgs, push_tool),
    Tool("changeset_rollback", "Remove a pushed ChangeSet by cookie and restore what it removed.",
         "apply", "control-plane", VERSION, ChangeSetRef, rollback_tool),
]

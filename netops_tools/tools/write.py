"""Write tools: each returns a ChangeSet and never touches a network.

`flow_add` takes exactly the body of Ryu's POST /stats/flowentry/add (the `flow.add` intent);
`flow_remove` looks the installed entry up so the ChangeSet can restore it on rollback;
`changeset_build` lets a compiler or agent register a complete ChangeSet through the
audited path.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from netops_tools.context import ToolContext
from netops_tools.errors import ToolInputError
from netops_tools.matching import MatchError, normalise
from netops_tools.registry import Tool
from netops_tools.tools.common import VERSION, Args
from twin.model.changeset import (
    CONTROLLER_COOKIE_BYTE,
    COOKIE_SHIFT,
    ChangeSet,
    ChangeSetError,
    FlowRule,
    canonical_match,
)

DEFAULT_PRIORITY = 100


class FlowAddArgs(Args):
    dpid: int = Field(ge=1)
    priority: int | None = Field(default=None, ge=0, le=65535)
    match: dict[str, Any] = Field(default_factory=dict)
    actions: list[dict[str, Any]] = Field(default_factory=list)
    idle_timeout: int = Field(default=0, ge=0, le=65535)
    hard_timeout: int = Field(default=0, ge=0, le=65535)
    meter_id: int | None = Field(default=None, ge=1)
    checks: list[dict[str, Any]] = Field(default_factory=list)
    summary: str = ""


def _check_match(tool: str, match: dict[str, Any]) -> dict[str, Any]:
    try:
        canonical = canonical_match(match)
        normalise(canonical)
    except (MatchError, ChangeSetError) as exc:
        raise ToolInputError(tool, "match", str(exc)) from None
    return canonical


def _known_dpid(ctx: ToolContext, tool: str, dpid: int) -> None:
    if dpid not in ctx.addressing.dpids.values():
        raise ToolInputError(tool, "dpid", f"no switch with dpid {dpid} in {ctx.topology.name} "
                             f"(dpids 1..{len(ctx.addressing.dpids)})")


def flow_add(ctx: ToolContext, args: FlowAddArgs) -> ChangeSet:
    _known_dpid(ctx, "flow_add", args.dpid)
    match = _check_match("flow_add", args.match)
    for index, action in enumerate(args.actions):
        if not isinstance(action.get("type"), str):
            raise ToolInputError("flow_add", f"actions.{index}.type", "every action needs a string type")
    rule = FlowRule(dpid=args.dpid, priority=args.priority if args.priority is not None else DEFAULT_PRIORITY,
                    match=match, actions=tuple(args.actions), idle_timeout=args.idle_timeout,
                    hard_timeout=args.hard_timeout, meter_id=args.meter_id)
    verb = "drop" if rule.drops else "forward"
    return ChangeSet(flows_add=(rule,), checks=tuple(args.checks),
                     summary=args.summary or f"flow.add on dpid {rule.dpid}: {verb} {match}",
                     intent={"kind": "flow.add", "params": args.model_dump(exclude={"checks", "summary"})})


class FlowRemoveArgs(Args):
    dpid: int = Field(ge=1)
    priority: int = Field(ge=0, le=65535)
    match: dict[str, Any] = Field(default_factory=dict)
    table_id: int = Field(default=0, ge=0, le=254)
    summary: str = ""


def flow_remove(ctx: ToolContext, args: FlowRemoveArgs) -> ChangeSet:
    _known_dpid(ctx, "flow_remove", args.dpid)
    match = _check_match("flow_remove", args.match)
    wanted = FlowRule(dpid=args.dpid, priority=args.priority, match=match, table_id=args.table_id).identity()
    found = [f.rule for f in ctx.driver.flows(args.dpid) if f.rule.identity() == wanted]
    if not found:
        raise ToolInputError("flow_remove", "match", f"no flow with priority {args.priority} and exactly "
                             f"this match is installed on dpid {args.dpid}")
    if (found[0].cookie or 0) >> COOKIE_SHIFT == CONTROLLER_COOKIE_BYTE:
        raise ToolInputError("flow_remove", "match", "that flow belongs to the controller (cookie 0xC0...) "
                             "and is protected")
    summary = f"remove flow priority {args.priority} {match} on dpid {args.dpid}"
    return ChangeSet(flows_remove=(found[0],), summary=args.summary or summary)


class ChangeSetArgs(Args):
    changeset: dict[str, Any]


def changeset_build(ctx: ToolContext, args: ChangeSetArgs) -> ChangeSet:
    try:
        changeset = ChangeSet.from_dict(args.changeset)
    except (KeyError, TypeError) as exc:
        raise ToolInputError("changeset_build", "changeset", f"not a ChangeSet document: {exc}") from None
    for flow in changeset.flows_add + changeset.flows_remove:
        _known_dpid(ctx, "changeset_build", flow.dpid)
        _check_match("changeset_build", dict(flow.match))
    return changeset


TOOLS = [
    Tool("flow_add", "Build a ChangeSet adding one flow rule (Ryu ofctl_rest flowentry body).",
         "write", "control-plane", VERSION, FlowAddArgs, flow_add),
    Tool("flow_remove", "Build a ChangeSet removing one installed flow (not the controller's own).",
         "write", "control-plane", VERSION, FlowRemoveArgs, flow_remove),
    Tool("changeset_build", "Register a complete ChangeSet document (flows, meters, queues, checks).",
         "write", "control-plane", VERSION, ChangeSetArgs, changeset_build),
]

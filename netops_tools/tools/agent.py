"""Tools the control-plane agent needs around a ChangeSet: the policy verdict for a target
(evidence before approval), re-syncing the twin from prod after a push, and what-if analysis."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from netops_tools.context import ToolContext
from netops_tools.errors import ToolInputError
from netops_tools.policy import check_changeset
from netops_tools.registry import Tool
from netops_tools.state import NetworkState
from netops_tools.sync import sync_flows
from netops_tools.tools.changesets import ChangeSetRef
from netops_tools.tools.common import VERSION, Args
from twin.model.changeset import ChangeSet


class CompileArgs(Args):
    intent: dict[str, Any]                                  # the canonical intent (contract)
    state_of: str | None = Field(default=None, max_length=32)   # compile against this network's state
    feedback: list[str] = Field(default_factory=list, max_length=10)   # why earlier plans failed


def intent_compile(ctx: ToolContext, args: CompileArgs) -> ChangeSet:
    """Pure compilation against what a network holds: its flows and meters, and the ChangeSets
    applied to it (slices and ACLs live in their plans). The agent compiles against prod's
    state while invoking on the twin, where the ChangeSet will be validated first."""
    from netops_tools.compilers import InstalledState, compile_intent
    source = ctx if args.state_of in (None, ctx.target) else _peer(ctx, args.state_of)
    store = source.require_store()
    read = NetworkState.read(source.driver)
    applied = tuple(store.get(changeset_id) for changeset_id in store.applied(source.target))
    return compile_intent(args.intent, InstalledState(source.topology, read.flows, read.meters, applied))


def _peer(ctx: ToolContext, name: str) -> ToolContext:
    if ctx.peer is None:
        raise ToolInputError("intent_compile", "state_of", "this toolbox cannot reach other networks")
    return ctx.peer(name)


class PolicyOut(BaseModel):
    changeset_id: str
    target: str
    allowed: bool
    reasons: list[str]


def changeset_policy(ctx: ToolContext, args: ChangeSetRef) -> PolicyOut:
    changeset = ctx.require_store().get(args.changeset_id)
    reasons = check_changeset(changeset, ctx.state(), ctx.policy)
    return PolicyOut(changeset_id=changeset.id, target=ctx.target, allowed=not reasons, reasons=reasons)


class SyncArgs(Args):
    source: str = Field(default="prod", min_length=1, max_length=32)


class SyncOut(BaseModel):
    source: str
    target: str
    flows_added: int
    flows_removed: int
    meters_added: int
    meters_removed: int


def twin_sync(ctx: ToolContext, args: SyncArgs) -> SyncOut:
    if args.source == ctx.target:
        raise ToolInputError("twin_sync", "source", "a network cannot be synced from itself")
    if ctx.peer is None:
        raise ToolInputError("twin_sync", "source", "this toolbox cannot reach other networks")
    source = ctx.peer(args.source)
    report = sync_flows(source.driver, ctx.driver)
    return SyncOut(source=args.source, target=ctx.target, **report.__dict__)


class WhatIfArgs(Args):
    kind: Literal["whatif.link_down", "whatif.node_down"]
    link: list[str] | None = Field(default=None, min_length=2, max_length=2)
    node: str | None = None


class WhatIfOut(BaseModel):
    kind: str
    summary: str
    answer: dict[str, Any]


def whatif(ctx: ToolContext, args: WhatIfArgs) -> WhatIfOut:
    from twin.analysis.whatif import link_down, node_down  # numpy/scipy: only when asked
    topo = ctx.topology
    if args.kind == "whatif.link_down":
        if not args.link:
            raise ToolInputError("whatif", "link", "a link-down question needs the link's two ends")
        a, b = args.link
        for end in (a, b):
            if end not in topo.nodes:
                raise ToolInputError("whatif", "link", f"{end!r} is not a node of {topo.name}")
        if b not in topo.neighbors(a):
            raise ToolInputError("whatif", "link", f"there is no link {a}-{b} in {topo.name}")
        answer = link_down(topo, a, b)
        subject = f"link {a}-{b}"
    else:
        if not args.node or args.node not in topo.nodes:
            raise ToolInputError("whatif", "node", f"{args.node!r} is not a node of {topo.name}")
        answer = node_down(topo, args.node)
        subject = f"node {args.node}"
    lost = answer.lost
    summary = (f"If {subject} fails: {len(lost)} of {answer.host_pairs} host pairs lose connectivity"
               + (f" ({', '.join(f'{p.src}->{p.dst}' for p in lost[:6])}{', ...' if len(lost) > 6 else ''})"
                  if lost else "")
               + f"; {len(answer.rerouted)} pairs are rerouted, mean +{answer.mean_added_ms:.2f} ms"
               + (f", worst stretch x{answer.max_latency_stretch:.2f}" if answer.max_latency_stretch else "")
               + ". Nothing was changed.")
    return WhatIfOut(kind=args.kind, summary=summary, answer=answer.to_dict())


TOOLS = [
    Tool("intent_compile", "Compile a canonical intent into a ChangeSet with the checks that prove it.",
         "write", "control-plane", VERSION, CompileArgs, intent_compile),
    Tool("changeset_policy", "Whether policy allows a stored ChangeSet on the target, with every reason if not.",
         "read", "control-plane", VERSION, ChangeSetRef, changeset_policy),
    Tool("twin_sync", "Make the target (the twin) carry the source network's (prod's) flows and meters.",
         "apply", "control-plane", VERSION, SyncArgs, twin_sync),
    Tool("whatif", "Analytic what-if of one link or node failure: lost pairs, rerouted pairs, stretch.",
         "read", "control-plane", VERSION, WhatIfArgs, whatif),
]

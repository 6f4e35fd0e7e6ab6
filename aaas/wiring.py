"""The composition root: the only place that joins real adapters to the agents.

The control-plane agent gets the parser (embedded, or an LLM endpoint when configured), the
knowledge base, the audited tool registry over the twin and prod networks, and the
data-plane hand-off for service.deploy (an injected callable: the agent packages never
import each other).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aaas.settings import Settings

OUTCOME_OF_STATUS = {"done": "pushed", "refused": "refused", "rejected": "rejected", "failed": "failed"}


def build_parser():
    from cp_agents.llm import LlmIntentParser, LlmSettings, configured
    from cp_agents.retrieval.example_index import default_parser
    embedded = default_parser()
    if configured():
        return LlmIntentParser(LlmSettings.from_env(), fallback=embedded)
    return embedded


def service_handoff(params: dict[str, Any]) -> dict[str, Any]:
    """service.deploy -> the data-plane agents' plan, as plain data for the console."""
    from dp_agents.handoff import deploy_service
    from dp_agents.planning import render_plan
    plan = deploy_service(params)
    return {"summary": render_plan(plan), "ok": plan.ok, "plan": plan.to_json()}


def build_operator(settings: Settings | None = None):
    from cp_agents.graph import AgentServices, Operator
    from cp_agents.knowledge import KnowledgeBase
    from netops_tools.registry import Actor
    from netops_tools.workspace import Workspace

    settings = settings or Settings.from_env()
    workspace = Workspace(settings.home)
    knowledge = KnowledgeBase.open(experience_root=settings.home / "experience")
    parser = build_parser()

    def retrieve(query: str, k: int) -> list[dict]:
        return [{"source": f"{p.source}#{p.heading}" if p.heading else p.source, "text": p.text,
                 "score": p.score} for p in knowledge.search(query, k)]

    def learn(record: dict) -> None:
        outcome = OUTCOME_OF_STATUS.get(record["outcome"])
        if outcome:
            knowledge.add_experience({
                "outcome": outcome, "text": record["text"], "kind": record.get("kind"),
                "params": record.get("params") or {}, "summary": record.get("summary") or record.get("reason") or "",
                "changeset_id": record.get("changeset_id"),
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")})

    services = AgentServices(
        parse=lambda text: parser.parse(text).model_dump(mode="json"), retrieve=retrieve,
        registry=workspace.registry(sandboxes=frozenset({settings.twin})),
        make_actor=lambda thread: Actor(f"cp-agent#{thread}", "control"),
        learn=learn, handoff=service_handoff, twin=settings.twin, prod=settings.prod)
    return Operator(services, settings.home / "agent.sqlite",
                    audit_ids=lambda actor: [r.seq for r in workspace.audit.records(actor=actor)],
                    audit_records=lambda limit: [r.to_dict() for r in
                                                 reversed(workspace.audit.records())][:limit],
                    topology_view=lambda: topology_view(workspace, settings))


def topology_view(workspace, settings: Settings) -> dict[str, Any]:
    """The prod topology with what is installed on it, from the ChangeSet store (no network
    call, so a console refreshing the picture adds nothing to the audit trail)."""
    from twin.emu import EmuError, Network
    from twin.model import load_topology
    try:
        topo = Network.load(settings.prod).topology
    except EmuError:
        topo = load_topology(settings.topology)
    view: dict[str, Any] = {
        "name": topo.name,
        "nodes": [{"name": n.name, "role": n.role} for n in topo.nodes.values()],
        "links": [{"a": link.a, "b": link.b, "bandwidth_mbps": link.bandwidth_mbps, "delay_ms": link.delay_ms}
                  for link in topo.links],
        "slices": [], "acls": [], "drained": [], "avoid": [], "limits": []}
    for changeset_id in workspace.store.applied(settings.prod):
        changeset = workspace.store.get(changeset_id)
        intent = changeset.intent or {}
        kind, params = intent.get("kind"), intent.get("params") or {}
        if kind == "slice.create":
            view["slices"].append({**params, "changeset_id": changeset_id,
                                   "links": [link for s in changeset.slices for link in s.links]})
        elif kind == "acl.block":
            view["acls"].append({**params, "changeset_id": changeset_id})
        elif kind == "node.drain":
            view["drained"].append(params.get("node"))
        elif kind == "path.avoid":
            view["avoid"].extend(params.get("avoid") or [])
        elif kind == "rate.limit":
            view["limits"].append({**params, "changeset_id": changeset_id})
    return view

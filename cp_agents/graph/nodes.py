"""The nodes of the intent pipeline. Each is `(state, runtime) -> update`; every network
operation is a registry invocation under the thread's actor, so each leaves an audit record.

parse -> retrieve -> plan -> validate -> audit -> approve -> push -> verify -> learn -> answer
Queries and what-ifs go retrieve -> query -> learn -> answer (read-only, no approval).
"""

from __future__ import annotations

import json
from typing import Any

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from cp_agents.graph.services import AgentServices
from cp_agents.graph.state import RunState

READ_ONLY_PREFIXES = ("query.", "whatif.")


class ToolFailure(Exception):
    """A registry invocation raised: the message is what the operator is told."""


def _call(runtime: Runtime[AgentServices], state: RunState, tool: str, args: dict, target: str,
          approval: str | None = None) -> dict:
    services = runtime.context
    try:
        invocation = services.registry.invoke(services.make_actor(state["thread_id"]), tool, args,
                                              target=target, approval=approval)
    except Exception as exc:           # refused, failed or bad input: already audited
        raise ToolFailure(f"{tool} on {target}: {exc}") from exc
    return invocation.output.model_dump(mode="json")


def parse(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    intent = runtime.context.parse(state["text"])
    if intent["status"] != "ok":
        return {"intent": intent, "status": intent["status"], "reason": intent.get("reason")}
    return {"intent": intent, "status": "parsed", "attempts": 0, "feedback": []}


def retrieve(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    intent = state["intent"]
    query = f"{intent['kind']} {json.dumps(intent['params'], sort_keys=True)} {state['text']}"
    passages = runtime.context.retrieve(query, runtime.context.retrieve_k)
    return {"retrieved": [{"source": p["source"], "text": p["text"][:600],
                           "score": round(float(p.get("score", 0.0)), 3)} for p in passages]}


def plan(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    attempts = state.get("attempts", 0) + 1
    try:
        out = _call(runtime, state, "intent_compile",
                    {"intent": state["intent"], "state_of": runtime.context.prod,
                     "feedback": state.get("feedback", [])},
                    runtime.context.twin)
    except ToolFailure as exc:
        return {"status": "refused", "reason": _reason(exc), "attempts": attempts, "plan": None}
    return {"status": "planned", "attempts": attempts,
            "plan": {"changeset_id": out["changeset_id"], "summary": out["summary"],
                     "changeset": out["changeset"]}}


def validate(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    changeset_id = state["plan"]["changeset_id"]
    try:
        out = _call(runtime, state, "changeset_validate", {"changeset_id": changeset_id},
                    runtime.context.twin)
    except ToolFailure as exc:
        report = {"passed": False, "error": _reason(exc), "checks": []}
        return {"validation": report, "status": "invalid",
                "feedback": [*state.get("feedback", []), report["error"]]}
    report = {"passed": out["passed"], **out["report"]}
    update: dict[str, Any] = {"validation": report, "status": "validated" if out["passed"] else "invalid"}
    if not out["passed"]:
        failed = [f"{(r.get('check') or {}).get('type', 'check')}: {r.get('evidence', '')}"
                  for r in report.get("results", []) if not r.get("passed")]
        why = "; ".join(failed) or report.get("error") or "; ".join(report.get("policy_reasons", ()))
        update["feedback"] = [*state.get("feedback", []), f"failed on the twin: {why or 'see the report'}"]
    return update


def audit(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    """Policy on production and the anomaly verdict, as evidence for the approver."""
    try:
        out = _call(runtime, state, "changeset_policy", {"changeset_id": state["plan"]["changeset_id"]},
                    runtime.context.prod)
    except ToolFailure as exc:
        return {"audit": {"allowed": False, "reasons": [_reason(exc)], "anomaly": []},
                "status": "refused", "reason": _reason(exc)}
    if not out["allowed"]:
        return {"audit": out, "status": "refused",
                "reason": "policy refuses this change on prod: " + "; ".join(out["reasons"])}
    return {"audit": out, "status": "awaiting_approval"}


def approve(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    """Its own node: on resume LangGraph re-runs it from the start, so nothing before the
    interrupt may have side effects."""
    decision = interrupt({"question": "approve this change for prod?", "plan": state["plan"],
                          "validation": state.get("validation"), "audit": state.get("audit")})
    approved = bool(decision.get("approve"))
    return {"approval": {"approve": approved, "approver": str(decision.get("approver", "unknown")),
                         "comment": str(decision.get("comment", ""))},
            "status": "approved" if approved else "rejected",
            "reason": None if approved else f"rejected by {decision.get('approver', 'the operator')}"}


def push(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    approval = state["approval"]
    reference = f"{approval['approver']}@{state['thread_id']}"
    try:
        out = _call(runtime, state, "changeset_push",
                    {"changeset_id": state["plan"]["changeset_id"], "approval_ref": reference},
                    runtime.context.prod, approval=reference)
    except ToolFailure as exc:
        return {"push": {"error": _reason(exc)}, "pushed": False, "status": "failed",
                "reason": f"push to prod failed and was rolled back: {_reason(exc)}"}
    return {"push": out, "pushed": True, "status": "pushed"}


def verify(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    checks = state["push"].get("post_checks", [])
    verified = all(c.get("passed") for c in checks)
    update: dict[str, Any] = {"verified_on_prod": verified, "status": "done" if verified else "failed"}
    if not verified:
        update["reason"] = "post-push checks failed on prod"
    try:      # the twin follows prod, so the next plan is validated against what is live
        _call(runtime, state, "twin_sync", {"source": runtime.context.prod}, runtime.context.twin)
    except ToolFailure as exc:
        update["reason"] = (update.get("reason") or "") + f" (twin not re-synced: {_reason(exc)})"
    return update


def query(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    intent = state["intent"]
    kind, params = intent["kind"], intent["params"]
    services = runtime.context
    try:
        if kind == "service.deploy":
            if services.handoff is None:
                return {"status": "failed", "reason": "no data-plane hand-off is wired"}
            return {"result": services.handoff(params), "status": "answered"}
        if kind.startswith("whatif."):
            args = {"link": params["link"]} if kind == "whatif.link_down" else {"node": params["node"]}
            out = _call(runtime, state, "whatif", {"kind": kind, **args}, services.prod)
        else:
            tool = "reachability" if kind == "query.reachability" else "path"
            out = _call(runtime, state, tool, {"src": params["src"], "dst": params["dst"]}, services.prod)
    except ToolFailure as exc:
        return {"status": "failed", "reason": _reason(exc)}
    except Exception as exc:     # the hand-off is outside the registry: translate its errors here
        return {"status": "failed", "reason": f"{type(exc).__name__}: {exc}"}
    return {"result": out, "status": "answered"}


def learn(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    """Pushed and refused changes become experience records for later retrievals."""
    if state.get("status") not in ("done", "failed", "refused", "rejected") or not state.get("intent"):
        return {}
    record = {"thread_id": state["thread_id"], "text": state["text"], "kind": state["intent"].get("kind"),
              "params": state["intent"].get("params"), "outcome": state["status"],
              "reason": state.get("reason"), "changeset_id": (state.get("plan") or {}).get("changeset_id"),
              "summary": (state.get("plan") or {}).get("summary")}
    runtime.context.learn(record)
    return {}


def answer(state: RunState, runtime: Runtime[AgentServices]) -> dict:
    from cp_agents.graph.answers import compose
    return {"answer": compose(state, runtime.context.explain)}


def _reason(exc: BaseException) -> str:
    return str(exc).strip() or type(exc).__name__

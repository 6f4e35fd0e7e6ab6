"""Assembling the intent pipeline as a LangGraph StateGraph."""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from cp_agents.graph import nodes
from cp_agents.graph.services import AgentServices
from cp_agents.graph.state import RunState


def _after_parse(state: RunState) -> str:
    return "retrieve" if state["status"] == "parsed" else "answer"


def _after_retrieve(state: RunState) -> str:
    kind = state["intent"]["kind"]
    if kind.startswith(nodes.READ_ONLY_PREFIXES) or kind == "service.deploy":
        return "query"
    return "plan"


def _after_plan(state: RunState) -> str:
    return "validate" if state["status"] == "planned" else "learn"


def _after_validate(state: RunState, max_attempts: int) -> str:
    if state["status"] == "validated":
        return "audit"
    return "plan" if state.get("attempts", 0) < max_attempts else "explain_failure"


def _after_audit(state: RunState) -> str:
    return "approve" if state["status"] == "awaiting_approval" else "learn"


def _after_approve(state: RunState) -> str:
    return "push" if state["status"] == "approved" else "learn"


def _after_push(state: RunState) -> str:
    return "verify" if state.get("pushed") else "learn"


def explain_failure(state: RunState) -> dict:
    report = state.get("validation") or {}
    return {"status": "failed",
            "reason": f"the change did not pass validation on the twin after {state.get('attempts')} "
                      f"plan(s): {'; '.join(state.get('feedback', [])) or report.get('error', 'see report')}"}


def build_graph(max_attempts: int = 2) -> StateGraph:
    graph = StateGraph(RunState, context_schema=AgentServices)
    for name in ("parse", "retrieve", "plan", "validate", "audit", "approve", "push", "verify", "query",
                 "learn", "answer"):
        graph.add_node(name, getattr(nodes, name))
    graph.add_node("explain_failure", explain_failure)
    graph.add_edge(START, "parse")
    graph.add_conditional_edges("parse", _after_parse, ["retrieve", "answer"])
    graph.add_conditional_edges("retrieve", _after_retrieve, ["query", "plan"])
    graph.add_conditional_edges("plan", _after_plan, ["validate", "learn"])
    graph.add_conditional_edges("validate", lambda s: _after_validate(s, max_attempts),
                                ["audit", "plan", "explain_failure"])
    graph.add_edge("explain_failure", "learn")
    graph.add_conditional_edges("audit", _after_audit, ["approve", "learn"])
    graph.add_conditional_edges("approve", _after_approve, ["push", "learn"])
    graph.add_conditional_edges("push", _after_push, ["verify", "learn"])
    graph.add_edge("verify", "learn")
    graph.add_edge("query", "learn")
    graph.add_edge("learn", "answer")
    graph.add_edge("answer", END)
    return graph

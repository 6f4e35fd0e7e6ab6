"""Plan explanations: a short text for the operator, from the LLM when one is configured, else a template."""

from __future__ import annotations

from typing import Any

from cp_agents.llm.client import ChatClient
from cp_agents.llm.prompts import explanation_messages


def template_explanation(intent: dict[str, Any], plan: dict[str, Any], passages: list[dict[str, Any]]) -> str:
    """Deterministic explanation used when no LLM is configured (and as the LLM-failure fallback)."""
    params = ", ".join(f"{k}={v}" for k, v in (intent.get("params") or {}).items() if v not in (None, [], {}))
    summary = plan.get("summary") or f"{len(plan.get('changes') or [])} change(s)"
    sources = "; ".join(f"{p.get('source')} / {p.get('heading')}" for p in passages[:3])
    text = f"{intent.get('kind')} ({params}): {summary}."
    return text + (f" Based on: {sources}." if sources else "")


def explain_plan(intent: dict[str, Any], plan: dict[str, Any], passages: list[dict[str, Any]],
                 client: ChatClient | None = None) -> str:
    """Explain `plan` for `intent`, citing retrieved `passages` (dicts with source, heading, text)."""
    if client is None:
        return template_explanation(intent, plan, passages)
    answer = client.text(explanation_messages(intent, plan, passages))
    return answer or template_explanation(intent, plan, passages)

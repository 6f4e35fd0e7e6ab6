"""What the operator reads at the end of a run: one paragraph, from the state alone."""

from __future__ import annotations

import json
from collections.abc import Callable

from cp_agents.graph.state import RunState


def compose(state: RunState, explain: Callable[[dict], str] | None = None) -> str:
    status = state.get("status")
    intent = state.get("intent") or {}
    if status == "clarify":
        return f"I need more to act on this: {state.get('reason')}"
    if status == "answered":
        return _result_text(intent.get("kind", ""), state.get("result") or {})
    plan = state.get("plan") or {}
    summary = plan.get("summary", "")
    if explain is not None and plan:
        try:
            summary = explain(plan) or summary
        except Exception:        # an LLM explanation is a nicety: the template stands in
            pass
    if status == "done":
        checks = state.get("push", {}).get("post_checks", [])
        return (f"Done: {summary}. Validated on the twin, approved by "
                f"{state['approval']['approver']}, pushed to prod (ChangeSet {plan.get('changeset_id')}) "
                f"and verified there ({len(checks)} post-push check(s) passed).")
    if status == "rejected":
        return f"Not applied: {_sentence(state)} Nothing was changed on prod."
    if status == "refused":
        return f"Refused: {_sentence(state)} Nothing was changed."
    if status == "failed":
        return f"Failed: {_sentence(state)} Prod is as it was before this run."
    if status == "awaiting_approval":
        return f"Validated on the twin: {summary}. Waiting for approval to push to prod."
    return f"{status}: {state.get('reason') or summary}"


def _sentence(state: RunState) -> str:
    """The reason as one sentence: reasons from the tools may or may not end with a full stop."""
    reason = str(state.get("reason") or "no reason given").rstrip()
    return reason if reason.endswith((".", "!", "?")) else reason + "."


def _result_text(kind: str, result: dict) -> str:
    if kind == "query.reachability":
        return (f"{result.get('src')} {'can' if result.get('reachable') else 'cannot'} reach "
                f"{result.get('dst')}" + (f" ({result['reason']})" if result.get("reason") else "") + ".")
    if kind == "query.path":
        path = result.get("path") or result.get("traced") or []
        return f"Traffic from {result.get('src')} to {result.get('dst')} takes {' -> '.join(path) or 'no path'}."
    if kind.startswith("whatif."):
        return result.get("summary") or json.dumps(result)[:600]
    if kind == "service.deploy":
        return result.get("summary") or json.dumps(result)[:600]
    return json.dumps(result)[:600]

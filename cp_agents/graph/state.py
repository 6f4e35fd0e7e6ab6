"""The graph's checkpointed state: plain JSON values only, so a pending approval survives a
restart of the process and any version of the code can read it back."""

from __future__ import annotations

from typing import Any, TypedDict

FINAL_STATUSES = ("refused", "clarify", "done", "failed", "answered", "rejected")


class RunState(TypedDict, total=False):
    thread_id: str
    text: str
    actor: str
    intent: dict[str, Any]
    status: str                   # see FINAL_STATUSES, or "planning", "awaiting_approval", ...
    reason: str | None
    retrieved: list[dict[str, Any]]
    plan: dict[str, Any] | None   # {"changeset_id", "summary", "changeset"}
    attempts: int
    feedback: list[str]           # why earlier plans failed validation
    validation: dict[str, Any] | None
    audit: dict[str, Any] | None  # policy and anomaly evidence before approval
    approval: dict[str, Any] | None
    push: dict[str, Any] | None
    pushed: bool
    verified_on_prod: bool
    result: dict[str, Any] | None  # query / what-if / service answers
    answer: str

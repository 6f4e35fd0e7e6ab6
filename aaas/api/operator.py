"""What the console needs from the agents: the Operator seam. The real one is the control
plane's agent graph, wired in `aaas.wiring`; unit tests use a small fake.

A RunView is a plain dict (JSON values only):
  {"thread_id", "text", "actor", "status", "intent", "reason", "plan", "retrieved",
   "validation", "audit_ids", "answer", "pushed", "verified_on_prod", "created_at", "updated_at"}
with status one of refused | clarify | awaiting_approval | done | failed | answered | rejected.

Thread safety: the API calls `submit` and `decide` from its worker threads (one at a time per
worker) while request threads call the read methods, so reads must be safe to run while a
submission is in flight.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

AWAITING_APPROVAL = "awaiting_approval"


@runtime_checkable
class Operator(Protocol):
    def submit(self, text: str, actor: str) -> dict[str, Any]:
        """Run an intent through the agents until it ends or waits for approval."""

    def decide(self, thread_id: str, approver: str, approve: bool, comment: str = "") -> dict[str, Any]:
        """Resume a run that waits for approval; KeyError when the run is unknown."""

    def runs(self) -> list[dict[str, Any]]:
        """Every run, newest first."""

    def run(self, thread_id: str) -> dict[str, Any]:
        """One run; KeyError when unknown."""

    def topology(self) -> dict[str, Any]:
        """Nodes, links, slices, ACLs, drained and avoided nodes of the production network."""

    def audit(self, limit: int = 100) -> list[dict[str, Any]]:
        """Audit records, newest first."""

"""The operator's handle on the agent: submit an intent, decide on approvals, list runs.

Runs are LangGraph threads checkpointed in SQLite, so a run waiting for approval survives a
restart: a new Operator on the same file resumes it. One run advances at a time: runs share
the twin and prod networks, and validation results only mean something in sequence.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from cp_agents.graph.build import build_graph
from cp_agents.graph.services import AgentServices

RUNS_SCHEMA = """CREATE TABLE IF NOT EXISTS aaas_runs (
    thread_id TEXT PRIMARY KEY, text TEXT NOT NULL, actor TEXT NOT NULL,
    created_at REAL NOT NULL, updated_at REAL NOT NULL)"""
MAX_TEXT = 2000


class UnknownRun(KeyError):
    """No run with that id."""


class NotAwaitingApproval(ValueError):
    """The run is not waiting for a decision."""


class Operator:
    def __init__(self, services: AgentServices, checkpoint: Path,
                 audit_ids: Callable[[str], list[int]] = lambda actor: [],
                 audit_records: Callable[[int], list[dict]] = lambda limit: [],
                 topology_view: Callable[[], dict] = dict, clock: Callable[[], float] = time.time) -> None:
        self.services = services
        checkpoint.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(checkpoint), check_same_thread=False)
        self._db.execute(RUNS_SCHEMA)
        self._db.commit()
        self._app = build_graph(services.max_plan_attempts).compile(checkpointer=SqliteSaver(self._db))
        self._audit_ids = audit_ids
        self._audit_records = audit_records
        self._topology_view = topology_view
        self._clock = clock
        self._lock = threading.RLock()

    # -- runs ----------------------------------------------------------------------------
    def submit(self, text: str, actor: str) -> dict[str, Any]:
        if not isinstance(text, str) or not text.strip():
            raise ValueError("the intent text is empty: say what you want the network to do")
        if len(text) > MAX_TEXT:
            raise ValueError(f"the intent text is {len(text)} characters; the limit is {MAX_TEXT}")
        thread_id = uuid.uuid4().hex[:12]
        now = self._clock()
        with self._lock:
            self._db.execute("INSERT INTO aaas_runs VALUES (?, ?, ?, ?, ?)", (thread_id, text, actor, now, now))
            self._db.commit()
            self._app.invoke({"thread_id": thread_id, "text": text.strip(), "actor": actor},
                             self._config(thread_id), context=self.services)
            return self._touch(thread_id)

    def decide(self, thread_id: str, approver: str, approve: bool, comment: str = "") -> dict[str, Any]:
        with self._lock:
            view = self.run(thread_id)
            if view["status"] != "awaiting_approval":
                raise NotAwaitingApproval(f"run {thread_id} is {view['status']}, not awaiting approval")
            self._app.invoke(Command(resume={"approve": bool(approve), "approver": approver,
                                             "comment": comment}),
                             self._config(thread_id), context=self.services)
            return self._touch(thread_id)

    def runs(self, limit: int = 100) -> list[dict[str, Any]]:
        rows = self._db.execute("SELECT thread_id FROM aaas_runs ORDER BY created_at DESC LIMIT ?",
                                (limit,)).fetchall()
        return [self.run(row[0]) for row in rows]

    def run(self, thread_id: str) -> dict[str, Any]:
        row = self._db.execute("SELECT text, actor, created_at, updated_at FROM aaas_runs WHERE thread_id = ?",
                               (thread_id,)).fetchone()
        if row is None:
            raise UnknownRun(f"no run with id {thread_id!r}")
        snapshot = self._app.get_state(self._config(thread_id))
        values = dict(snapshot.values)
        waiting = bool(snapshot.interrupts) if hasattr(snapshot, "interrupts") else bool(snapshot.next)
        return self._view(thread_id, row, values, waiting)

    def topology(self) -> dict[str, Any]:
        return self._topology_view()

    def audit(self, limit: int = 100) -> list[dict[str, Any]]:
        return self._audit_records(limit)

    def close(self) -> None:
        self._db.close()

    # -- helpers -------------------------------------------------------------------------
    @staticmethod
    def _config(thread_id: str) -> dict:
        return {"configurable": {"thread_id": thread_id}}

    def _touch(self, thread_id: str) -> dict[str, Any]:
        self._db.execute("UPDATE aaas_runs SET updated_at = ? WHERE thread_id = ?", (self._clock(), thread_id))
        self._db.commit()
        return self.run(thread_id)

    def _view(self, thread_id: str, row: tuple, values: dict, waiting: bool) -> dict[str, Any]:
        text, actor, created, updated = row
        status = "awaiting_approval" if waiting else values.get("status", "failed")
        intent = values.get("intent") or {}
        return {"thread_id": thread_id, "text": text, "actor": actor, "status": status,
                "intent": intent, "kind": intent.get("kind"), "reason": values.get("reason"),
                "plan": values.get("plan"), "retrieved": values.get("retrieved", []),
                "validation": values.get("validation"), "audit": values.get("audit"),
                "approval": values.get("approval"), "result": values.get("result"),
                "audit_ids": self._audit_ids(self.services.make_actor(thread_id).name),
                "answer": values.get("answer") or ("Validated on the twin; waiting for approval."
                                                   if waiting else ""),
                "validated": bool((values.get("validation") or {}).get("passed")),
                "pushed": bool(values.get("pushed")), "verified_on_prod": bool(values.get("verified_on_prod")),
                "created_at": created, "updated_at": updated}

"""A behavioural fake of the Operator seam: a few intents understood by keyword, runs that
wait for approval and then change the fake production topology, and an audit trail. It
keeps the RunView shape the real agent graph returns, so the page renders the same."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from twin.model import load_topology

RUNBOOK = {"source": "runbooks/slicing.md#urllc", "text": "A URLLC slice reserves a meter and a queue on "
           "every hop; check the summed delay of the path against the latency bound before pushing."}


class FakeOperator:
    def __init__(self, gate: threading.Event | None = None) -> None:
        self.gate = gate                    # when set, submit() waits for it (concurrency tests)
        self.entered = threading.Semaphore(0)
        self._runs: dict[str, dict[str, Any]] = {}
        self._audit: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        topo = load_topology("edge6g")
        self._topology: dict[str, Any] = {
            "nodes": [{"name": n.name, "role": n.role} for n in topo.nodes.values()],
            "links": [{"a": x.a, "b": x.b, "bandwidth_mbps": x.bandwidth_mbps, "delay_ms": x.delay_ms}
                      for x in topo.links],
            "slices": [], "acls": [], "drained": [], "avoid": []}

    # --- the Operator seam ----------------------------------------------------------------
    def submit(self, text: str, actor: str) -> dict[str, Any]:
        self.entered.release()
        if self.gate is not None:
            self.gate.wait(30)
        with self._lock:
            thread_id = f"run-{next(self._ids)}"
            run = _plan(thread_id, text, actor)
            run["audit_ids"] = [self._record(thread_id, "intent.plan", run["status"])]
            self._runs[thread_id] = run
            return dict(run)

    def decide(self, thread_id: str, approver: str, approve: bool, comment: str = "") -> dict[str, Any]:
        with self._lock:
            run = self._runs[thread_id]
            if run["status"] != "awaiting_approval":
                raise ValueError(f"run {thread_id} is {run['status']}")
            if approve:
                self._apply(run["intent"])
                run.update(status="done", pushed=True, verified_on_prod=True,
                           answer=f"Pushed {run['plan']['changeset_id']} to prod and verified it.")
            else:
                run.update(status="rejected", answer=f"Rejected by {approver}: {comment or 'no reason given'}")
            run["audit_ids"].append(self._record(thread_id, "changeset.push", run["status"], approver))
            run["updated_at"] = time.time()
            return dict(run)

    def runs(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in sorted(self._runs.values(), key=lambda r: -r["seq"])]

    def run(self, thread_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._runs[thread_id])

    def topology(self) -> dict[str, Any]:
        with self._lock:
            return {k: list(v) for k, v in self._topology.items()}

    def audit(self, limit: int = 100) -> list[dict[str, Any]]:
        with self._lock:
            return list(reversed(self._audit))[:limit]

    # --- behaviour --------------------------------------------------------------------------
    def _record(self, actor: str, tool: str, outcome: str, approval: str | None = None) -> int:
        seq = len(self._audit) + 1
        self._audit.append({"seq": seq, "time": time.time(), "actor": actor, "plane": "control",
                            "tool": tool, "version": "1", "effect": "write", "target": "prod",
                            "outcome": outcome, "changeset_id": None, "approval": approval,
                            "anomaly": None, "error": None, "duration_ms": 1.5})
        return seq

    def _apply(self, intent: dict[str, Any]) -> None:
        params = intent["params"]
        if intent["kind"] == "slice.create":
            self._topology["slices"].append({**params, "path": ["veh1", "ru2", "du1", "cu1", "edge1"]})
        elif intent["kind"] == "acl.block":
            self._topology["acls"].append({k: params[k] for k in ("src", "dst", "proto", "port")})
        elif intent["kind"] == "node.drain":
            self._topology["drained"].append(params["node"])


def _plan(thread_id: str, text: str, actor: str) -> dict[str, Any]:
    now = time.time()
    run: dict[str, Any] = {"thread_id": thread_id, "text": text, "actor": actor, "seq": int(thread_id[4:]),
                           "intent": None, "reason": None, "plan": None, "retrieved": [], "validation": None,
                           "audit_ids": [], "answer": "", "pushed": False, "verified_on_prod": False,
                           "created_at": now, "updated_at": now}
    lowered = text.lower()
    if "delete all" in lowered or "ignore your rules" in lowered:
        run.update(status="refused", intent={"status": "refused", "kind": None, "params": {},
                   "reason": "Deleting every flow would take the whole network down."},
                   reason="Deleting every flow would take the whole network down.",
                   answer="Refused: this would take the whole network down.")
    elif "slice" in lowered:
        params = {"name": "v2x", "type": "urllc", "endpoints": ["edge1", "veh1"],
                  "bandwidth_mbps": 50.0, "latency_ms": 5.0}
        _awaiting(run, "slice.create", params, "URLLC slice v2x veh1<->edge1, 50 Mbit/s, <=5 ms")
    elif "block" in lowered:
        params = {"src": "cam1", "dst": "cloud1", "proto": "tcp", "port": 22}
        _awaiting(run, "acl.block", params, "Drop tcp/22 from cam1 to cloud1 at ru1")
    elif "drain" in lowered:
        _awaiting(run, "node.drain", {"node": "du2"}, "Move all traffic off du2 via du3")
    elif "path" in lowered:
        run.update(status="answered", intent={"status": "ok", "kind": "query.path",
                   "params": {"src": "cam1", "dst": "edge1"}, "reason": None},
                   answer="cam1 -> ru1 -> du1 -> cu1 -> edge1")
    else:
        run.update(status="clarify", intent={"status": "clarify", "kind": None, "params": {},
                   "reason": "Which hosts, and what rate or latency?"},
                   reason="Which hosts, and what rate or latency?", answer="Please say which hosts.")
    return run


def _awaiting(run: dict[str, Any], kind: str, params: dict[str, Any], summary: str) -> None:
    changeset = f"cs-{abs(hash((kind, run['thread_id']))) % 16**8:08x}"
    run.update(status="awaiting_approval", intent={"status": "ok", "kind": kind, "params": params, "reason": None},
               plan={"summary": summary, "changeset_id": changeset,
                     "flows": [{"dpid": 5, "priority": 3000, "match": {"eth_type": 2048}, "actions": []}],
                     "meters": [{"dpid": 5, "meter_id": 1, "rate_kbps": 50000}] if kind == "slice.create" else [],
                     "queues": []},
               retrieved=[RUNBOOK, {"source": "experience/run-0", "text": "A similar change pushed cleanly."}],
               validation={"passed": True, "checks": [
                   {"name": "reachability", "passed": True, "evidence": "veh1 -> edge1: 3/3 pings"},
                   {"name": "latency bound", "passed": True, "evidence": "model 1.3 ms <= 5 ms"}]},
               answer=f"Plan ready: {summary}. Approve to push to prod.")

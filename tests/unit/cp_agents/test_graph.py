"""The agent graph's control flow, with a behavioural fake registry (the real one runs in the
end-to-end tests)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pydantic import BaseModel, ConfigDict

from cp_agents.graph import AgentServices, NotAwaitingApproval, Operator, UnknownRun

SLICE = {"status": "ok", "kind": "slice.create", "reason": None,
         "params": {"name": "ctrl", "type": "urllc", "endpoints": ["edge2", "veh1"], "bandwidth_mbps": 10,
                    "latency_ms": 5}}
QUERY = {"status": "ok", "kind": "query.path", "reason": None, "params": {"src": "veh3", "dst": "cloud1"}}
REFUSED = {"status": "refused", "kind": None, "params": {}, "reason": "deleting every flow would blind the network"}


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class FakeRegistry:
    """Scripted tool outcomes; an outcome that is an Exception is raised (as the registry does
    after auditing a refusal or failure)."""

    def __init__(self, outcomes: dict[str, list]) -> None:
        self.outcomes = outcomes
        self.calls: list[tuple[str, str, dict, str | None]] = []

    def invoke(self, actor, tool, args=None, *, target="twin", approval=None):
        self.calls.append((tool, target, args or {}, approval))
        script = self.outcomes[tool]
        outcome = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(outcome, Exception):
            raise outcome
        return SimpleNamespace(output=Out(**outcome))

    def tools_called(self) -> list[str]:
        return [c[0] for c in self.calls]


def happy_outcomes() -> dict[str, list]:
    return {
        "intent_compile": [{"changeset_id": "abcd1234", "summary": "slice ctrl veh1<->edge2 10 Mbit/s",
                            "changeset": {"flows": []}}],
        "changeset_validate": [{"changeset_id": "abcd1234", "passed": True,
                                "report": {"checks": [{"name": "throughput_min", "passed": True}]}}],
        "changeset_policy": [{"allowed": True, "reasons": [], "anomaly": []}],
        "changeset_push": [{"changeset_id": "abcd1234", "target": "prod", "changed": True, "duration_s": 0.2,
                            "post_checks": [{"name": "reachable", "passed": True}]}],
        "twin_sync": [{"flows_added": 3}],
        "path": [{"src": "veh3", "dst": "cloud1", "path": ["veh3", "ru6", "du3", "cu2", "core1", "cloud1"]}],
    }


def operator(tmp_path, outcomes, intent=SLICE, learned=None):
    services = AgentServices(
        parse=lambda text: dict(intent), retrieve=lambda q, k: [{"source": "slicing.md#urllc", "text": "t"}],
        registry=FakeRegistry(outcomes), make_actor=lambda t: SimpleNamespace(name=f"cp-agent#{t}", plane="control"),
        learn=(learned.append if learned is not None else (lambda r: None)))
    return Operator(services, tmp_path / "graph.sqlite")


def test_a_change_waits_for_approval_then_lands_on_prod(tmp_path):
    learned = []
    op = operator(tmp_path, happy_outcomes(), learned=learned)
    run = op.submit("new urllc slice ctrl for veh1 and edge2", "alice")
    assert run["status"] == "awaiting_approval"
    assert run["plan"]["changeset_id"] == "abcd1234" and run["validated"]
    assert run["retrieved"][0]["source"] == "slicing.md#urllc"
    registry = op.services.registry
    assert registry.tools_called() == ["intent_compile", "changeset_validate", "changeset_policy"]
    assert [c[1] for c in registry.calls] == ["twin", "twin", "prod"]
    done = op.decide(run["thread_id"], "bob", approve=True)
    assert done["status"] == "done" and done["pushed"] and done["verified_on_prod"]
    push = [c for c in registry.calls if c[0] == "changeset_push"][0]
    assert push[1] == "prod" and push[3] == f"bob@{run['thread_id']}"
    assert "twin_sync" in registry.tools_called()
    assert learned and learned[0]["outcome"] == "done"
    assert "pushed to prod" in done["answer"]
    with pytest.raises(NotAwaitingApproval):
        op.decide(run["thread_id"], "bob", approve=True)


def test_a_pending_approval_survives_a_restart(tmp_path):
    outcomes = happy_outcomes()
    first = operator(tmp_path, outcomes)
    run = first.submit("new urllc slice ctrl", "alice")
    first.close()
    second = operator(tmp_path, outcomes)          # a new process on the same checkpoint file
    assert second.run(run["thread_id"])["status"] == "awaiting_approval"
    assert second.decide(run["thread_id"], "bob", approve=True)["status"] == "done"
    assert [r["thread_id"] for r in second.runs()] == [run["thread_id"]]


def test_a_rejection_pushes_nothing(tmp_path):
    op = operator(tmp_path, happy_outcomes())
    run = op.submit("new urllc slice ctrl", "alice")
    done = op.decide(run["thread_id"], "bob", approve=False, comment="not now")
    assert done["status"] == "rejected" and not done["pushed"]
    assert "changeset_push" not in op.services.registry.tools_called()


def test_validation_failure_replans_with_the_report_then_explains(tmp_path):
    outcomes = happy_outcomes()
    outcomes["changeset_validate"] = [{"changeset_id": "abcd1234", "passed": False,
                                       "report": {"results": [{"check": {"type": "throughput_min"}, "passed": False,
                                                               "evidence": "delivered 3.1 of 10 Mbit/s"}]}}]
    op = operator(tmp_path, outcomes)
    run = op.submit("new urllc slice ctrl", "alice")
    assert run["status"] == "failed" and "did not pass validation" in run["reason"]
    compiles = [c for c in op.services.registry.calls if c[0] == "intent_compile"]
    assert len(compiles) == 2
    assert compiles[1][2]["feedback"] and "throughput_min" in compiles[1][2]["feedback"][0]
    assert "changeset_push" not in op.services.registry.tools_called()


def test_an_intent_that_cannot_be_met_is_refused_with_the_compiler_reason(tmp_path):
    outcomes = happy_outcomes()
    outcomes["intent_compile"] = [RuntimeError("no path meets 1 ms: bottleneck link core1-cloud1")]
    op = operator(tmp_path, outcomes)
    run = op.submit("slice with 1 ms to the cloud", "alice")
    assert run["status"] == "refused" and "core1-cloud1" in run["reason"]


def test_a_failed_push_is_reported_and_not_verified(tmp_path):
    outcomes = happy_outcomes()
    outcomes["changeset_push"] = [RuntimeError("controller refused flow 3; rolled back")]
    op = operator(tmp_path, outcomes)
    run = op.submit("new urllc slice ctrl", "alice")
    done = op.decide(run["thread_id"], "bob", approve=True)
    assert done["status"] == "failed" and not done["pushed"] and "rolled back" in done["reason"]


def test_refusals_end_at_parse_and_touch_nothing(tmp_path):
    op = operator(tmp_path, happy_outcomes(), intent=REFUSED)
    run = op.submit("delete all flows", "mallory")
    assert run["status"] == "refused" and run["answer"].startswith("Refused")
    assert op.services.registry.calls == []


def test_queries_are_read_only_and_skip_approval(tmp_path):
    op = operator(tmp_path, happy_outcomes(), intent=QUERY)
    run = op.submit("how does traffic get from veh3 to cloud1", "alice")
    assert run["status"] == "answered"
    assert op.services.registry.tools_called() == ["path"]
    assert "veh3 -> ru6" in run["answer"]


def test_bad_submissions_and_unknown_runs(tmp_path):
    op = operator(tmp_path, happy_outcomes())
    with pytest.raises(ValueError, match="empty"):
        op.submit("   ", "alice")
    with pytest.raises(ValueError, match="limit"):
        op.submit("x" * 5000, "alice")
    with pytest.raises(UnknownRun):
        op.run("nope")

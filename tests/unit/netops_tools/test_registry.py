"""One invocation path: plane checks, argument errors, failures, and one audit record per call."""

import pytest

from netops_tools.errors import ToolFailedError, ToolInputError, ToolRefusedError, UnknownToolError
from netops_tools.registry import Tool
from netops_tools.tools.common import VERSION, NoArgs
from twin.model.changeset import ChangeSet


def test_every_outcome_leaves_exactly_one_record(registry, audit, operator, dp_agent):
    registry.invoke(operator, "switches")
    with pytest.raises(ToolRefusedError, match="data-plane actor"):
        registry.invoke(dp_agent, "flows", {"switch": "s1"})
    with pytest.raises(ToolInputError):
        registry.invoke(operator, "flows", {})
    with pytest.raises(UnknownToolError):
        registry.invoke(operator, "teleport")
    records = audit.records()
    assert [(r.actor, r.tool, r.outcome) for r in records] == [
        ("operator", "switches", "ok"), ("lpr-agent", "flows", "refused"),
        ("operator", "flows", "failed"), ("operator", "teleport", "refused")]
    assert records[1].plane == "data" and "control-plane tool" in records[1].error
    assert audit.verify() == 4


def test_data_plane_actor_sees_and_uses_service_tools_only(registry, dp_agent):
    visible = {t.name for t in registry.tools(dp_agent)}
    assert visible == {"compute_nodes"}
    out = registry.invoke(dp_agent, "compute_nodes").output
    assert out.nodes == []        # linear4 has no compute capacity


def test_input_errors_name_the_field(registry, operator):
    with pytest.raises(ToolInputError) as missing:
        registry.invoke(operator, "flows", {})
    assert missing.value.field == "switch" and "required" in missing.value.problem.lower()
    with pytest.raises(ToolInputError) as extra:
        registry.invoke(operator, "flows", {"switch": "s1", "colour": "red"})
    assert extra.value.field == "colour"
    with pytest.raises(ToolInputError) as unknown:
        registry.invoke(operator, "flows", {"switch": "s9"})
    assert unknown.value.field == "switch" and "not a switch" in unknown.value.problem
    with pytest.raises(ToolInputError) as port:
        registry.invoke(operator, "reachability", {"src": "h1", "dst": "h2", "port": 70000})
    assert port.value.field == "port"


def test_a_crashing_tool_is_audited_as_failed(registry, audit, operator):
    def broken(ctx, args):
        raise RuntimeError("boom")
    registry.register(Tool("broken", "Always fails.", "read", "control-plane", VERSION, NoArgs, broken))
    with pytest.raises(ToolFailedError, match="RuntimeError: boom"):
        registry.invoke(operator, "broken")
    assert audit.records()[-1].outcome == "failed" and "boom" in audit.records()[-1].error


def test_write_returns_a_changeset_and_records_its_id(registry, audit, operator, fake):
    stored = []
    registry._on_changeset = stored.append
    before = [f.rule for f in fake.flows(1)]
    result = registry.invoke(operator, "flow_add", {"dpid": 1, "priority": 200,
                                                     "match": {"eth_type": 2048, "ipv4_dst": "10.0.0.2"},
                                                     "actions": []})
    assert isinstance(result.changeset, ChangeSet)
    assert result.output.changeset_id == result.changeset.id == audit.records()[-1].changeset_id
    assert stored == [result.changeset]
    assert [f.rule for f in fake.flows(1)] == before      # a write tool never touches the network


def test_args_are_redacted_in_the_record(registry, audit, operator):
    with pytest.raises(ToolInputError):
        registry.invoke(operator, "switches", {"password": "hunter2"})
    assert "hunter2" not in audit.records()[-1].args


def test_a_flagged_write_needs_an_explicit_approval(audit, context, operator):
    from netops_tools.anomaly import AnomalyDetector
    from netops_tools.tools import build_registry
    now = [1000.0]
    audit.clock = lambda: now[0]
    registry = build_registry(audit, lambda target: context, anomaly=AnomalyDetector(clock=lambda: now[0]))
    args = {"dpid": 1, "match": {"in_port": 1}, "actions": []}
    with pytest.raises(ToolRefusedError, match="too little history"):
        registry.invoke(operator, "flow_add", args, target="prod")
    result = registry.invoke(operator, "flow_add", args, target="prod", approval="CHG-7 approved by alice")
    assert result.changeset is not None
    refused, approved = audit.records()
    assert (refused.outcome, approved.outcome) == ("refused", "ok")
    assert "too little history" in refused.anomaly and refused.approval is None
    assert approved.approval == "CHG-7 approved by alice" and "too little history" in approved.anomaly
    sandboxed = registry.invoke(operator, "flow_add", args, target="twin")   # the twin absorbs it:
    assert sandboxed.changeset is not None                                 # flagged, recorded, allowed
    assert "too little history" in audit.records()[-1].anomaly and audit.records()[-1].outcome == "ok"
    for _ in range(8):                      # a read burst is recorded as anomalous, not refused
        registry.invoke(operator, "switches")
    assert "burst" in audit.records()[-1].anomaly and audit.records()[-1].outcome == "ok"


def test_sessions_of_one_principal_share_a_model_of_normal(audit):
    from netops_tools.anomaly import principal_of
    assert principal_of("cp-agent#3f2a") == "cp-agent" and principal_of("cli:alice") == "cli:alice"
    for actor in ("cp-agent#a", "cp-agent#b", "cp-agentx#c", "cp-agent"):
        audit.append(actor=actor, plane="control", tool="switches", version="1", effect="read", target="twin",
                     args={}, outcome="ok", result_digest=None, error=None, duration_ms=1.0, changeset_id=None,
                     approval=None, anomaly=None)
    assert [r.actor for r in audit.records(principal="cp-agent")] == ["cp-agent#a", "cp-agent#b", "cp-agent"]

"""The aaas tools / changeset / audit commands on the fake network (AAAS_HOME in tmp)."""

import json
import sqlite3

import pytest
from click.testing import CliRunner

from aaas.cli import cli
from netops_tools.probes import FlowTableProber
from netops_tools.workspace import Workspace
from tests.unit.netops_tools.conftest import routed_fake


@pytest.fixture
def run(tmp_path, monkeypatch, context, linear4):
    monkeypatch.setenv("AAAS_HOME", str(tmp_path / "home"))
    prod = routed_fake(linear4)
    networks = {"twin": context.driver, "prod": prod}

    def fake_context(self, target):
        context.target, context.driver = target, networks[target]
        context.store, context.policy = self.store, self.policy
        context.prober = FlowTableProber(networks[target], linear4)
        context.slices = self.store.admitted_slices(target)
        return context
    monkeypatch.setattr(Workspace, "context", fake_context)

    def invoke(*argv):
        return CliRunner().invoke(cli, list(argv), catch_exceptions=False)
    invoke.prod = prod
    return invoke


def test_tools_list(run):
    result = run("tools", "list", "--json")
    names = {t["name"] for t in json.loads(result.output)}
    assert {"topology", "flows", "path", "reachability", "flow_add", "changeset_push"} <= names
    data = json.loads(run("tools", "list", "--json", "--plane", "data").output)
    assert [t["name"] for t in data] == ["compute_nodes"]
    assert "flow_add" in run("tools", "list").output


def test_tools_call_and_its_errors(run):
    result = run("tools", "call", "reachability", "--args", '{"src": "h1", "dst": "h4"}')
    assert result.exit_code == 0 and json.loads(result.output)["reachable"] is True
    bad = run("tools", "call", "flows", "--args", '{"switch": "s9"}')
    assert bad.exit_code == 2 and "argument 'switch'" in bad.output
    refused = run("tools", "call", "flows", "--plane", "data", "--args", '{"switch": "s1"}')
    assert refused.exit_code == 1 and "data-plane actor" in refused.output
    assert run("tools", "call", "flows", "--args", "{not json").exit_code == 2


def test_changeset_life_cycle_and_audit(run, tmp_path, linear4):
    block = {"dpid": 1, "priority": 200, "match": {"eth_type": 2048, "ipv4_src": "10.0.0.1",
                                                   "ipv4_dst": "10.0.0.4"},
             "actions": [], "checks": [{"type": "blocked", "src": "h1", "dst": "h4"}]}
    flagged = run("tools", "call", "flow_add", "--args", json.dumps(block), "--target", "prod")
    assert flagged.exit_code == 1 and "needs an explicit approval" in flagged.output
    made = run("tools", "call", "flow_add", "--args", json.dumps(block), "--approval", "CHG-1")
    cs_id = json.loads(made.output)["changeset_id"]
    assert cs_id in run("changeset", "list").output
    assert "validation: none" in run("changeset", "show", cs_id).output
    unvalidated = run("changeset", "push", cs_id, "--approval", "CHG-1")
    assert unvalidated.exit_code == 1 and "validate it on the twin first" in unvalidated.output
    validated = run("changeset", "validate", cs_id, "--approval", "CHG-1")
    assert validated.exit_code == 0 and "ok   blocked" in validated.output
    pushed = run("changeset", "push", cs_id, "--approval", "CHG-1")
    assert pushed.exit_code == 0 and "pushed on prod" in pushed.output
    assert not FlowTableProber(run.prod, linear4).reachable("h1", "h4")
    again = run("changeset", "push", cs_id, "--approval", "CHG-1")
    assert "already applied" in again.output
    shown = json.loads(run("changeset", "show", cs_id, "--json").output)
    assert shown["applied_on"] == {"prod": True} and shown["report"]["passed"]
    assert run("changeset", "rollback", cs_id, "--approval", "CHG-1").exit_code == 0
    assert FlowTableProber(run.prod, linear4).reachable("h1", "h4")

    records = json.loads(run("audit", "log", "--json").output)
    assert [r["tool"] for r in records][-4:] == ["changeset_validate", "changeset_push", "changeset_push",
                                                 "changeset_rollback"]
    assert all(r["changeset_id"] == cs_id for r in records[-4:])
    assert "flow_add" in run("audit", "log").output
    assert run("audit", "verify").exit_code == 0

    db = sqlite3.connect(tmp_path / "home" / "audit.sqlite")
    db.execute("DROP TRIGGER records_no_update")
    db.execute("UPDATE records SET outcome = 'ok' WHERE seq = 1")
    db.commit()
    broken = run("audit", "verify")
    assert broken.exit_code == 1 and "audit record 1" in broken.output


def test_a_failed_push_is_audited_with_its_changeset(run):
    block = {"dpid": 2, "priority": 200, "match": {"eth_type": 2048, "ipv4_dst": "10.0.0.3"}, "actions": []}
    made = run("tools", "call", "flow_add", "--args", json.dumps(block), "--approval", "CHG-9")
    cs_id = json.loads(made.output)["changeset_id"]
    failed = run("changeset", "push", cs_id, "--approval", "CHG-9")
    assert failed.exit_code == 1
    last = json.loads(run("audit", "log", "--json").output)[-1]
    assert (last["tool"], last["outcome"], last["changeset_id"]) == ("changeset_push", "failed", cs_id)
    assert last["approval"] == "CHG-9" and "ValidationRequired" in last["error"]

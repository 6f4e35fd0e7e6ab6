"""The toolbox against the real controller on edge6g: driver, validate on the twin, push to
prod, data-plane change, rollback, and failed pushes that leave prod's tables identical."""

from __future__ import annotations

import time

import pytest

from netops_tools.checks import ValidationReport
from netops_tools.drivers.base import flow_table_digest
from netops_tools.errors import ControllerRejected, PushFailed, ToolRefusedError
from netops_tools.push import push, rollback, validate
from netops_tools.registry import Actor
from twin.emu import Network
from twin.model import load_topology
from twin.model.changeset import ChangeSet, FlowRule, Meter

pytestmark = pytest.mark.integration
OPERATOR = Actor("it-operator", "control")
APPROVAL = "CHG-IT approved by the test"


def full_dump(driver):
    """Every flow (counters excluded) and meter of every switch."""
    return {d: (flow_table_digest(driver.flows(d)), driver.meters(d)) for d in driver.switches()}


def ping(network_name, src, dst, expect=True, attempts=3):
    """The reachability measured in the network, re-probed while it differs from `expect` (a
    ping lost on a loaded machine, or a datapath cache not yet revalidated, must not decide)."""
    network = Network.load(network_name)
    for _ in range(attempts):
        seen = network.reachability([(src, dst)]).reachable[(src, dst)]
        if seen == expect:
            break
        time.sleep(0.5)
    return seen


def block_changeset(registry, twin, src, dst, keep_pair):
    ctx = registry._context_for(twin)
    a, b = ctx.addressing.hosts[src], ctx.addressing.hosts[dst]
    return registry.invoke(OPERATOR, "flow_add", {
        "dpid": ctx.addressing.dpids[a.switch], "priority": 300,
        "match": {"eth_type": 2048, "ipv4_src": a.ip, "ipv4_dst": b.ip}, "actions": [],
        "checks": [{"type": "blocked", "src": src, "dst": dst},
                   {"type": "reachable", "src": keep_pair[0], "dst": keep_pair[1]}],
        "summary": f"block {src} -> {dst}"}, target=twin, approval=APPROVAL).changeset


def test_driver_speaks_ofctl_rest_to_the_controller(networks, workspace):
    driver = workspace.context(networks["twin"]).driver
    assert driver.health()["status"] == "ready"
    assert driver.switches() == list(range(1, len(load_topology("edge6g").switches()) + 1))
    flows = driver.flows(1)
    assert flows and all(f.cookie >> 56 == 0xC0 for f in flows)
    rule = FlowRule(1, 222, {"eth_type": 2048, "ipv4_dst": "10.9.9.9"}, ({"type": "OUTPUT", "port": 1},),
                    meter_id=77, cookie=0xA5 << 56 | 0x1234)
    driver.add_meter(Meter(1, 77, 5000, 500))
    driver.add_flow(rule)
    assert [f.rule for f in driver.flows(1) if f.cookie == rule.cookie] == [rule]
    assert Meter(1, 77, 5000, 500) in driver.meters(1)
    driver.delete_flows_by_cookie(1, rule.cookie)
    driver.delete_meter(1, 77)
    assert not [f for f in driver.flows(1) if f.cookie == rule.cookie] and not driver.meters(1)
    with pytest.raises(ControllerRejected, match=r"HTTP 404.*|.*404"):
        driver.flows(99)


def test_validate_push_rollback_changes_prods_data_plane(networks, workspace):
    registry = workspace.registry(anomaly=False)
    twin, prod = workspace.context(networks["twin"]), workspace.context(networks["prod"])
    before = full_dump(prod.driver)
    assert ping(networks["prod"], "cam1", "veh4")
    cs = block_changeset(registry, networks["twin"], "cam1", "veh4", keep_pair=("cam1", "veh3"))

    started = time.monotonic()
    report = validate(cs, twin.as_target(), twin.prober)
    validate_s = time.monotonic() - started
    assert report.passed, report
    started = time.monotonic()
    result = push(cs, prod.as_target(), report, APPROVAL, prober=prod.prober)
    push_s = time.monotonic() - started
    print(f"\nvalidate on twin {validate_s:.2f} s, push to prod (with post-push probes) {push_s:.2f} s")
    assert result.changed and all(c.passed for c in result.post_checks)
    assert not ping(networks["prod"], "cam1", "veh4", expect=False)   # measured in prod's namespaces
    assert ping(networks["prod"], "cam1", "veh3")
    assert not push(cs, prod.as_target(), report, APPROVAL).changed    # idempotent by cookie

    rollback(cs, prod.as_target())
    assert full_dump(prod.driver) == before
    assert ping(networks["prod"], "cam1", "veh4", attempts=10)


def test_refused_flow_midway_leaves_prod_identical(networks, workspace):
    prod = workspace.context(networks["prod"])
    twin = workspace.context(networks["twin"])
    manual = FlowRule(3, 150, {"eth_type": 2048, "ipv4_dst": "10.7.7.7"}, (), cookie=0x77)
    prod.driver.add_flow(manual)
    try:
        before = full_dump(prod.driver)
        cs = ChangeSet(
            flows_add=(FlowRule(1, 300, {"eth_type": 2048, "ipv4_dst": "10.8.8.1"}, ()),
                       FlowRule(2, 300, {"eth_type": 2048, "ipv4_dst": "10.8.8.2"}, (), meter_id=91),
                       # OVS refuses a goto to the same table: the controller answers 400
                       FlowRule(4, 300, {"eth_type": 2048, "ipv4_dst": "10.8.8.4"},
                                ({"type": "GOTO_TABLE", "table_id": 0},))),
            flows_remove=(manual,), meters_add=(Meter(2, 91, 2000, 200),), summary="fails midway")
        report = validate(cs, twin.as_target(), twin.prober)
        assert not report.passed and "HTTP 400" in report.error    # the twin already refuses it
        forged = ValidationReport(cs.id, "twin", True)            # pretend it had passed
        with pytest.raises(PushFailed, match="rolled back") as caught:
            push(cs, prod.as_target(), forged, APPROVAL)
        assert caught.value.restored and "HTTP 400" in str(caught.value)
        assert full_dump(prod.driver) == before
    finally:
        prod.driver.delete_flow_strict(manual)


def test_post_push_probe_failure_rolls_back(networks, workspace):
    registry = workspace.registry(anomaly=False)
    twin, prod = workspace.context(networks["twin"]), workspace.context(networks["prod"])
    a, b = prod.addressing.hosts["cam2"], prod.addressing.hosts["veh1"]
    # prod drifted from the twin: someone dropped cam2 -> veh1 by hand
    drift = FlowRule(prod.addressing.dpids[a.switch], 400, {"eth_type": 2048, "ipv4_src": a.ip,
                                                            "ipv4_dst": b.ip}, (), cookie=0x66)
    prod.driver.add_flow(drift)
    try:
        cs = block_changeset(registry, networks["twin"], "cam1", "veh4", keep_pair=("cam2", "veh1"))
        report = validate(cs, twin.as_target(), twin.prober)
        assert report.passed
        before = full_dump(prod.driver)
        with pytest.raises(PushFailed, match="post-push probe failed: cam2->veh1 unreachable"):
            push(cs, prod.as_target(), report, APPROVAL, prober=prod.prober)
        assert full_dump(prod.driver) == before
        assert ping(networks["prod"], "cam1", "veh4", attempts=10)
    finally:
        prod.driver.delete_flow_strict(drift)


def test_planes_and_audit_over_real_networks(networks, workspace):
    registry = workspace.registry(anomaly=False)
    data_agent = Actor("lpr-agent", "data")
    with pytest.raises(ToolRefusedError):
        registry.invoke(data_agent, "flows", {"switch": "core1"}, target=networks["prod"])
    assert registry.invoke(data_agent, "compute_nodes", target=networks["prod"]).output.nodes
    path = registry.invoke(OPERATOR, "path", {"src": "cam1", "dst": "cloud1"}, target=networks["prod"]).output
    assert path.outcome == "delivered" and path.traced[0] == "cam1" and path.traced[-1] == "cloud1"
    records = workspace.audit.records()
    assert [(r.actor, r.outcome) for r in records] == [("lpr-agent", "refused"), ("lpr-agent", "ok"),
                                                       ("it-operator", "ok")]
    assert workspace.audit.verify() == 3


def test_cli_over_real_networks(networks, workspace, monkeypatch):
    import json

    from click.testing import CliRunner

    from aaas.cli import cli
    monkeypatch.setenv("AAAS_HOME", str(workspace.home))
    runner = CliRunner()
    out = runner.invoke(cli, ["tools", "call", "reachability", "--target", networks["prod"],
                              "--args", '{"src": "veh1", "dst": "edge2"}'])
    assert out.exit_code == 0 and json.loads(out.output)["reachable"] is True
    refused = runner.invoke(cli, ["tools", "call", "switches", "--plane", "data",
                                  "--target", networks["prod"]])
    assert refused.exit_code == 1
    gone = runner.invoke(cli, ["tools", "call", "switches", "--target", "nt-no-such-network"])
    assert gone.exit_code == 3 and "is not running" in gone.output
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0
    assert len(json.loads(runner.invoke(cli, ["audit", "log", "--json"]).output)) == 3


def test_twin_rebuilt_from_prod(networks, workspace):
    from netops_tools.sync import prod_topology, sync_flows
    twin, prod = workspace.context(networks["twin"]), workspace.context(networks["prod"])
    assert prod_topology(prod.driver).nodes.keys() == prod.topology.nodes.keys()
    cs = ChangeSet(flows_add=(FlowRule(5, 250, {"eth_type": 2048, "ipv4_dst": "10.6.6.6"}, (), meter_id=12),),
                   meters_add=(Meter(5, 12, 3000, 300),), summary="a prod-only change")
    report = validate(cs, twin.as_target(), twin.prober)
    assert report.passed and report.notes          # no declared checks: it says nothing was probed
    push(cs, prod.as_target(), report, APPROVAL)
    try:
        sync_flows(prod.driver, twin.driver)

        def owned(driver):
            return {d: sorted(str(f.rule.to_dict()) for f in driver.flows(d) if f.cookie >> 56 != 0xC0)
                    for d in driver.switches()}
        assert owned(twin.driver) == owned(prod.driver) and owned(twin.driver)[5]
        assert twin.driver.meters(5) == prod.driver.meters(5) == [Meter(5, 12, 3000, 300)]
    finally:
        rollback(cs, prod.as_target())
        sync_flows(prod.driver, twin.driver)
    assert not twin.driver.meters(5) and not [f for f in twin.driver.flows(5) if f.cookie >> 56 == 0xA5]


class DisconnectingDriver:
    """The real driver, except that after `writes` flow additions one switch loses its
    controller (ovs-vsctl del-controller), as a switch disconnect looks to the controller."""

    def __init__(self, driver, network, switch, writes):
        self._driver, self._network, self._writes = driver, network, writes
        self.bridge = network.state.emulated_names.get(switch, switch)
        self.url = driver.url

    def __getattr__(self, name):
        return getattr(self._driver, name)

    def add_flow(self, rule):
        if self._writes == 0:
            self.controller = vsctl("get-controller", self.bridge).strip()
            vsctl("del-controller", self.bridge)
        self._writes -= 1
        return self._driver.add_flow(rule)

    def reconnect(self, seconds):
        if getattr(self, "controller", None):
            vsctl("set-controller", self.bridge, self.controller)
            self.controller = None
        time.sleep(seconds)


def vsctl(*args):
    from twin.emu import ovs
    ovs.use_ovs()                       # the project's OVS instance, as twin.emu runs it
    result = ovs.vsctl(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_switch_disconnect_midway_leaves_prod_identical(networks, workspace):
    from netops_tools.push import Target
    prod = workspace.context(networks["prod"])
    network = Network.load(networks["prod"])
    du1, du2 = prod.addressing.dpids["du1"], prod.addressing.dpids["du2"]
    cs = ChangeSet(flows_add=(FlowRule(du1, 260, {"eth_type": 2048, "ipv4_dst": "10.5.5.1"}, ()),
                              FlowRule(du2, 260, {"eth_type": 2048, "ipv4_dst": "10.5.5.2"}, ()),
                              FlowRule(du2, 261, {"eth_type": 2048, "ipv4_dst": "10.5.5.3"}, ())),
                   summary="disconnect midway")
    before = full_dump(prod.driver)
    flaky = DisconnectingDriver(prod.driver, network, "du2", writes=2)   # du2 goes after 2 flows
    report = ValidationReport(cs.id, "twin", True)       # validation is not what this test is about
    with pytest.raises(PushFailed, match="rolled back") as caught:
        push(cs, Target("prod", flaky, prod.topology), report, APPROVAL, sleep=flaky.reconnect)
    # the controller either times out waiting for the switch or already knows it is gone
    assert "/stats/flowentry/add" in caught.value.cause and caught.value.restored
    deadline = time.monotonic() + 30
    while du2 not in prod.driver.switches() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert full_dump(prod.driver) == before


def test_meter_and_path_checks_are_measured_on_the_twin(networks, workspace):
    """A 10 Mbit/s meter on cam3's traffic to cloud1: iperf3 (UDP offered at twice the cap) must
    stay within 10 % of the cap, and the path measured from flow counters must cross core1."""
    from netops_tools.tools.paths import planned_path
    twin = workspace.context(networks["twin"])
    a, b = twin.addressing.hosts["cam3"], twin.addressing.hosts["cloud1"]
    route = planned_path(twin.topology, "cam3", "cloud1")
    dpid = twin.addressing.dpids[a.switch]
    cs = ChangeSet(
        flows_add=(FlowRule(dpid, 300, {"eth_type": 2048, "ipv4_src": a.ip, "ipv4_dst": b.ip},
                            ({"type": "OUTPUT", "port": twin.addressing.ports[(a.switch, route[2])]},),
                            meter_id=21),),
        meters_add=(Meter(dpid, 21, 10_000, 1_000),),
        checks=({"type": "throughput_max", "src": "cam3", "dst": "cloud1", "mbps": 10, "proto": "udp",
                 "seconds": 2},
                # only "it still carries traffic": at load 10+ on 2 cores the userspace datapath
                # delivered as little as 0.9 of the 10 Mbit/s; the cap is what this test proves
                {"type": "throughput_min", "src": "cam3", "dst": "cloud1", "mbps": 0.1, "proto": "udp",
                 "seconds": 2, "offered_mbps": 20},
                {"type": "path_via", "src": "cam3", "dst": "cloud1", "via": [a.switch, "core1"]},
                {"type": "path_avoids", "src": "cam3", "dst": "cloud1", "avoid": ["cu1", "du4-ru7"]}),
        summary="cap cam3 -> cloud1 at 10 Mbit/s")
    report = validate(cs, twin.as_target(), twin.prober)
    measured = {r.check["type"]: r.measured for r in report.results}
    print(f"\nmetered UDP cam3->cloud1: {measured['throughput_max']} Mbit/s (cap 10); "
          f"measured path {measured['path_via']}")
    assert report.passed, report
    assert measured["path_via"][0] == "cam3" and measured["path_via"][-1] == "cloud1"
    # and a path check that must fail does, on the same measurement
    from netops_tools.checks import run_check
    crossed = [n for n in measured["path_via"] if n.startswith("cu")]
    wrong = run_check({"type": "path_avoids", "src": "cam3", "dst": "cloud1", "avoid": crossed}, twin.prober)
    assert not wrong.passed and "crosses" in wrong.evidence

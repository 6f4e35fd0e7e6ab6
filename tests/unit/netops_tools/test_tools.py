"""Read tools against the fake controller holding controller-style routes on linear4."""

import pytest

from netops_tools.errors import ToolInputError
from netops_tools.probes import FlowTableProber
from netops_tools.push import Target, push, validate
from twin.model.changeset import ChangeSet, FlowRule, Meter, SliceReservation


def call(registry, actor, tool, **args):
    return registry.invoke(actor, tool, args).output


def test_topology_switches_and_flows(registry, operator):
    topo = call(registry, operator, "topology")
    assert topo.name == "linear4" and len(topo.links) == 7
    switches = call(registry, operator, "switches").switches
    assert [s["name"] for s in switches] == ["s1", "s2", "s3", "s4"] and all(s["connected"] for s in switches)
    flows = call(registry, operator, "flows", switch="s2").flows
    assert len(flows) == 5 and {f["owner"] for f in flows} == {"controller"}
    assert call(registry, operator, "flows", switch="s2", owner="changeset").flows == []


def test_path_and_reachability_follow_the_tables(registry, operator, fake):
    path = call(registry, operator, "path", src="h1", dst="h4")
    assert path.traced == ["h1", "s1", "s2", "s3", "s4", "h4"] == path.planned
    assert path.outcome == "delivered"
    assert call(registry, operator, "reachability", src="h1", dst="h4").reachable
    cs = ChangeSet(flows_add=(FlowRule(2, 200, {"eth_type": 2048, "ipv4_dst": "10.0.0.4"}, ()),))
    for rule in cs.installed_flows():
        fake.add_flow(rule)
    blocked = call(registry, operator, "reachability", src="h1", dst="h4")
    assert not blocked.reachable and blocked.forward == "dropped" and blocked.reverse == "delivered"
    assert call(registry, operator, "path", src="h1", dst="h4").traced == ["h1", "s1", "s2"]
    acls = call(registry, operator, "acls").acls
    assert [(a["switch"], a["owner"]) for a in acls] == [("s2", "changeset")]


def test_ports_meters_and_utilisation(registry, operator, fake, context):
    fake.add_meter(Meter(3, 1, 5000, 500))
    assert call(registry, operator, "meters", switch="s3").meters == [Meter(3, 1, 5000, 500).to_dict()]
    ports = call(registry, operator, "ports", switch="s2").ports
    assert {p["neighbour"] for p in ports} == {"h2", "s1", "s3"}

    def traffic(seconds):            # 1.25 MB leaves s1 towards s2 during the interval: 10 Mbit/s
        fake.port_bytes[(1, context.addressing.ports[("s1", "s2")])] = 1_250_000
    context.sleep = traffic
    rows = call(registry, operator, "link_utilisation", interval_s=1.0).links
    s1_s2 = next(r for r in rows if (r["from"], r["to"]) == ("s1", "s2"))
    assert s1_s2["mbps"] == pytest.approx(10.0) and s1_s2["utilisation"] == pytest.approx(0.01)
    assert all(r["mbps"] == 0 for r in rows if r is not s1_s2)


def test_slices_come_from_the_context(registry, operator, context):
    context.slices = (SliceReservation("video", 50, ("s1-s2",)),)
    assert call(registry, operator, "slices").slices == [{"name": "video", "guaranteed_mbps": 50.0,
                                                          "links": ["s1-s2"]}]


def test_flow_remove_looks_up_the_installed_rule(registry, operator, fake):
    extra = FlowRule(1, 150, {"eth_type": 2048, "ipv4_src": "10.0.0.3"}, (), cookie=42)
    fake.add_flow(extra)
    result = registry.invoke(operator, "flow_remove", {"dpid": 1, "priority": 150,
                                                        "match": {"eth_type": 2048, "ipv4_src": "10.0.0.3"}})
    assert result.changeset.flows_remove == (extra,)
    with pytest.raises(ToolInputError, match="controller"):
        registry.invoke(operator, "flow_remove", {"dpid": 1, "priority": 10,
                                                  "match": {"eth_type": 2048, "ipv4_dst": "10.0.0.1"}})
    with pytest.raises(ToolInputError) as caught:
        registry.invoke(operator, "flow_add", {"dpid": 9, "match": {}})
    assert caught.value.field == "dpid"
    with pytest.raises(ToolInputError) as caught:
        registry.invoke(operator, "flow_add", {"dpid": 1, "match": {"ipv4_dst": "10.0.0.999"}})
    assert caught.value.field == "match"


def test_changeset_build_round_trips(registry, operator):
    cs = ChangeSet(flows_add=(FlowRule(1, 200, {"eth_type": 2048, "ipv4_dst": "10.0.0.2"}, ()),),
                   checks=({"type": "blocked", "src": "h1", "dst": "h2"},))
    result = registry.invoke(operator, "changeset_build", {"changeset": cs.to_dict()})
    assert result.changeset == cs


def test_validated_flow_add_pushes_and_blocks(registry, operator, fake, linear4):
    """The whole path on fakes: tool -> ChangeSet -> validate on a twin -> push to prod."""
    from tests.unit.netops_tools.conftest import routed_fake
    twin, prod = fake, routed_fake(linear4)
    cs = registry.invoke(operator, "flow_add", {
        "dpid": 1, "priority": 200,
        "match": {"eth_type": 2048, "ipv4_src": "10.0.0.1", "ipv4_dst": "10.0.0.4"},
        "actions": [], "checks": [{"type": "blocked", "src": "h1", "dst": "h4"},
                                  {"type": "reachable", "src": "h1", "dst": "h3"}]}).changeset
    report = validate(cs, Target("twin", twin, linear4), FlowTableProber(twin, linear4), sleep=lambda s: None)
    assert report.passed, report
    assert FlowTableProber(prod, linear4).reachable("h1", "h4")
    push(cs, Target("prod", prod, linear4), report, "CHG-1", prober=FlowTableProber(prod, linear4),
         sleep=lambda s: None)
    assert not FlowTableProber(prod, linear4).reachable("h1", "h4")
    assert FlowTableProber(prod, linear4).reachable("h2", "h4")

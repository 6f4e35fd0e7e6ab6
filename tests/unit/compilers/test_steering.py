"""path.avoid / path.via / node.drain / flow.add, traced through the fake's flow tables."""

from __future__ import annotations

import pytest

from netops_tools.compilers import ConflictRefused, IntentError, IntentRefused, compile_intent
from tests.unit.compilers.conftest import apply, state_of, traced
from tests.unit.netops_tools.conftest import routed_fake
from twin.model import load_topology


def test_avoiding_a_link_reroutes_both_directions_around_it(fake, edge6g):
    before = traced(fake, edge6g, "cam1", "edge2").path
    assert ("cu1", "cu2") in zip(before, before[1:], strict=False)
    cs = compile_intent({"kind": "path.avoid", "params": {"src": "cam1", "dst": "edge2", "avoid": ["cu1-cu2"]}},
                        state_of(fake, edge6g))
    apply(fake, cs)
    for src, dst in (("cam1", "edge2"), ("edge2", "cam1")):
        path = traced(fake, edge6g, src, dst)
        hops = {tuple(sorted(h)) for h in zip(path.path, path.path[1:], strict=False)}
        assert path.delivered and ("cu1", "cu2") not in hops
    assert any(c["type"] == "path_avoids" and c["avoid"] == ["cu1-cu2"] for c in cs.checks)


def test_avoid_without_a_pair_moves_every_pair_that_crossed_the_node(fake, edge6g):
    cs = compile_intent({"kind": "path.avoid", "params": {"src": None, "dst": None, "avoid": ["cu1-cu2"]}},
                        state_of(fake, edge6g))
    routes = cs.intent["plan"]["routes"]
    assert len(routes) > 1
    apply(fake, cs)
    for route in routes:
        path = traced(fake, edge6g, route[0], route[-1]).path
        assert ("cu1", "cu2") not in zip(path, path[1:], strict=False)


def test_avoid_refuses_when_no_path_remains(fake, edge6g):
    with pytest.raises(IntentRefused) as refused:
        compile_intent({"kind": "path.avoid", "params": {"src": "cam1", "dst": "cloud1", "avoid": ["du1"]}},
                       state_of(fake, edge6g))
    assert refused.value.reason == "unreachable" and "du1" in refused.value.elements


def test_a_second_steering_intent_replaces_the_first_for_the_same_pair(fake, edge6g):
    first = compile_intent({"kind": "path.avoid", "params": {"src": "cam1", "dst": "edge2",
                                                              "avoid": ["cu1-cu2"]}}, state_of(fake, edge6g))
    apply(fake, first)
    second = compile_intent({"kind": "path.via", "params": {"src": "cam1", "dst": "edge2", "via": ["core1"]}},
                            state_of(fake, edge6g, [first]))
    assert second.flows_remove and {f.priority for f in second.flows_add} != {f.priority for f in first.flows_add}
    apply(fake, second)
    assert "core1" in traced(fake, edge6g, "cam1", "edge2").path


def test_via_crosses_the_waypoints_in_order_without_loops(fake, edge6g):
    cs = compile_intent({"kind": "path.via", "params": {"src": "cam1", "dst": "cloud1", "via": ["cu2", "core1"]}},
                        state_of(fake, edge6g))
    apply(fake, cs)
    path = traced(fake, edge6g, "cam1", "cloud1").path
    assert path.index("cu2") < path.index("core1") and len(set(path)) == len(path)


def test_via_through_an_impossible_order_is_refused_naming_the_waypoint(fake, edge6g):
    with pytest.raises(IntentRefused) as refused:
        compile_intent({"kind": "path.via", "params": {"src": "cam1", "dst": "cam2", "via": ["ru3", "cu2"]}},
                       state_of(fake, edge6g))
    assert refused.value.reason == "waypoint"
    with pytest.raises(IntentError):
        compile_intent({"kind": "path.via", "params": {"src": "cam1", "dst": "cam2", "via": ["nowhere"]}},
                       state_of(fake, edge6g))


def test_draining_a_node_that_cuts_hosts_off_names_them(fake, edge6g):
    with pytest.raises(IntentRefused) as refused:
        compile_intent({"kind": "node.drain", "params": {"node": "du2"}}, state_of(fake, edge6g))
    assert refused.value.reason == "disconnects"
    assert {"cam2", "veh2"} <= set(refused.value.elements)


def test_a_drain_across_a_blocked_pair_leaves_the_block_in_force_and_moves_the_rest(fake, edge6g):
    """The block (priority 400) is evaluated before steering: the drain leaves out the one rule
    it would shadow (cam3's ingress, cam3 -> cloud1) instead of being refused as shadowed."""
    block = compile_intent({"kind": "acl.block", "params": {"src": "cam3", "dst": "cloud1", "proto": None,
                                                             "port": None}}, state_of(fake, edge6g))
    apply(fake, block)
    cs = compile_intent({"kind": "node.drain", "params": {"node": "core2"}}, state_of(fake, edge6g, [block]))
    apply(fake, cs)
    assert not traced(fake, edge6g, "cam3", "cloud1").delivered
    back = traced(fake, edge6g, "cloud1", "cam3")
    assert back.delivered and "core2" not in back.path and "cu2" in back.path
    (ingress,) = {r.dpid for r in block.flows_add}
    steered_here = [r for r in cs.flows_add if r.dpid == ingress and r.match == block.flows_add[0].match]
    assert steered_here == []
    probed = {(c["src"], c["dst"]) for c in cs.checks if c["type"] in ("reachable", "path_via", "path_avoids")}
    assert not probed & {("cam3", "cloud1"), ("cloud1", "cam3")}      # an echo there cannot come back
    assert {"type": "blocked", "src": "cam3", "dst": "cloud1", "proto": "icmp"} in cs.checks


def test_a_drain_moves_every_path_off_the_node():
    topology = load_topology("fattree4")
    fake = routed_fake(topology)
    switch = sorted(n.name for n in topology.switches() if n.name.startswith(("c", "a")))[0]
    cs = compile_intent({"kind": "node.drain", "params": {"node": switch}}, state_of(fake, topology))
    assert cs.intent["plan"]["routes"]
    apply(fake, cs)
    for route in cs.intent["plan"]["routes"][:6]:
        for src, dst in ((route[0], route[-1]), (route[-1], route[0])):
            result = traced(fake, topology, src, dst)
            assert result.delivered and switch not in result.path


def test_flow_add_is_the_rule_as_given_with_checks_from_its_match(fake, edge6g):
    addressing = state_of(fake, edge6g).addressing
    match = {"eth_type": 2048, "ipv4_src": addressing.hosts["cam1"].ip, "ipv4_dst": addressing.hosts["edge1"].ip}
    cs = compile_intent({"kind": "flow.add", "params": {"dpid": addressing.dpids["ru1"], "priority": 500,
                                                         "match": match, "actions": []}}, state_of(fake, edge6g))
    (rule,) = cs.flows_add
    assert rule.priority == 500 and rule.drops
    assert cs.checks == ({"dst": "edge1", "proto": "icmp", "src": "cam1", "type": "blocked"},)


def test_a_shadowed_flow_is_refused_naming_both_rules(fake, edge6g):
    addressing = state_of(fake, edge6g).addressing
    block = compile_intent({"kind": "acl.block", "params": {"src": "cam1", "dst": "edge1", "proto": None,
                                                             "port": None}}, state_of(fake, edge6g))
    apply(fake, block)
    match = {"eth_type": 2048, "ip_proto": 6, "tcp_dst": 80, "ipv4_src": addressing.hosts["cam1"].ip,
             "ipv4_dst": addressing.hosts["edge1"].ip}
    with pytest.raises(ConflictRefused) as refused:
        compile_intent({"kind": "flow.add", "params": {"dpid": addressing.dpids["ru1"], "priority": 50,
                                                        "match": match, "actions": [{"type": "OUTPUT", "port": 1}]}},
                       state_of(fake, edge6g, [block]))
    assert "priority 50" in refused.value.sides[0] and "priority 400" in refused.value.sides[1]


@pytest.mark.parametrize("intent, parameter", [
    ({"kind": "whatif.link_down", "params": {}}, "kind"),
    ({"status": "clarify", "kind": "acl.block", "params": {}}, "status"),
    ({"kind": "acl.block", "params": None}, "params"),
    ({"kind": "acl.block", "params": {"src": "cam1", "dst": "edge1", "proto": "sctp", "port": None}}, "proto"),
    ({"kind": "acl.block", "params": {"src": "cam1", "dst": "edge1", "proto": "icmp", "port": 22}}, "port"),
    ({"kind": "rate.limit", "params": {"target": "cam1", "bandwidth_mbps": -3}}, "bandwidth_mbps"),
    ({"kind": "flow.add", "params": {"dpid": 999, "match": {}, "actions": []}}, "dpid"),
])
def test_malformed_intents_name_the_parameter(fake, edge6g, intent, parameter):
    with pytest.raises(IntentError) as bad:
        compile_intent(intent, state_of(fake, edge6g))
    assert bad.value.parameter == parameter

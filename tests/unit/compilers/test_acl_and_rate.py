"""acl.block / acl.allow and rate.limit, traced through the fake's flow tables."""

from __future__ import annotations

import pytest

from netops_tools.compilers import ConflictRefused, IntentRefused, compile_intent
from tests.unit.compilers.conftest import apply, state_of, traced


def block(src, dst, proto=None, port=None, kind="acl.block"):
    return {"kind": kind, "params": {"src": src, "dst": dst, "proto": proto, "port": port}}


def test_a_block_drops_at_the_sources_edge_switch_and_nothing_else(fake, edge6g):
    cs = compile_intent(block("cam1", "cloud1"), state_of(fake, edge6g))
    (rule,) = cs.flows_add
    assert rule.drops and rule.dpid == state_of(fake, edge6g).addressing.dpids["ru1"]
    apply(fake, cs)
    assert traced(fake, edge6g, "cam1", "cloud1").outcome == "dropped"
    assert traced(fake, edge6g, "cloud1", "cam1").delivered          # the block is one-way
    assert traced(fake, edge6g, "cam1", "edge1").delivered


def test_a_port_block_only_drops_that_protocol_and_port(fake, edge6g):
    apply(fake, compile_intent(block("cam1", "cloud1", "tcp", 22), state_of(fake, edge6g)))
    assert traced(fake, edge6g, "cam1", "cloud1", "tcp", 22).outcome == "dropped"
    assert traced(fake, edge6g, "cam1", "cloud1", "tcp", 80).delivered
    assert traced(fake, edge6g, "cam1", "cloud1", "udp", 22).delivered
    assert traced(fake, edge6g, "cam1", "cloud1").delivered


def test_block_checks_expect_both_pings_to_fail_and_every_other_pair_to_work(fake, edge6g):
    cs = compile_intent(block("cam1", "cloud1"), state_of(fake, edge6g))
    blocked = {(c["src"], c["dst"]) for c in cs.checks if c["type"] == "blocked"}
    assert blocked == {("cam1", "cloud1"), ("cloud1", "cam1")}       # echo replies go back the other way
    kept = {(c["src"], c["dst"]) for c in cs.checks if c.get("scope") == "preserved"}
    hosts = sorted(state_of(fake, edge6g).addressing.hosts)
    assert len(kept) == len(hosts) * (len(hosts) - 1) - 2 and not kept & blocked


def test_allow_lifts_the_installed_block(fake, edge6g):
    first = compile_intent(block("cam1", "cloud1", "tcp", 22), state_of(fake, edge6g))
    apply(fake, first)
    allow = compile_intent(block("cam1", "cloud1", "tcp", 22, "acl.allow"), state_of(fake, edge6g, [first]))
    assert [r.to_dict() for r in allow.flows_remove] == [r.to_dict() for r in first.installed_flows()]
    apply(fake, allow)
    assert traced(fake, edge6g, "cam1", "cloud1", "tcp", 22).delivered


def test_allow_inside_a_broader_block_punches_an_exception(fake, edge6g):
    first = compile_intent(block("cam1", "cloud1"), state_of(fake, edge6g))
    apply(fake, first)
    allow = compile_intent(block("cam1", "cloud1", "tcp", 443, "acl.allow"), state_of(fake, edge6g, [first]))
    apply(fake, allow)
    assert traced(fake, edge6g, "cam1", "cloud1", "tcp", 443).delivered
    assert traced(fake, edge6g, "cam1", "cloud1", "tcp", 80).outcome == "dropped"


def test_allow_without_a_block_is_refused(fake, edge6g):
    with pytest.raises(IntentRefused) as refused:
        compile_intent(block("cam1", "cloud1", kind="acl.allow"), state_of(fake, edge6g))
    assert refused.value.reason == "not_blocked"


def test_blocking_a_pair_a_slice_guarantees_is_a_conflict_naming_both(fake, edge6g):
    slice_cs = compile_intent({"kind": "slice.create", "params": {
        "name": "cams", "type": None, "endpoints": ["cam1", "edge1"], "bandwidth_mbps": 10,
        "latency_ms": None}}, state_of(fake, edge6g))
    with pytest.raises(ConflictRefused) as refused:
        compile_intent(block("edge1", "cam1", "udp", 53), state_of(fake, edge6g, [slice_cs]))
    assert "block edge1->cam1" in refused.value.sides[0] and "slice cams" in refused.value.sides[1]


def test_a_rate_limit_meters_everything_the_host_sends_at_its_edge(fake, edge6g):
    cs = compile_intent({"kind": "rate.limit", "params": {"target": "veh1", "bandwidth_mbps": 20}},
                        state_of(fake, edge6g))
    (meter,) = cs.meters_add
    assert meter.rate_kbps == 20000 and meter.burst_kb >= 100
    hosts = state_of(fake, edge6g).addressing.hosts
    assert {f.dpid for f in cs.flows_add} == {meter.dpid}
    assert len(cs.flows_add) == len(hosts) - 1 and all(f.meter_id == meter.meter_id for f in cs.flows_add)
    apply(fake, cs)
    for dst in ("cloud1", "cam4", "edge2"):
        result = traced(fake, edge6g, "veh1", dst)
        assert result.delivered and result.decisions[0]["meter_id"] == meter.meter_id
    (check,) = cs.checks
    assert check["offered_mbps"] == 40 and check["min_mbps"] == pytest.approx(18.0)


def test_a_new_limit_on_the_same_host_replaces_the_old_one(fake, edge6g):
    first = compile_intent({"kind": "rate.limit", "params": {"target": "veh1", "bandwidth_mbps": 20}},
                           state_of(fake, edge6g))
    apply(fake, first)
    second = compile_intent({"kind": "rate.limit", "params": {"target": "veh1", "bandwidth_mbps": 5}},
                            state_of(fake, edge6g, [first]))
    assert len(second.flows_remove) == len(first.flows_add) and second.meters_remove == first.meters_add
    assert second.meters_add[0].meter_id != first.meters_add[0].meter_id


def test_a_rate_limit_keeps_a_block_in_force(fake, edge6g):
    first = compile_intent(block("veh1", "cloud1"), state_of(fake, edge6g))
    apply(fake, first)
    cs = compile_intent({"kind": "rate.limit", "params": {"target": "veh1", "bandwidth_mbps": 5}},
                        state_of(fake, edge6g, [first]))
    apply(fake, cs)
    assert traced(fake, edge6g, "veh1", "cloud1").outcome == "dropped"


def test_a_cap_at_or_above_the_access_link_is_refused_as_meaningless(fake, edge6g):
    with pytest.raises(IntentRefused) as refused:
        compile_intent({"kind": "rate.limit", "params": {"target": "cam1", "bandwidth_mbps": 100}},
                       state_of(fake, edge6g))
    assert refused.value.reason == "capacity" and "100" in str(refused.value)

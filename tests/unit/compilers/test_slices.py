"""slice.create / modify / delete: routing under capacity and latency, marking, meters, queues."""

from __future__ import annotations

import pytest

from netops_tools.compilers import ConflictRefused, IntentError, IntentRefused, compile_intent
from netops_tools.compilers.defaults import DEFAULTS
from tests.unit.compilers.conftest import apply, state_of, traced


def rows(items):
    return sorted(str(i.to_dict()) for i in items)


def create(name, endpoints, bandwidth=None, latency=None, stype=None):
    return {"status": "ok", "kind": "slice.create",
            "params": {"name": name, "type": stype, "endpoints": endpoints, "bandwidth_mbps": bandwidth,
                       "latency_ms": latency}}


def test_an_embb_slice_without_values_gets_the_documented_defaults(fake, edge6g):
    cs = compile_intent(create("video", ["cam1", "edge1"], stype="embb"), state_of(fake, edge6g))
    plan = cs.intent["plan"]
    assert plan["rate_mbps"] == DEFAULTS["embb"].bandwidth_mbps
    assert plan["latency_ms"] == DEFAULTS["embb"].latency_ms
    assert cs.slices[0].guaranteed_mbps == DEFAULTS["embb"].bandwidth_mbps
    assert not cs.meters_add                      # eMBB may borrow: no cap


def test_slice_traffic_is_marked_at_ingress_and_forwarded_along_its_path(fake, edge6g):
    cs = compile_intent(create("v", ["veh1", "cam2"], 30), state_of(fake, edge6g))
    apply(fake, cs)
    path = tuple(cs.intent["plan"]["paths"][0])
    for src, dst, expected in ((path[0], path[-1], path), (path[-1], path[0], path[::-1])):
        result = traced(fake, edge6g, src, dst)
        assert result.delivered and result.path == expected
        assert all(d["cookie"] == f"{cs.cookie:#x}" for d in result.decisions)
    marks = [f for f in cs.flows_add if any(a.get("field") == "ip_dscp" for a in f.actions)]
    assert len(marks) == 2                        # one ingress switch per direction
    assert all(a["value"] == cs.intent["plan"]["dscp"] for f in marks for a in f.actions if "field" in a)


def test_every_egress_port_on_the_path_gets_the_guarantee_queue(fake, edge6g):
    cs = compile_intent(create("v", ["veh1", "cam2"], 30), state_of(fake, edge6g))
    path = cs.intent["plan"]["paths"][0]
    hops = len(path) - 2
    assert len(cs.queues_add) == 2 * hops
    assert {q.min_rate_mbps for q in cs.queues_add} == {30.0}
    assert {q.dscp for q in cs.queues_add} == {cs.intent["plan"]["dscp"]}


def test_urllc_caps_with_burst_meters_at_each_ingress(fake, edge6g):
    cs = compile_intent(create("ctl", ["veh2", "edge1"], 10, stype="urllc"), state_of(fake, edge6g))
    assert len(cs.meters_add) == 2
    assert all(m.rate_kbps == 12000 and m.burst_kb > 0 for m in cs.meters_add)
    assert all(m.to_ofctl()["flags"] == ["KBPS", "BURST"] for m in cs.meters_add)
    metered = [f for f in cs.flows_add if f.meter_id is not None]
    assert {(f.dpid, f.meter_id) for f in metered} == {m.identity() for m in cs.meters_add}


def test_a_slice_that_does_not_fit_names_the_bottleneck_link(fake, edge6g):
    with pytest.raises(IntentRefused) as refused:
        compile_intent(create("big", ["cam1", "edge1"], 150), state_of(fake, edge6g))
    assert refused.value.reason == "capacity"
    assert "cam1-ru1" in refused.value.elements


def test_a_latency_bound_below_the_model_is_refused_with_the_best_figure(fake, edge6g):
    with pytest.raises(IntentRefused) as refused:
        compile_intent(create("fast", ["cam1", "cloud1"], 1, 1.0), state_of(fake, edge6g))
    assert refused.value.reason == "latency" and "above the bound" in str(refused.value)


def test_two_slices_oversubscribing_a_link_is_a_conflict_naming_both(fake, edge6g):
    first = compile_intent(create("a", ["cam1", "edge1"], 60), state_of(fake, edge6g))
    apply(fake, first)
    with pytest.raises(ConflictRefused) as refused:
        compile_intent(create("b", ["cam1", "edge2"], 60), state_of(fake, edge6g, [first]))
    assert "slice b" in refused.value.sides[0] and "slice a" in refused.value.sides[1]
    assert "cam1-ru1" in str(refused.value)


def test_modify_replans_and_removes_the_old_form_without_identity_clashes(fake, edge6g):
    first = compile_intent(create("a", ["cam1", "edge1"], 20, stype="urllc"), state_of(fake, edge6g))
    apply(fake, first)
    modify = {"kind": "slice.modify", "params": {"name": "a", "bandwidth_mbps": 40, "latency_ms": None}}
    cs = compile_intent(modify, state_of(fake, edge6g, [first]))
    assert rows(cs.flows_remove) == rows(first.installed_flows())
    assert not {f.identity() for f in cs.flows_add} & {f.identity() for f in cs.flows_remove}
    assert not {m.identity() for m in cs.meters_add} & {m.identity() for m in cs.meters_remove}
    assert {q.queue_id for q in cs.queues_add}.isdisjoint({q.queue_id for q in cs.queues_remove})
    assert cs.slices[0].guaranteed_mbps == 40.0


def test_delete_removes_everything_the_slice_installed_and_routing_takes_over(fake, edge6g):
    first = compile_intent(create("a", ["cam1", "edge1"], 20, stype="mmtc"), state_of(fake, edge6g))
    apply(fake, first)
    cs = compile_intent({"kind": "slice.delete", "params": {"name": "a"}}, state_of(fake, edge6g, [first]))
    assert rows(cs.meters_remove) == rows(first.meters_add) and rows(cs.queues_remove) == rows(first.queues_add)
    apply(fake, cs)
    assert all(d["cookie"].startswith("0xc0") for d in traced(fake, edge6g, "cam1", "edge1").decisions)


def test_unknown_slice_and_bad_parameters(fake, edge6g):
    with pytest.raises(IntentRefused) as refused:
        compile_intent({"kind": "slice.delete", "params": {"name": "ghost"}}, state_of(fake, edge6g))
    assert refused.value.reason == "unknown_slice"
    with pytest.raises(IntentError) as bad:
        compile_intent(create("x", ["cam1"], 5), state_of(fake, edge6g))
    assert bad.value.parameter == "endpoints"
    with pytest.raises(IntentError):
        compile_intent(create("x", ["cam1", "nosuch"], 5), state_of(fake, edge6g))


def test_the_slice_declares_a_guarantee_check_under_competition_and_latency_bounds(fake, edge6g):
    cs = compile_intent(create("v", ["veh1", "cam2"], 30, 20), state_of(fake, edge6g))
    floor = [c for c in cs.checks if c["type"] == "throughput_min"][0]
    assert floor["dst"] == "cam2" and floor["mbps"] == pytest.approx(27.0)
    assert floor["competing"]["dst"] == "cam2" and floor["competing"]["src"] not in ("veh1", "cam2")
    assert floor["competing"]["offered_mbps"] > 100          # overloads cam2's 100 Mbit/s link
    paths = [c for c in cs.checks if c["type"] == "path_via"]
    assert len(paths) == 2 and all(c["latency_bound_ms"] == 20 for c in paths)

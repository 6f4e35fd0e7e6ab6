"""Every intent kind compiled against the running twin, applied, and proven by measurement;
one refusal per kind for an intent that cannot be met (nothing is installed then). The slice
guarantee is measured last, on the twin all the other changes went through."""

from __future__ import annotations

import pytest

from netops_tools.compilers import ConflictRefused, IntentRefused, compile_intent
from netops_tools.compilers.verify import validate_intent
from netops_tools.policy import PolicyConfig
from netops_tools.push import rollback
from twin.emu.qos import run_tc

pytestmark = pytest.mark.integration


def intent(kind, **params):
    return {"status": "ok", "kind": kind, "params": params}


def proven(twin, changeset, keep=False, policy=None):
    report = validate_intent(changeset, twin.target, twin.prober, keep=keep, policy=policy)
    failed = [r.evidence for r in report.results if not r.passed]
    assert report.passed, f"{changeset.summary}: {report.error or report.policy_reasons or failed}"
    return report


def result_of(report, kind):
    return [r for r in report.results if r.check["type"] == kind]


def test_a_block_cuts_the_pair_and_nothing_else(twin):
    cs = compile_intent(intent("acl.block", src="cam1", dst="cloud1", proto=None, port=None), twin.state())
    report = proven(twin, cs)
    assert all(r.measured is False for r in result_of(report, "blocked"))
    (diff,) = [r for r in report.results if r.check.get("scope") == "preserved"]
    assert diff.measured["lost"] == [] and diff.check["pairs"] > 200
    assert twin.changeset_flows() == 0                      # validation put the twin back


def test_a_port_block_stops_only_that_port(twin):
    cs = compile_intent(intent("acl.block", src="cam1", dst="cloud1", proto="tcp", port=22), twin.state())
    report = proven(twin, cs)
    assert [r.measured for r in result_of(report, "blocked")] == [False]
    assert all(r.measured for r in result_of(report, "reachable") if "scope" not in r.check)


def test_allow_lifts_a_block_and_a_shadowed_flow_is_refused(twin):
    block = compile_intent(intent("acl.block", src="veh1", dst="edge1", proto=None, port=None), twin.state())
    proven(twin, block, keep=True)
    try:
        hosts = twin.network.addressing.hosts
        shadowed = intent("flow.add", dpid=twin.network.addressing.dpids["ru2"], priority=50,
                          match={"eth_type": 2048, "ipv4_src": hosts["veh1"].ip, "ipv4_dst": hosts["edge1"].ip},
                          actions=[{"type": "OUTPUT", "port": 1}])
        with pytest.raises(ConflictRefused) as refused:
            compile_intent(shadowed, twin.state([block]))
        assert "priority 400" in refused.value.sides[1]
        allow = compile_intent(intent("acl.allow", src="veh1", dst="edge1", proto=None, port=None),
                               twin.state([block]))
        report = proven(twin, allow)
        assert all(r.measured for r in result_of(report, "reachable") if "scope" not in r.check)
    finally:
        rollback(block, twin.target)
    assert twin.changeset_flows() == 0


def test_a_rate_limit_holds_the_host_to_its_cap(twin):
    cs = compile_intent(intent("rate.limit", target="cloud1", bandwidth_mbps=2), twin.state())
    report = proven(twin, cs)
    (cap,) = result_of(report, "throughput_max")
    assert 1.8 <= cap.measured["delivered_mbps"] <= 2.2


def test_a_slice_is_deleted_and_routing_takes_its_pairs_back(twin):
    cs = compile_intent(intent("slice.create", name="ctl", type="urllc", endpoints=["veh3", "edge2"],
                               bandwidth_mbps=1, latency_ms=10), twin.state())
    proven_create = validate_intent(cs, twin.target, twin.prober, keep=True)
    try:
        assert twin.changeset_flows() == len(cs.flows_add)
        delete = compile_intent(intent("slice.delete", name="ctl"), twin.state([cs]))
        # the delete removes every flow the slice put on its switches and nothing else; the default
        # blast radius (half a switch's non-controller flows) is meant for removals by hand
        proven(twin, delete, policy=PolicyConfig(max_remove_share=1.0))
    finally:
        rollback(cs, twin.target)
    assert proven_create.results and twin.changeset_flows() == 0


def test_avoid_moves_the_pair_off_the_link(twin):
    cs = compile_intent(intent("path.avoid", src="cam1", dst="edge2", avoid=["cu1-cu2"]), twin.state())
    report = proven(twin, cs)
    (avoids,) = result_of(report, "path_avoids")
    hops = set(zip(avoids.measured, avoids.measured[1:], strict=False))
    assert "cu2" in avoids.measured and not hops & {("cu1", "cu2"), ("cu2", "cu1")}


def test_via_crosses_the_waypoints_in_order(twin):
    cs = compile_intent(intent("path.via", src="cam1", dst="cloud1", via=["cu2", "core1"]), twin.state())
    report = proven(twin, cs)
    forward = [r.measured for r in result_of(report, "path_via") if r.check["src"] == "cam1"][0]
    assert forward.index("cu2") < forward.index("core1")


def test_a_flow_added_by_hand_does_what_it_says(twin):
    hosts = twin.network.addressing.hosts
    cs = compile_intent(intent("flow.add", dpid=twin.network.addressing.dpids["ru1"], priority=500,
                               match={"eth_type": 2048, "ipv4_src": hosts["cam1"].ip,
                                      "ipv4_dst": hosts["edge1"].ip}, actions=[]), twin.state())
    report = proven(twin, cs)
    assert [r.measured for r in result_of(report, "blocked")] == [False]


@pytest.mark.parametrize("refused_intent, reason", [
    (intent("slice.create", name="big", type=None, endpoints=["cam1", "edge1"], bandwidth_mbps=20,
            latency_ms=None), "capacity"),
    (intent("slice.modify", name="ghost", bandwidth_mbps=2, latency_ms=None), "unknown_slice"),
    (intent("slice.delete", name="ghost"), "unknown_slice"),
    (intent("acl.allow", src="cam1", dst="cloud1", proto=None, port=None), "not_blocked"),
    (intent("rate.limit", target="cam1", bandwidth_mbps=50), "capacity"),
    (intent("path.avoid", src="cam1", dst="cloud1", avoid=["du1"]), "unreachable"),
    (intent("path.via", src="cam1", dst="cam2", via=["ru3", "cu2"]), "waypoint"),
    (intent("node.drain", node="du2"), "disconnects"),
])
def test_intents_that_cannot_be_met_are_refused_and_change_nothing(twin, refused_intent, reason):
    with pytest.raises(IntentRefused) as refused:
        compile_intent(refused_intent, twin.state())
    assert refused.value.reason == reason and refused.value.elements
    assert twin.changeset_flows() == 0


def test_a_block_against_a_slice_guarantee_is_refused_naming_both(twin):
    slice_cs = compile_intent(intent("slice.create", name="cams", type=None, endpoints=["cam3", "edge2"],
                                     bandwidth_mbps=1, latency_ms=None), twin.state())
    with pytest.raises(ConflictRefused) as refused:
        compile_intent(intent("acl.block", src="edge2", dst="cam3", proto=None, port=None),
                       twin.state([slice_cs]))
    assert "slice cams" in refused.value.sides[1]


def tc_trees(twin, changeset):
    """Per interface the slice's queues use: the qdiscs (kind, handle, parent) and queue classes."""
    queues = twin.target.queues
    trees = {}
    for intf in sorted({queues.interface(q) for q in changeset.queues_add}):
        qdiscs = sorted(" ".join(line.split()[:5]) for line in run_tc(["qdisc", "show", "dev", intf], 10).splitlines())
        trees[intf] = (qdiscs, sorted(q.queue_id for q in queues.queues(intf)))
    return trees


def test_a_slice_holds_its_guarantee_after_other_changes_and_modify_delete_keep_tc_consistent(twin):
    """The guarantee on a twin that has seen a block, a rate limit and a rollback first (the
    whole module before it, when run in full); then modify and delete leave tc consistent."""
    proven(twin, compile_intent(intent("acl.block", src="cam1", dst="cloud1", proto=None, port=None), twin.state()))
    proven(twin, compile_intent(intent("rate.limit", target="cloud1", bandwidth_mbps=2), twin.state()))
    block = compile_intent(intent("acl.block", src="veh1", dst="edge1", proto=None, port=None), twin.state())
    proven(twin, block, keep=True)
    rollback(block, twin.target)
    create = compile_intent(intent("slice.create", name="cams", type="embb", endpoints=["veh1", "cam2"],
                                   bandwidth_mbps=1, latency_ms=None), twin.state())
    pristine = tc_trees(twin, create)
    kept = [create]
    try:
        report = proven(twin, create, keep=True)
        (floor,) = result_of(report, "throughput_min")
        assert floor.measured[0]["delivered_mbps"] >= 0.9
        assert floor.measured[1]["delivered_mbps"] <= floor.check["competing"]["max_mbps"]
        assert any("modelled" in n for n in report.notes)           # no netem here: latency is modelled
        assert all("modelled latency" in r.evidence for r in result_of(report, "path_via"))
        assert {intf: ids for intf, (_, ids) in tc_trees(twin, create).items()} == dict.fromkeys(pristine, [1])

        modify = compile_intent(intent("slice.modify", name="cams", bandwidth_mbps=1.5, latency_ms=None),
                                twin.state(kept))
        proven(twin, modify, keep=True, policy=PolicyConfig(max_remove_share=1.0))
        kept.append(modify)
        after_modify = tc_trees(twin, modify)
        assert {intf: ids for intf, (_, ids) in after_modify.items()} == dict.fromkeys(after_modify, [2])

        delete = compile_intent(intent("slice.delete", name="cams"), twin.state(kept))
        proven(twin, delete, policy=PolicyConfig(max_remove_share=1.0))         # validated, put back
        assert tc_trees(twin, modify) == after_modify
        proven(twin, delete, keep=True, policy=PolicyConfig(max_remove_share=1.0))
        kept.append(delete)
        assert tc_trees(twin, create) == pristine and twin.changeset_flows() == 0
    finally:
        if twin.changeset_flows():
            for changeset in reversed(kept):
                rollback(changeset, twin.target)

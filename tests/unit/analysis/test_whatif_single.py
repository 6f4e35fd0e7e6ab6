import pytest

from twin.analysis.constrained import constrained_path
from twin.analysis.errors import UnknownElementError
from twin.analysis.slices import AdmittedSlice
from twin.analysis.whatif import EmulatedOutcome, Scenario, link_down, node_down, what_if
from twin.model import load_topology

from .builders import line, ring


@pytest.fixture(scope="module")
def edge6g():
    return load_topology("edge6g")


def test_cutting_cu1_du1_isolates_cam1_and_veh1_from_everyone_else(edge6g):
    answer = link_down(edge6g, "du1", "cu1")
    others = {h.name for h in edge6g.hosts()} - {"cam1", "veh1"}
    expected = {tuple(sorted((a, b))) for a in ("cam1", "veh1") for b in others}
    assert {(p.src, p.dst) for p in answer.lost} == expected
    assert len(expected) == 18 and answer.host_pairs == 55
    assert ("cam1", "veh1") not in {(p.src, p.dst) for p in answer.lost}
    assert answer.rerouted == ()


def test_cutting_du2_du3_costs_latency_not_reachability(edge6g):
    answer = link_down(edge6g, "du2", "du3")
    assert answer.lost == ()
    stretched = {(p.src, p.dst): p for p in answer.rerouted}
    cam2_cam3 = stretched[("cam2", "cam3")]
    assert cam2_cam3.before.latency_ms == pytest.approx(1.2)      # 0.5+0.05+0.1+0.05+0.5
    assert cam2_cam3.after.latency_ms == pytest.approx(1.5)       # via cu1-cu2: +0.1+0.2+0.1-0.1
    assert cam2_cam3.after.hops - cam2_cam3.before.hops == 2
    assert cam2_cam3.latency_stretch == pytest.approx(1.25)
    assert all(p.before.crosses_link(("du2", "du3")) and not p.after.crosses_link(("du2", "du3"))
               for p in answer.rerouted)
    assert answer.summary()["max_latency_stretch"] == pytest.approx(1.25)


def test_ring_link_failure_reroutes_the_long_way():
    answer = link_down(ring(6), "s0", "s1")
    assert answer.lost == ()
    pair = {(p.src, p.dst): p for p in answer.rerouted}[("hs0", "hs1")]
    assert (pair.before.latency_ms, pair.after.latency_ms) == (1.0, 5.0)
    # pairs whose path never used s0-s1 are not listed
    assert ("hs2", "hs4") not in {(p.src, p.dst) for p in answer.rerouted}
    assert len(answer.rerouted) == 6          # hs0..hs1 separated by 1, 2 or 3 hops across the link


def test_line_link_failure_splits_the_line():
    answer = link_down(line(5), "s1", "s2")
    assert len(answer.lost) == 2 * 3 and answer.rerouted == ()


def test_node_down_loses_its_own_hosts_and_reroutes_others(edge6g):
    answer = node_down(edge6g, "du2")
    lost_hosts = {h for p in answer.lost for h in (p.src, p.dst)}
    assert {"cam2", "veh2"} <= lost_hosts
    assert all("cam2" in (p.src, p.dst) or "veh2" in (p.src, p.dst) for p in answer.lost)
    assert len(answer.lost) == 9 + 9 + 1     # cam2 and veh2 to the 9 others, and to each other
    # cu1-du2-du3 (0.2 ms) beat cu1-cu2-du3 (0.3 ms): pairs between du1 and du3 were using du2
    detour = {(p.src, p.dst): p for p in answer.rerouted}[("cam1", "cam3")]
    assert detour.before.crosses_node("du2") and detour.added_ms == pytest.approx(0.1)
    assert all(p.before.crosses_node("du2") for p in answer.rerouted)


def test_slices_report_which_keep_their_guarantee(edge6g):
    route = constrained_path(edge6g, "cam2", "cam3", 50).route
    loose = AdmittedSlice("loose", 50, (route.nodes,), latency_ms=5)
    tight = AdmittedSlice("tight", 20, (route.nodes,), latency_ms=1.5)
    elsewhere = AdmittedSlice("elsewhere", 20, (("cam1", "ru1", "du1", "cu1", "edge1"),))
    answer = link_down(edge6g, "du2", "du3", [loose, tight, elsewhere])
    status = {impact.slice: impact.status for impact in answer.slices}
    assert status == {"loose": "rerouted", "tight": "lost_bound"}
    assert answer.summary()["slices_losing_guarantee"] == ["tight"]
    lost = link_down(edge6g, "cu1", "du1", [elsewhere])
    assert [(s.slice, s.status) for s in lost.slices] == [("elsewhere", "disconnected")]


def test_rerouted_slices_compete_for_the_detour(edge6g):
    route = constrained_path(edge6g, "cam2", "cam3", 60).route
    first = AdmittedSlice("a", 60, (route.nodes,))
    second = AdmittedSlice("b", 60, (route.nodes,))
    squeeze = AdmittedSlice("squeeze", 900, (("du2", "cu1", "cu2"),))
    answer = link_down(edge6g, "du2", "du3", [first, second, squeeze])
    assert [(s.slice, s.status) for s in answer.slices] == [("a", "rerouted"), ("b", "lost_guarantee")]


def test_emulated_measurement_attaches_to_the_answer(edge6g):
    answer = link_down(edge6g, "cu1", "du1")
    outcome = EmulatedOutcome(lost_pairs=(("cam1", "cam2"),), repair_seconds=1.5, probes=55)
    measured = answer.with_emulation(outcome)
    assert measured.emulated.repair_seconds == 1.5 and answer.emulated is None
    assert measured.to_dict()["emulated"]["probes"] == 55


def test_scenarios_name_unknown_elements(edge6g):
    with pytest.raises(UnknownElementError, match="cu1-du4"):
        link_down(edge6g, "cu1", "du4")
    with pytest.raises(UnknownElementError, match="nope"):
        what_if(edge6g, Scenario.node("nope"))

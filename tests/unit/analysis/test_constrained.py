import pytest

from twin.analysis.constrained import constrained_path
from twin.analysis.latency import path_latency
from twin.analysis.slices import AdmittedSlice, link_loads
from twin.model import load_topology

from .builders import build


@pytest.fixture(scope="module")
def edge6g():
    return load_topology("edge6g")


def test_fits_and_reports_the_modelled_latency_with_its_own_load(edge6g):
    answer = constrained_path(edge6g, "cam1", "edge1", rate_mbps=50, latency_bound_ms=5)
    assert answer.ok and answer.route.nodes == ("cam1", "ru1", "du1", "cu1", "edge1")
    loads = {link: 50.0 for link in [("cam1", "ru1"), ("du1", "ru1"), ("cu1", "du1"), ("cu1", "edge1")]}
    assert answer.latency_ms == pytest.approx(path_latency(edge6g, answer.route.nodes, loads).total_ms)
    # cam1-ru1 at rho 0.5 waits as long as it serialises: 0.12 ms more than idle
    idle = path_latency(edge6g, answer.route.nodes).total_ms
    assert answer.latency_ms - idle == pytest.approx(0.12, rel=0.02)


def test_detours_around_a_full_link_then_names_the_bottleneck(edge6g):
    video = AdmittedSlice("video", 800, (("edge1", "cu1", "du2"),))
    telemetry = AdmittedSlice("telemetry", 150, (("edge1", "cu1", "du2", "du3"),))
    answer = constrained_path(edge6g, "cam2", "edge1", rate_mbps=60, admitted=[video, telemetry])
    assert answer.ok and answer.route.crosses_link(("du2", "du3"))
    assert not answer.route.crosses_link(("cu1", "du2"))
    bulk = AdmittedSlice("bulk", 800, (("du2", "du3"),))
    answer = constrained_path(edge6g, "cam2", "edge1", rate_mbps=60, admitted=[video, telemetry, bulk])
    refusal = answer.refusal
    assert not answer.ok and refusal.reason == "capacity" and refusal.link == "cu1-du2"
    assert refusal.available_mbps == pytest.approx(50) and refusal.needed_mbps == 60
    assert "telemetry, video" in refusal.message


def test_bottleneck_is_the_tightest_link_every_path_must_cross():
    topo = build("t", [("a", "b", 1.0), ("a", "c", 2.0), ("c", "b", 2.0)], bandwidth=100)
    core = AdmittedSlice("s1", 80, (("a", "b"),))
    assert constrained_path(topo, "ha", "hb", 25, admitted=[core]).route.crosses_node("c")
    feeder = AdmittedSlice("s2", 90, (("ha", "a"),))
    answer = constrained_path(topo, "ha", "hb", 25, admitted=[core, feeder])
    assert answer.refusal.link == "a-ha" and answer.refusal.available_mbps == pytest.approx(10)


def test_full_utilisation_is_refused(edge6g):
    answer = constrained_path(edge6g, "cam1", "edge1", rate_mbps=100)
    assert not answer.ok and answer.refusal.link == "cam1-ru1"
    assert answer.refusal.available_mbps == 100


def test_latency_bound_refusal_gives_the_best_achievable(edge6g):
    answer = constrained_path(edge6g, "cam1", "cloud1", rate_mbps=10, latency_bound_ms=2)
    assert not answer.ok and answer.refusal.reason == "latency"
    assert answer.refusal.bound_ms == 2 and answer.refusal.best_latency_ms > 6.15
    assert constrained_path(edge6g, "cam1", "cloud1", rate_mbps=10, latency_bound_ms=7).ok


def test_refuses_when_it_would_break_an_admitted_slice_bound(edge6g):
    path = ("cam1", "ru1", "du1", "cu1", "edge1")
    tight = AdmittedSlice("urllc", 10, (path,), latency_ms=0.85)
    assert path_latency(edge6g, path, link_loads([tight])).total_ms < 0.85
    # veh1 shares du1-cu1 and cu1-edge1 only, where 200 Mbit/s adds microseconds
    assert constrained_path(edge6g, "veh1", "edge1", rate_mbps=190, admitted=[tight]).ok
    answer = constrained_path(edge6g, "cam1", "cloud1", rate_mbps=80, admitted=[tight])
    assert not answer.ok and answer.refusal.reason == "breaks_slice"
    assert answer.refusal.slice == "urllc" and answer.refusal.link == "cam1-ru1"

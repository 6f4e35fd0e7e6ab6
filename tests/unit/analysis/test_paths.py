import pytest

from twin.analysis.errors import ModelRangeError, UnknownElementError
from twin.analysis.paths import host_routes, path_avoiding, shortest_path
from twin.analysis.reachability import reachability
from twin.model import load_topology

from .builders import build, ring


def test_lowest_latency_wins_over_fewer_hops():
    topo = build("t", [("a", "b", 5.0), ("a", "c", 1.0), ("c", "d", 1.0), ("d", "b", 1.0)])
    assert shortest_path(topo, "ha", "hb").route.nodes == ("ha", "a", "c", "d", "b", "hb")


def test_equal_latency_prefers_fewer_hops_then_smaller_names():
    fewer = build("t", [("a", "b", 2.0), ("a", "c", 1.0), ("c", "b", 1.0)])
    assert shortest_path(fewer, "ha", "hb").route.hops == 3
    names = build("t", [("a", "x", 1.0), ("x", "b", 1.0), ("a", "c", 1.0), ("c", "b", 1.0)])
    assert shortest_path(names, "ha", "hb").route.nodes == ("ha", "a", "c", "b", "hb")


def test_routes_are_symmetric_on_ties():
    topo = ring(4)          # s0 to s2: two equal ways round
    forward = shortest_path(topo, "hs0", "hs2").route.nodes
    backward = shortest_path(topo, "hs2", "hs0").route.nodes
    assert forward == backward[::-1] == ("hs0", "s0", "s1", "s2", "hs2")


def test_hosts_never_carry_transit():
    edge6g = load_topology("edge6g")
    for route in host_routes(edge6g).values():
        assert all(edge6g.nodes[n].is_switch for n in route.nodes[1:-1])


def test_path_avoiding_a_link_and_a_node():
    edge6g = load_topology("edge6g")
    assert shortest_path(edge6g, "cam2", "cam3").route.crosses_link(("du2", "du3"))
    around = path_avoiding(edge6g, "cam2", "cam3", links=[("du3", "du2")]).route
    assert around.nodes == ("cam2", "ru3", "du2", "cu1", "cu2", "du3", "ru5", "cam3")
    assert around.latency_ms == pytest.approx(1.5)
    assert not path_avoiding(edge6g, "cam2", "cam3", nodes=["cu1"]).route.crosses_node("cu1")


def test_path_avoiding_refuses_when_nothing_is_left():
    edge6g = load_topology("edge6g")
    answer = path_avoiding(edge6g, "cam1", "cloud1", nodes=["cu1"])
    assert not answer.ok and answer.refusal.reason == "unreachable" and "cu1" in answer.refusal.message
    assert path_avoiding(edge6g, "cam1", "cloud1", nodes=["cam1"]).refusal.node == "cam1"


def test_unknown_nodes_are_errors_not_answers():
    with pytest.raises(UnknownElementError, match="nope"):
        shortest_path(ring(3), "hs0", "nope")


def test_reachability_on_a_fork():
    topo = ring(4)
    before = reachability(topo)
    assert len(before.pairs) == 6
    assert reachability(topo.without(links=[("s0", "s1")])).pairs == before.pairs
    cut = reachability(topo.without(links=[("s0", "s1"), ("s2", "s3")]))
    assert cut.lost_since(before) == {("hs0", "hs1"), ("hs0", "hs2"), ("hs1", "hs3"), ("hs2", "hs3")}
    assert cut.can_reach("hs1", "hs2") and not cut.can_reach("hs0", "hs2")


def test_absurd_delays_are_refused_rather_than_rounded():
    with pytest.raises(ModelRangeError, match="exact path keys"):
        shortest_path(build("far", [("a", "b", 200_000_000.0)]), "ha", "hb")

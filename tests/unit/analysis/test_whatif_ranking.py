"""all_single_link_failures must agree, link by link, with the exact single-failure answer."""

import pytest

from twin.analysis.whatif import all_single_link_failures, link_down
from twin.model import load_topology

from .builders import build, line, random_topology, ring


def assert_matches_single_answers(topo):
    ranking = all_single_link_failures(topo)
    switch_links = [link for link in topo.links
                    if topo.nodes[link.a].is_switch and topo.nodes[link.b].is_switch]
    assert sorted(f.link for f in ranking.failures) == sorted(link.key for link in switch_links)
    for impact in ranking.failures:
        answer = link_down(topo, *impact.link.split("-"))
        assert impact.disconnected_pairs == len(answer.lost), impact.link
        assert impact.degraded_pairs == len(answer.degraded), impact.link
        assert impact.added_ms_total == pytest.approx(sum(p.added_ms for p in answer.rerouted), abs=1e-9)
        if answer.degraded:
            assert impact.max_added_ms == pytest.approx(max(p.added_ms for p in answer.degraded))
            assert impact.max_added_hops == max(p.after.hops - p.before.hops for p in answer.degraded)
            stretches = [p.latency_stretch for p in answer.degraded if p.latency_stretch is not None]
            assert impact.max_latency_stretch == pytest.approx(max(stretches, default=None))
    return ranking


def test_edge6g_ranking():
    ranking = assert_matches_single_answers(load_topology("edge6g"))
    assert {f.link for f in ranking.top(2)} == {"cu1-du1", "cu2-du4"}
    assert ranking.top(2)[0].disconnected_pairs == 18
    not_cut = [f for f in ranking.failures if not f.bridge]
    assert not_cut[0].link == "du2-du3" and not_cut[0].degraded_pairs == 16
    assert ranking.host_pairs == 55


@pytest.mark.parametrize("seed", range(12))
def test_random_graphs(seed):
    assert_matches_single_answers(random_topology(seed))


def test_ring_line_and_parallel_chains():
    assert_matches_single_answers(ring(7))
    assert_matches_single_answers(line(5))
    # theta: three chains between a and b, two of equal length (removing one changes nothing
    # between a and b), plus a loop hanging off a (a chain from a back to a)
    theta = build("theta", [("a", "p1", 1.0), ("p1", "b", 1.0), ("a", "q1", 0.5), ("q1", "q2", 0.5),
                            ("q2", "b", 1.0), ("a", "b", 3.0), ("a", "x1", 0.2), ("x1", "x2", 0.2),
                            ("x2", "a", 0.2), ("b", "t", 0.1)], access_delay=0.05)
    ranking = assert_matches_single_answers(theta)
    assert next(f for f in ranking.failures if f.link == "b-t").disconnected_pairs == 7   # ht from the rest


def test_hosts_behind_bridges_weigh_on_the_component():
    # a square with a tail of three switches hanging off s0 and no host on s1
    topo = build("tail", [("s0", "s1", 1.0), ("s1", "s2", 1.0), ("s2", "s3", 1.0), ("s3", "s0", 1.5),
                          ("s0", "t1", 0.5), ("t1", "t2", 0.5), ("t2", "t3", 0.5)],
                 hosts={"h0": "s0", "h2": "s2", "h3": "s3", "ht3": "t3", "ht3b": "t3"}, access_delay=0.1)
    ranking = assert_matches_single_answers(topo)
    cut = next(f for f in ranking.failures if f.link == "s0-s1")
    assert cut.degraded_pairs == 1 + 2          # h0-h2, and both t3 hosts to h2, now via s3
    assert cut.max_added_ms == pytest.approx(0.5)
    # worst ratio is h0-h2: (0.1 + 2.5 + 0.1) / (0.1 + 2.0 + 0.1), not the t3 hosts' longer paths
    assert cut.max_latency_stretch == pytest.approx(2.7 / 2.2)


def test_access_links_on_request():
    topo = load_topology("edge6g")
    ranking = all_single_link_failures(topo, include_access_links=True)
    assert len(ranking.failures) == len(topo.links)
    cam1 = next(f for f in ranking.failures if f.link == "cam1-ru1")
    assert cam1.disconnected_pairs == 10

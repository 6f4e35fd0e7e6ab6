from twin.analysis.waypoints import path_via
from twin.model import load_topology

from .builders import build

EDGE6G = load_topology("edge6g")


def test_route_crosses_the_waypoints_in_order_without_loops():
    answer = path_via(EDGE6G, "cam1", "cam3", ["cu2"])
    nodes = answer.route.nodes
    assert nodes == ("cam1", "ru1", "du1", "cu1", "cu2", "du3", "ru5", "cam3")
    assert len(set(nodes)) == len(nodes)


def test_second_best_segment_is_tried_when_the_best_blocks_a_later_one():
    # the best a->w segment crosses x, which the w->b segment needs: a detour a-y-w is required
    topo = build("t", [("a", "x", 1.0), ("x", "w", 1.0), ("a", "y", 3.0), ("y", "w", 3.0), ("w", "x2", 1.0),
                       ("x", "b", 1.0), ("x2", "x", 5.0)], hosts={"ha": "a", "hb": "b"})
    answer = path_via(topo, "ha", "hb", ["w"])
    assert answer.ok and answer.route.nodes == ("ha", "a", "y", "w", "x", "b", "hb")


def test_impossible_order_is_refused_naming_the_stuck_stop():
    answer = path_via(EDGE6G, "cam1", "cam3", ["du3", "cu2"])   # cam3 hangs off du3, already used
    assert not answer.ok and answer.refusal.reason == "waypoint" and answer.refusal.node == "cam3"


def test_waypoints_must_be_forwarding_distinct_and_not_ends():
    assert path_via(EDGE6G, "cam1", "cam3", ["edge1"]).refusal.node == "edge1"
    assert path_via(EDGE6G, "cam1", "cam3", ["cu2", "cu2"]).refusal.node == "cu2"
    assert path_via(EDGE6G, "cam1", "cam3", ["cam1"]).refusal.node == "cam1"

"""The measured path comes from counters: the fake counts packets where the tables send them."""

from netops_tools.counter_path import measured_path
from netops_tools.trace import trace
from tests.unit.netops_tools.conftest import routed_fake
from twin.model import Addressing, load_topology
from twin.model.changeset import FlowRule


def no_wait(seconds):
    pass


def counting_train(fake, topology):
    """Sending n pings makes every flow that forwards them (per the tables) count n packets."""
    addressing = Addressing.of(topology)

    def send(src, dst, count):
        tables = {d: [f.rule for f in fake.flows(d)] for d in fake.switches()}
        result = trace(tables, addressing, src, dst)
        for decision in result.decisions:
            dpid = addressing.dpids[decision["switch"]]
            decided = FlowRule(dpid, decision["priority"], decision["match"], table_id=decision["table_id"])
            key = (dpid, decided.identity())
            fake.packet_counts[key] = fake.packet_counts.get(key, 0) + count
    return send


def test_the_path_follows_a_detour_the_counters_saw():
    topology = load_topology("fattree4")
    hosts = [h.name for h in topology.hosts()]
    src, dst = hosts[0], hosts[-1]
    fake = routed_fake(topology)
    plain = measured_path(fake, topology, src, dst, counting_train(fake, topology), sleep=no_wait)
    assert plain[0] == src and plain[-1] == dst and len(plain) >= 4
    # steer src->dst at its first aggregation switch out of another uplink: the counters follow
    addressing = Addressing.of(topology)
    first, second = plain[1], plain[2]
    other = next(n for n in topology.neighbors(first) if topology.nodes[n].is_switch and n != second)
    fake.add_flow(FlowRule(addressing.dpids[first], 300, {"eth_type": 2048, "ipv4_dst": addressing.hosts[dst].ip},
                           ({"type": "OUTPUT", "port": addressing.ports[(first, other)]},), cookie=9))
    detour = measured_path(fake, topology, src, dst, counting_train(fake, topology), sleep=no_wait)
    assert detour[:3] == [src, first, other] and detour[-1] == dst


def test_a_dropped_train_stops_the_path_where_it_was_dropped(linear4):
    fake = routed_fake(linear4)
    fake.add_flow(FlowRule(3, 300, {"eth_type": 2048, "ipv4_dst": "10.0.0.4"}, (), cookie=5))
    path = measured_path(fake, linear4, "h1", "h4", counting_train(fake, linear4), sleep=no_wait)
    assert path == ["h1", "s1", "s2", "s3"]

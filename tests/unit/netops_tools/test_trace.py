"""Packet tracing through flow tables on linear4 (h1-s1-s2-s3-s4-h4)."""

from netops_tools.trace import trace
from tests.unit.netops_tools.conftest import routed_fake
from twin.model import Addressing
from twin.model.changeset import FlowRule

IP = {"eth_type": 2048}


def tables(fake):
    return {d: [f.rule for f in fake.flows(d)] for d in fake.switches()}


def test_delivered_along_the_routes(linear4):
    result = trace(tables(routed_fake(linear4)), Addressing.of(linear4), "h1", "h4")
    assert result.outcome == "delivered" and result.path == ("h1", "s1", "s2", "s3", "s4", "h4")
    assert [d["priority"] for d in result.decisions] == [10, 10, 10, 10]


def test_goto_table_and_set_field_are_followed(linear4):
    fake = routed_fake(linear4)
    addressing = Addressing.of(linear4)
    port_to_s1 = addressing.ports[("s2", "s1")]
    # on s2: mark DSCP in table 0, then bounce h4-bound packets back towards s1 in table 1
    mark_then_goto = ({"type": "SET_FIELD", "field": "ip_dscp", "value": 8},
                      {"type": "GOTO_TABLE", "table_id": 1})
    fake.add_flow(FlowRule(2, 500, {**IP, "ipv4_dst": "10.0.0.4"}, mark_then_goto, cookie=1))
    fake.add_flow(FlowRule(2, 5, {**IP, "ip_dscp": 8}, ({"type": "OUTPUT", "port": port_to_s1},),
                           table_id=1, cookie=1))
    result = trace(tables(fake), addressing, "h1", "h4")
    assert result.outcome == "loop" and result.path[:4] == ("h1", "s1", "s2", "s1")


def test_drop_controller_and_tcp_ports(linear4):
    fake = routed_fake(linear4)
    addressing = Addressing.of(linear4)
    fake.add_flow(FlowRule(3, 400, {**IP, "ip_proto": 6, "tcp_dst": 22}, (), cookie=1))
    assert trace(tables(fake), addressing, "h1", "h4", "tcp", 22).outcome == "dropped"
    assert trace(tables(fake), addressing, "h1", "h4", "tcp", 80).delivered
    assert trace(tables(fake), addressing, "h1", "h4", "udp", 22).delivered
    fake.delete_flows_by_cookie(4, 0xC0 << 56 | 1)             # s4 loses its routes: table-miss
    assert trace(tables(fake), addressing, "h1", "h4").outcome == "controller"

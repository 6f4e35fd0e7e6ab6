import pytest

from twin.controller.ledger import Ledger
from twin.controller.validation import RequestError, check_flow, check_meter

GOOD_FLOW = {"dpid": 1, "priority": 100, "match": {"eth_type": 2048, "ipv4_dst": "10.0.0.2", "ip_proto": 6,
                                                    "tcp_dst": 443},
             "actions": [{"type": "SET_QUEUE", "queue_id": 1}, {"type": "OUTPUT", "port": 2}]}


def test_ryu_flow_bodies_pass_unchanged():
    assert check_flow(GOOD_FLOW) is GOOD_FLOW
    check_flow({"dpid": "0x1", "match": {"in_port": 1, "eth_src": "00:00:00:00:00:01"}, "actions": []})
    check_flow({"dpid": 1, "match": {"ipv4_src": "10.0.0.0/24"},
                "actions": [{"type": "SET_FIELD", "field": "ip_dscp", "value": 8},
                            {"type": "METER", "meter_id": 3}, {"type": "OUTPUT", "port": "CONTROLLER"}]})


@pytest.mark.parametrize("body,problem", [
    ([], "must be a JSON object"),
    ({"priority": 1}, "needs 'dpid'"),
    ({"dpid": 1, "colour": "red"}, "unknown field(s) in flow entry: colour"),
    ({"dpid": 1, "priority": "high"}, "priority must be an integer"),
    ({"dpid": 1, "priority": 70000}, "priority must be between"),
    ({"dpid": True}, "boolean"),
    ({"dpid": 1, "match": {"ipv4_dst": "10.0.0.999"}}, "not an IP address"),
    ({"dpid": 1, "match": {"eth_dst": "zz"}}, "MAC address"),
    ({"dpid": 1, "match": {"tcp_dst": [1]}}, "match.tcp_dst must be an integer"),
    ({"dpid": 1, "match": {"no_such_field": 1}}, "unknown field(s) in match"),
    ({"dpid": 1, "actions": {"type": "OUTPUT"}}, "actions must be a list"),
    ({"dpid": 1, "actions": [{"type": "EXPLODE"}]}, "unknown action type"),
    ({"dpid": 1, "actions": [{"type": "OUTPUT"}]}, "needs port"),
    ({"dpid": 1, "actions": [{"type": "OUTPUT", "port": 1, "colour": 2}]}, "unknown field(s) colour"),
])
def test_bad_flow_bodies_say_what_is_wrong(body, problem):
    with pytest.raises(RequestError) as info:
        check_flow(body)
    assert problem in str(info.value)
    assert info.value.status == 400


def test_meters():
    check_meter({"dpid": 1, "meter_id": 1, "flags": ["KBPS", "BURST"],
                 "bands": [{"type": "DROP", "rate": 10000, "burst_size": 1000}]})
    with pytest.raises(RequestError, match="needs 'meter_id'"):
        check_meter({"dpid": 1})
    with pytest.raises(RequestError, match="unknown meter flag"):
        check_meter({"dpid": 1, "meter_id": 1, "flags": ["FAST"]})
    with pytest.raises(RequestError, match="DROP or DSCP_REMARK"):
        check_meter({"dpid": 1, "meter_id": 1, "bands": [{"type": "X"}]})


def test_ledger_replays_what_is_still_installed():
    ledger = Ledger()
    a = {"dpid": 1, "cookie": 0xA5 << 56 | 1, "priority": 100, "match": {"ipv4_dst": "10.0.0.1"}, "actions": []}
    b = {"dpid": 1, "cookie": 0xA5 << 56 | 2, "priority": 100, "match": {"ipv4_dst": "10.0.0.2"}, "actions": []}
    ledger.add_flow(1, a)
    ledger.add_flow(1, b)
    ledger.add_flow(1, dict(a, actions=[{"type": "OUTPUT", "port": 1}]))     # same key replaces
    ledger.set_meter(1, {"dpid": 1, "meter_id": 4})
    meters, flows = ledger.replay(1)
    assert len(flows) == 2 and len(meters) == 1
    ledger.delete_flows(1, {"cookie": b["cookie"], "cookie_mask": 2**64 - 1}, strict=False)
    assert [f["match"] for f in ledger.replay(1)[1]] == [a["match"]]
    ledger.delete_flows(1, {"priority": 100, "match": {"ipv4_dst": "10.0.0.1"}}, strict=True)
    ledger.delete_meter(1, 4)
    assert ledger.replay(1) == ([], [])

import pytest

from netops_tools.drivers.ofctl import OfctlFormatError, flow_from_stats, meter_from_config, parse_action


@pytest.mark.parametrize("text, parsed", [
    ("OUTPUT:2", {"type": "OUTPUT", "port": 2}),
    ("OUTPUT:CONTROLLER", {"type": "OUTPUT", "port": 0xFFFFFFFD}),
    ("SET_FIELD: {ip_dscp:8}", {"type": "SET_FIELD", "field": "ip_dscp", "value": 8}),
    ("SET_FIELD: {eth_dst:00:00:00:00:00:01}", {"type": "SET_FIELD", "field": "eth_dst",
                                                "value": "00:00:00:00:00:01"}),
    ("SET_QUEUE:1", {"type": "SET_QUEUE", "queue_id": 1}),
    ("GOTO_TABLE:1", {"type": "GOTO_TABLE", "table_id": 1}),
    ("METER:4", {"type": "METER", "meter_id": 4}),
    ("POP_VLAN", {"type": "POP_VLAN"}),
    ({"type": "OUTPUT", "port": "3"}, {"type": "OUTPUT", "port": 3}),
])
def test_ryu_action_strings(text, parsed):
    assert parse_action(text) == parsed


def test_flow_stats_entry_becomes_rule_with_meter_folded():
    entry = {"priority": 300, "cookie": 0xA5 << 56, "table_id": 0, "idle_timeout": 0, "hard_timeout": 0,
             "match": {"dl_type": 2048, "nw_dst": "10.0.0.2"}, "actions": ["METER:3", "OUTPUT:2"],
             "packet_count": 9, "byte_count": 882, "duration_sec": 4}
    rule, counters = flow_from_stats(5, entry)
    assert rule.meter_id == 3 and rule.actions == ({"type": "OUTPUT", "port": 2},)
    assert dict(rule.match) == {"eth_type": 2048, "ipv4_dst": "10.0.0.2"}
    assert rule.dpid == 5 and counters["packet_count"] == 9


def test_malformed_entries_are_format_errors():
    with pytest.raises(OfctlFormatError, match="dpid 1"):
        flow_from_stats(1, {"priority": "high"})
    with pytest.raises(OfctlFormatError, match="no band"):
        meter_from_config(1, {"meter_id": 1, "bands": []})
    assert meter_from_config(1, {"meter_id": 2, "bands": [{"type": "DROP", "rate": 500, "burst_size": 50}]}
                             ).rate_kbps == 500

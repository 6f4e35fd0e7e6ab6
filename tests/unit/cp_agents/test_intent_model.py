from __future__ import annotations

import pytest

from cp_agents.errors import IntentSchemaError
from cp_agents.parsing.intent import KINDS, Intent, canonical_params


def test_missing_params_become_null_and_lists_empty():
    params = canonical_params("slice.create", {"name": "Video"})
    assert params == {"name": "video", "type": None, "endpoints": [], "bandwidth_mbps": None,
                      "latency_ms": None}


def test_unordered_lists_are_sorted_and_links_canonical():
    assert canonical_params("slice.create", {"endpoints": ["veh1", "Edge2"]})["endpoints"] == ["edge2",
                                                                                               "veh1"]
    assert canonical_params("path.avoid", {"avoid": ["s5-s3", "du2"]})["avoid"] == ["du2", "s3-s5"]
    assert canonical_params("whatif.link_down", {"link": ["s2", "s1"]})["link"] == ["s1", "s2"]


def test_waypoints_keep_their_order():
    assert canonical_params("path.via", {"via": ["cu2", "core1"]})["via"] == ["cu2", "core1"]


def test_integral_numbers_are_ints_and_fractions_stay():
    params = canonical_params("rate.limit", {"target": "h4", "bandwidth_mbps": 100.0})
    assert params["bandwidth_mbps"] == 100 and isinstance(params["bandwidth_mbps"], int)
    assert canonical_params("rate.limit", {"bandwidth_mbps": 0.75})["bandwidth_mbps"] == 0.75


def test_flow_add_params_are_the_ryu_body():
    params = canonical_params("flow.add", {"dpid": 5, "match": {"eth_type": 2048, "tcp_dst": 443},
                                           "actions": [{"type": "SET_QUEUE", "queue_id": 2},
                                                       {"type": "OUTPUT", "port": 3}]})
    assert params == {"dpid": 5, "match": {"eth_type": 2048, "tcp_dst": 443},
                      "actions": [{"type": "SET_QUEUE", "queue_id": 2}, {"type": "OUTPUT", "port": 3}]}


@pytest.mark.parametrize("bad", [
    {"status": "ok", "kind": None, "params": {}},
    {"status": "refused", "params": {}},
    {"status": "ok", "kind": "slice.create", "params": {"colour": "red"}},
    {"status": "ok", "kind": "acl.block", "params": {"proto": "gre"}},
    {"status": "ok", "kind": "acl.block", "params": {"port": 70000}},
    {"status": "ok", "kind": "flow.add", "params": {"dpid": 1, "actions": [{"type": "GOTO_MARS"}]}},
    {"status": "ok", "kind": "whatif.link_down", "params": {"link": ["s1"]}},
    {"status": "maybe", "kind": "query.path", "params": {}},
    {"status": "ok", "kind": "slice.nuke", "params": {}},
])
def test_invalid_intents_raise_the_package_error(bad):
    with pytest.raises(IntentSchemaError):
        Intent.parse_obj_strict(bad)


def test_every_kind_has_a_params_model_with_defaults():
    for kind in KINDS:
        assert isinstance(canonical_params(kind, {}), dict)


def test_ok_drops_reason_and_json_has_four_keys():
    intent = Intent(status="ok", kind="node.drain", params={"node": "DU1"}, reason="ignored")
    assert intent.to_json() == {"status": "ok", "kind": "node.drain", "params": {"node": "du1"},
                                "reason": None}

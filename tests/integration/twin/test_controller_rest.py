"""The controller's ofctl_rest-compatible API against real switches."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.integration


def call(net, method: str, path: str, body: object = None, raw: bytes | None = None):
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(net.controller_url + path, data=data, method=method)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def dpid(net, switch: str) -> int:
    return net.addressing.dpids[switch]


def test_switches_and_health(edge6g):
    status, switches = call(edge6g, "GET", "/stats/switches")
    assert status == 200 and sorted(switches) == sorted(edge6g.addressing.dpids.values())
    status, health = call(edge6g, "GET", "/aaas/v1/health")
    assert health["status"] == "ready" and health["switches_programmed"] == len(switches)
    status, topo = call(edge6g, "GET", "/aaas/v1/topology")
    assert topo["hosts"]["cam1"]["switch"] == "ru1"


def test_a_flow_posted_over_rest_takes_effect_in_the_data_plane(edge6g):
    cam1, cloud1, edge1 = (edge6g.ip(h) for h in ("cam1", "cloud1", "edge1"))
    drop = {"dpid": dpid(edge6g, "ru1"), "cookie": 0xA5 << 56 | 7, "priority": 1000,
            "match": {"eth_type": 2048, "ipv4_src": cam1, "ipv4_dst": cloud1}, "actions": []}
    assert call(edge6g, "POST", "/stats/flowentry/add", drop)[0] == 200
    try:
        pairs = [("cam1", "cloud1"), ("cam1", "edge1"), ("cloud1", "cam1"), ("cloud1", "veh1")]
        matrix = edge6g.reachability(pairs, attempts=3)
        # cloud1 -> cam1 fails too: its echo replies travel cam1 -> cloud1
        assert matrix.reachable == {("cam1", "cloud1"): False, ("cam1", "edge1"): True,
                                    ("cloud1", "cam1"): False, ("cloud1", "veh1"): True}
        status, flows = call(edge6g, "GET", f"/stats/flow/{drop['dpid']}")
        ours = [f for f in flows[str(drop["dpid"])] if f["cookie"] == drop["cookie"]]
        assert len(ours) == 1 and ours[0]["priority"] == 1000 and ours[0]["packet_count"] > 0
    finally:
        assert call(edge6g, "POST", "/stats/flowentry/delete",
                    {"dpid": drop["dpid"], "cookie": drop["cookie"], "cookie_mask": 2**64 - 1})[0] == 200
    assert edge6g.reachability([("cam1", "cloud1")]).reachable[("cam1", "cloud1")]


def test_a_meter_limits_measured_throughput(edge6g):
    ru2 = dpid(edge6g, "ru2")
    veh1, edge1 = edge6g.addressing.hosts["veh1"], edge6g.ip("edge1")
    meter = {"dpid": ru2, "meter_id": 9, "flags": ["KBPS", "BURST"],
             "bands": [{"type": "DROP", "rate": 20000, "burst_size": 2000}]}
    up_port = edge6g.addressing.ports[("ru2", "du1")]
    flow = {"dpid": ru2, "cookie": 0xA5 << 56 | 9, "priority": 500,
            "match": {"in_port": veh1.port, "eth_type": 2048, "ipv4_dst": edge1},
            "actions": [{"type": "METER", "meter_id": 9}, {"type": "OUTPUT", "port": up_port}]}
    assert call(edge6g, "POST", "/stats/meterentry/add", meter)[0] == 200
    assert call(edge6g, "POST", "/stats/flowentry/add", flow)[0] == 200
    try:
        result = edge6g.throughput("veh1", "edge1", seconds=2, udp_mbps=80)
        assert 16 <= result.mbps <= 22, result                    # 20 Mbit/s cap
        status, meters = call(edge6g, "GET", f"/stats/meter/{ru2}")
        assert status == 200 and meters[str(ru2)][0]["meter_id"] == 9
    finally:
        call(edge6g, "POST", "/stats/flowentry/delete_strict", flow)
        call(edge6g, "POST", "/stats/meterentry/delete", {"dpid": ru2, "meter_id": 9})
    free = edge6g.throughput("veh1", "edge1", seconds=2, udp_mbps=80)
    assert free.mbps > 1.5 * result.mbps, (free, result)       # the cap is gone with the meter


@pytest.mark.parametrize("method,path,body,status,needle", [
    ("POST", "/stats/flowentry/add", b"{not json", 400, "not valid JSON"),
    ("POST", "/stats/flowentry/add", b'{"dpid": 999, "match": {}}', 404, "no switch with dpid 999"),
    ("POST", "/stats/flowentry/add", b'{"dpid": 1, "bogus": 1}', 400, "unknown field"),
    ("POST", "/stats/flowentry/add", b'{"dpid": 1, "priority": "high"}', 400, "must be an integer"),
    ("POST", "/stats/flowentry/add", b'{"dpid": 1, "actions": [{"type": "OUTPUT", "port": 1, "x": 2}]}', 400,
     "unknown field"),
    ("POST", "/stats/flowentry/explode", b'{"dpid": 1}', 404, "unknown flow command"),
    ("GET", "/stats/flow/notanumber", None, 400, "dpid must be an integer"),
    ("GET", "/stats/nothing", None, 404, "no such endpoint"),
    ("DELETE", "/stats/switches", None, 405, "not allowed"),
    ("POST", "/stats/meterentry/add", b'{"dpid": 1, "meter_id": 0}', 400, "meter_id must be between"),
])
def test_malformed_requests_get_a_4xx_json_error(edge6g, method, path, body, status, needle):
    got, payload = call(edge6g, method, path, raw=body)
    assert got == status and needle in payload["error"], payload


def test_a_one_megabyte_body_is_refused_and_the_controller_lives_on(edge6g):
    got, payload = call(edge6g, "POST", "/stats/flowentry/add", raw=b"[" + b"1," * 512 * 1024 + b"1]")
    assert got == 413 and "limit" in payload["error"]
    assert call(edge6g, "GET", "/aaas/v1/health")[1]["status"] == "ready"


def test_a_switch_refusal_is_reported(edge6g):
    flow = {"dpid": dpid(edge6g, "ru3"), "priority": 10, "match": {},
            "actions": [{"type": "METER", "meter_id": 4242}]}        # no such meter on the switch
    got, payload = call(edge6g, "POST", "/stats/flowentry/add", flow)
    assert got == 400 and "switch refused" in payload["error"]


def test_state_is_reinstalled_when_a_switch_reconnects(edge6g):
    import subprocess
    bridge = edge6g.state.emulated_names["du1"]
    target = subprocess.run(["ovs-vsctl", "get-controller", bridge], capture_output=True, text=True).stdout.strip()
    subprocess.run(["ovs-ofctl", "-O", "OpenFlow13", "del-flows", bridge], check=True)
    assert not edge6g.reachability([("cam1", "edge1")], attempts=2).reachable[("cam1", "edge1")]
    subprocess.run(["ovs-vsctl", "del-controller", bridge], check=True)
    subprocess.run(["ovs-vsctl", "set-controller", bridge, target], check=True)
    import time
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if edge6g.reachability([("cam1", "edge1")], attempts=2).reachable[("cam1", "edge1")]:
            break
        time.sleep(0.2)
    assert edge6g.reachability([("cam1", "edge1"), ("veh1", "cloud1")]).unreachable() == []


def test_the_controller_repairs_around_a_failed_link_as_the_model_predicts(edge6g):
    from twin.analysis.whatif import link_down
    from twin.emu.failures import emulate_link_down

    rerouted = emulate_link_down(edge6g, "du2", "du3")            # cam2 <-> cam3 used this link
    assert rerouted.lost_pairs == ()
    cut = emulate_link_down(edge6g, "cu1", "du1")                 # du1's only way out
    predicted = {tuple(sorted((p.src, p.dst))) for p in link_down(edge6g.topology, "cu1", "du1").lost}
    assert {tuple(sorted(p)) for p in cut.lost_pairs} == predicted and ("cam1", "cloud1") in predicted
    assert edge6g.reachability().unreachable() == []             # restored and whole again

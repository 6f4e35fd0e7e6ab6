"""The ofctl_rest driver against an in-memory httpx transport playing a Ryu controller."""

import json

import httpx
import pytest

from netops_tools.drivers.http import OfctlRestDriver
from netops_tools.errors import ControllerRejected, ControllerUnreachable, DriverError
from twin.model.changeset import FlowRule, Meter


class RyuLike:
    def __init__(self):
        self.posted = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/stats/switches":
            return httpx.Response(200, json=[2, 1])
        if path == "/stats/flow/1":
            return httpx.Response(200, json={"1": [{"priority": 0, "cookie": 0xC0 << 56, "table_id": 0,
                                                    "match": {}, "actions": ["OUTPUT:CONTROLLER"]}]})
        if path == "/stats/port/1":
            return httpx.Response(200, json={"1": [{"port_no": "LOCAL", "tx_bytes": 1},
                                                   {"port_no": 1, "tx_bytes": 100, "rx_bytes": 5}]})
        if path == "/stats/meterconfig/1":
            return httpx.Response(404, text="Not Found")
        if path == "/stats/meter/1":
            meter = {"meter_id": 1, "flags": ["KBPS", "BURST"],
                     "bands": [{"type": "DROP", "rate": 800, "burst_size": 80}]}
            return httpx.Response(200, json={"1": [meter]})
        if path == "/stats/flow/9":
            return httpx.Response(404, text="")
        if path == "/stats/flow/7":
            return httpx.Response(200, text="<html>")
        if request.method == "POST":
            self.posted.append((path, json.loads(request.content)))
            return httpx.Response(200)
        return httpx.Response(404)


@pytest.fixture
def ryu():
    return RyuLike()


@pytest.fixture
def driver(ryu):
    return OfctlRestDriver("http://127.0.0.1:8080", transport=httpx.MockTransport(ryu))


def test_reads(driver):
    assert driver.switches() == [1, 2]
    [flow] = driver.flows(1)
    assert flow.cookie == 0xC0 << 56 and flow.rule.actions[0]["port"] == 0xFFFFFFFD
    ports = driver.ports(1)
    assert [p.port_no for p in ports] == [1, 0xFFFFFFFE] and ports[0].tx_bytes == 100
    assert driver.meters(1) == [Meter(1, 1, 800, 80)]      # fell back to /stats/meter


def test_writes_use_ofctl_bodies(driver, ryu):
    rule = FlowRule(1, 200, {"ipv4_dst": "10.0.0.2", "eth_type": 2048}, (), cookie=0xA5 << 56 | 9)
    driver.add_flow(rule)
    driver.modify_flow(rule)
    driver.delete_flow_strict(rule)
    driver.delete_flows_by_cookie(1, 0xA5 << 56 | 9)
    driver.add_meter(Meter(1, 2, 1000, 100))
    driver.delete_meter(1, 2)
    paths = [p for p, _ in ryu.posted]
    assert paths == ["/stats/flowentry/add", "/stats/flowentry/modify", "/stats/flowentry/delete_strict", "/stats/flowentry/delete",
                     "/stats/meterentry/add", "/stats/meterentry/delete"]
    assert ryu.posted[0][1]["cookie"] == 0xA5 << 56 | 9
    assert ryu.posted[2][1]["cookie_mask"] == (1 << 64) - 1
    assert ryu.posted[3][1]["table_id"] == 255
    assert ryu.posted[4][1]["flags"] == ["KBPS", "BURST"]


def test_http_errors_carry_url_and_status(driver):
    with pytest.raises(ControllerRejected) as caught:
        driver.flows(9)
    assert caught.value.status == 404 and "http://127.0.0.1:8080/stats/flow/9" in str(caught.value)
    assert "HTTP 404" in str(caught.value)
    with pytest.raises(DriverError, match="not JSON"):
        driver.flows(7)


def test_connection_errors_and_timeouts_become_unreachable():
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    def slow(request):
        raise httpx.ReadTimeout("read timed out", request=request)

    with pytest.raises(ControllerUnreachable, match="http://127.0.0.1:1/stats/switches"):
        OfctlRestDriver("http://127.0.0.1:1", transport=httpx.MockTransport(refuse)).switches()
    with pytest.raises(ControllerUnreachable, match="timed out"):
        OfctlRestDriver("http://127.0.0.1:1", transport=httpx.MockTransport(slow)).health()


def test_real_socket_refusal_is_translated():
    # nothing listens on port 9 of loopback here; a real httpx connection error
    with pytest.raises(ControllerUnreachable, match="127.0.0.1:9"):
        OfctlRestDriver("http://127.0.0.1:9", timeout_s=2).switches()

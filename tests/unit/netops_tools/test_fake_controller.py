import pytest

from netops_tools.drivers import ControllerDriver
from netops_tools.drivers.fake import FakeController
from netops_tools.errors import ControllerRejected
from twin.model.changeset import FlowRule, Meter


def rule(priority=100, dst="10.0.0.2", cookie=1, port=2):
    return FlowRule(1, priority, {"eth_type": 2048, "ipv4_dst": dst}, ({"type": "OUTPUT", "port": port},),
                    cookie=cookie)


def test_is_a_controller_driver():
    assert isinstance(FakeController(), ControllerDriver)


def test_add_replaces_same_priority_and_match():
    fake = FakeController()
    fake.add_flow(rule(port=2))
    fake.add_flow(rule(port=3, cookie=7))
    [flow] = fake.flows(1)
    assert flow.rule.actions[0]["port"] == 3 and flow.cookie == 7


def test_delete_strict_respects_cookie_and_delete_by_cookie_mask():
    fake = FakeController()
    fake.add_flow(rule(dst="10.0.0.2", cookie=0xA5 << 56 | 1))
    fake.add_flow(rule(dst="10.0.0.3", cookie=0xA5 << 56 | 2))
    fake.add_flow(rule(dst="10.0.0.4", cookie=0xC0 << 56))
    fake.delete_flow_strict(rule(dst="10.0.0.2", cookie=99))
    assert len(fake.flows(1)) == 3
    fake.delete_flows_by_cookie(1, 0xA5 << 56, 0xFF << 56)
    assert [f.cookie for f in fake.flows(1)] == [0xC0 << 56]


def test_meters_exist_once_and_flows_need_them():
    fake = FakeController()
    with pytest.raises(ControllerRejected, match="meter 4 does not exist"):
        fake.add_flow(FlowRule(1, 5, {}, (), meter_id=4, cookie=1))
    fake.add_meter(Meter(1, 4, 1000, 100))
    with pytest.raises(ControllerRejected, match="exists"):
        fake.add_meter(Meter(1, 4, 1000, 100))
    fake.add_flow(FlowRule(1, 5, {}, (), meter_id=4, cookie=1))
    fake.delete_meter(1, 4)
    assert fake.flows(1) == [] and fake.meters(1) == []


def test_disconnect_and_reconnect():
    fake = FakeController(dpids=(1, 2))
    fake.add_flow(rule())
    fake.disconnect_after(0, 1)
    with pytest.raises(ControllerRejected, match="404"):
        fake.add_flow(rule(dst="10.0.0.9"))
    assert fake.switches() == [2]
    fake.reconnect(1)
    assert len(fake.flows(1)) == 1

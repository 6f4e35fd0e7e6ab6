"""A linear4 network on the fake controller, with controller-style routing flows."""

from __future__ import annotations

import pytest

from netops_tools.audit import AuditLog
from netops_tools.context import ToolContext
from netops_tools.drivers.fake import FakeController
from netops_tools.registry import Actor
from netops_tools.tools import build_registry
from netops_tools.tools.paths import planned_path
from twin.model import Addressing, load_topology
from twin.model.changeset import CONTROLLER_COOKIE_BYTE, COOKIE_SHIFT, FlowRule

CONTROLLER_COOKIE = CONTROLLER_COOKIE_BYTE << COOKIE_SHIFT


def routed_fake(topo) -> FakeController:
    """Install what a proactive controller would: per switch, per host a route by ipv4_dst
    (priority 10) and a table-miss to the controller (priority 0), all with cookie 0xC0..."""
    addressing = Addressing.of(topo)
    ports = {dpid: sorted(p for (sw, _), p in addressing.ports.items() if sw == name)
             for name, dpid in addressing.dpids.items()}
    fake = FakeController(dpids=addressing.dpids.values(), ports=ports)
    for switch, dpid in addressing.dpids.items():
        fake.add_flow(FlowRule(dpid, 0, {}, ({"type": "OUTPUT", "port": 0xFFFFFFFD},),
                               cookie=CONTROLLER_COOKIE))
        for host, address in addressing.hosts.items():
            path = planned_path(topo, switch, host)
            port = addressing.ports[(switch, path[1])]
            fake.add_flow(FlowRule(dpid, 10, {"eth_type": 2048, "ipv4_dst": address.ip},
                                   ({"type": "OUTPUT", "port": port},), cookie=CONTROLLER_COOKIE | 1))
    fake.writes.clear()
    return fake


@pytest.fixture
def linear4():
    return load_topology("linear4")


@pytest.fixture
def fake(linear4):
    return routed_fake(linear4)


@pytest.fixture
def context(linear4, fake):
    return ToolContext(target="twin", topology=linear4, driver=fake, sleep=lambda s: None)


@pytest.fixture
def audit(tmp_path):
    return AuditLog(tmp_path / "audit.sqlite")


@pytest.fixture
def registry(audit, context):
    return build_registry(audit, lambda target: context)


@pytest.fixture
def operator():
    return Actor("operator", "control")


@pytest.fixture
def dp_agent():
    return Actor("lpr-agent", "data")

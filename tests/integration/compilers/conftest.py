"""One edge6g twin per module, with its access links scaled down (see twin.emu.qos): on this
shared, loaded 2-core machine the userspace datapath moves only a few Mbit/s in all, so the
shaped access link (not the CPU) must be the bottleneck for queues and caps to be measured."""

from __future__ import annotations

import os

import pytest

from netops_tools.compilers import InstalledState
from netops_tools.compilers.verify import IntentProber
from netops_tools.drivers.http import OfctlRestDriver
from netops_tools.push import Target
from netops_tools.state import NetworkState
from twin.emu import NetworkNotFound, down, up
from twin.emu.qos import TwinQueues, with_access_scaled
from twin.model import load_topology

ACCESS_SCALE = 0.03          # cam 3 Mbit/s, veh 6 Mbit/s access links


class Twin:
    def __init__(self, network) -> None:
        self.network = network
        self.driver = OfctlRestDriver(network.controller_url, timeout_s=20)
        self.target = Target(network.name, self.driver, network.topology, queues=TwinQueues(network))
        self.prober = IntentProber(network, self.driver)

    def state(self, changesets=()) -> InstalledState:
        read = NetworkState.read(self.driver)
        return InstalledState(self.network.topology, read.flows, read.meters, tuple(changesets))

    def changeset_flows(self) -> int:
        read = NetworkState.read(self.driver)
        return sum(1 for rules in read.flows.values() for r in rules if (r.cookie or 0) >> 56 == 0xA5)


def bring_up(topology, stem: str):
    name = f"c{os.getpid() % 10000}{stem}"
    network = up(topology, name, die_with_parent=True, timeout=240)
    return name, Twin(network)


@pytest.fixture(scope="module")
def twin(emulation_environment):
    name, handle = bring_up(with_access_scaled(load_topology("edge6g"), ACCESS_SCALE), "x")
    try:
        yield handle
    finally:
        handle.driver.close()
        take_down(name)


def take_down(name: str) -> None:
    try:
        down(name)
    except NetworkNotFound:
        pass                    # its keeper already removed it

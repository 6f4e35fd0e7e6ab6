"""edge6g (with its compute hosts, as the twin runs it) on the fake controller with
controller-style routing, and helpers to apply a ChangeSet and trace packets through it."""

from __future__ import annotations

import pytest

from netops_tools.compilers import InstalledState
from netops_tools.state import NetworkState
from netops_tools.trace import trace
from tests.unit.netops_tools.conftest import routed_fake
from twin.model import Addressing, load_topology
from twin.model.changeset import ChangeSet


@pytest.fixture(scope="module")
def edge6g():
    return load_topology("edge6g").with_compute_hosts()


@pytest.fixture
def fake(edge6g):
    return routed_fake(edge6g)


def state_of(fake, topology, changesets=()) -> InstalledState:
    read = NetworkState.read(fake)
    return InstalledState(topology, read.flows, read.meters, tuple(changesets))


def apply(fake, changeset: ChangeSet) -> None:
    for meter in changeset.meters_add:
        fake.add_meter(meter)
    for rule in changeset.installed_flows():
        fake.add_flow(rule)
    for rule in changeset.flows_remove:
        fake.delete_flow_strict(rule)


def traced(fake, topology, src, dst, proto=None, port=None):
    tables = {d: [f.rule for f in fake.flows(d)] for d in fake.switches()}
    return trace(tables, Addressing.of(topology), src, dst, proto, port)

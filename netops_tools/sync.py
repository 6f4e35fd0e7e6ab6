"""Rebuild the twin from prod: the topology and the installed flows and meters, read back
over the driver.

The twin's controller computes its own routing flows from the same topology, so only what
is not the controller's (cookie top byte other than 0xC0: ChangeSets and hand-made rules)
and the meters are copied. Afterwards the twin's non-controller tables equal prod's.
"""

from __future__ import annotations

from dataclasses import dataclass

from netops_tools.drivers.base import ControllerDriver
from netops_tools.errors import DriverError
from netops_tools.transaction import put_meters
from twin.model import Topology, TopologyError, topology_from_document
from twin.model.changeset import FlowRule, role_of_cookie


@dataclass(frozen=True)
class SyncReport:
    flows_added: int
    flows_removed: int
    meters_added: int
    meters_removed: int


def prod_topology(driver: ControllerDriver) -> Topology:
    """The topology prod's controller runs, from GET /aaas/v1/topology."""
    doc = driver.topology().get("topology")
    try:
        return topology_from_document(doc, f"{driver.url}/aaas/v1/topology")
    except TopologyError as exc:
        raise DriverError(f"GET {driver.url}/aaas/v1/topology: not a topology: {exc}",
                          f"{driver.url}/aaas/v1/topology", 200) from exc


def _copyable(driver: ControllerDriver, dpid: int) -> dict[tuple, FlowRule]:
    return {f.rule.identity(): f.rule for f in driver.flows(dpid) if role_of_cookie(f.cookie) != "controller"}


def sync_flows(prod: ControllerDriver, twin: ControllerDriver) -> SyncReport:
    counts = {"flows_added": 0, "flows_removed": 0, "meters_added": 0, "meters_removed": 0}
    for dpid in prod.switches():
        want_meters = {m.meter_id: m for m in prod.meters(dpid)}
        have_meters = {m.meter_id for m in twin.meters(dpid)}
        counts["meters_added"] += put_meters(twin, dpid, want_meters.values())
        want, have = _copyable(prod, dpid), _copyable(twin, dpid)
        for identity, rule in have.items():
            if want.get(identity) != rule:
                twin.delete_flow_strict(rule)
                counts["flows_removed"] += 1
        for identity, rule in want.items():
            if have.get(identity) != rule:
                twin.add_flow(rule)
                counts["flows_added"] += 1
        for meter_id in have_meters - set(want_meters):
            twin.delete_meter(dpid, meter_id)
            counts["meters_removed"] += 1
    return SyncReport(**counts)

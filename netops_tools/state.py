"""NetworkState: one read of what a network holds (flows, meters, admitted slices).

Policy checks and push work on this snapshot rather than on the driver, so they stay pure
and a push can compare before and after.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from netops_tools.drivers.base import ControllerDriver, flow_table_digest
from twin.model import Addressing, Topology
from twin.model.changeset import FlowRule, Meter, SliceReservation


@dataclass(frozen=True)
class NetworkState:
    flows: dict[int, list[FlowRule]]                  # dpid -> installed flows (cookies set)
    meters: dict[int, list[Meter]]
    topology: Topology | None = None
    addressing: Addressing | None = None
    slices: tuple[SliceReservation, ...] = field(default=())

    @classmethod
    def read(cls, driver: ControllerDriver, dpids: Iterable[int] | None = None,
             topology: Topology | None = None, slices: Iterable[SliceReservation] = ()) -> NetworkState:
        chosen = sorted(set(dpids)) if dpids is not None else driver.switches()
        flows = {d: [f.rule for f in driver.flows(d)] for d in chosen}
        meters = {d: driver.meters(d) for d in chosen}
        addressing = Addressing.of(topology) if topology is not None else None
        return cls(flows, meters, topology, addressing, tuple(slices))

    def digest(self) -> dict[int, list[str]]:
        return {d: flow_table_digest(rules) for d, rules in sorted(self.flows.items())}

    def meter_digest(self) -> dict[int, list[dict]]:
        return {d: sorted((m.to_dict() for m in ms), key=lambda m: m["meter_id"])
                for d, ms in sorted(self.meters.items())}

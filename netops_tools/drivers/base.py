"""The controller driver seam: what the toolbox needs from an SDN controller.

One Protocol, one real implementation (ofctl_rest over HTTP) and one behavioural fake.
Flows come back normalised to FlowRule (with their installed cookie and the meter
instruction folded into meter_id), so that policy, push and comparison never see the wire
format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from twin.model.changeset import FlowRule, Meter

ALL_COOKIE_BITS = (1 << 64) - 1


@dataclass(frozen=True)
class InstalledFlow:
    rule: FlowRule                 # cookie always set
    packet_count: int = 0
    byte_count: int = 0
    duration_sec: int = 0

    @property
    def cookie(self) -> int:
        return self.rule.cookie or 0


@dataclass(frozen=True)
class PortCounters:
    dpid: int
    port_no: int
    rx_packets: int = 0
    tx_packets: int = 0
    rx_bytes: int = 0
    tx_bytes: int = 0
    rx_dropped: int = 0
    tx_dropped: int = 0
    duration_sec: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@runtime_checkable
class ControllerDriver(Protocol):
    url: str

    def health(self) -> dict[str, Any]: ...
    def topology(self) -> dict[str, Any]: ...
    def switches(self) -> list[int]: ...
    def flows(self, dpid: int) -> list[InstalledFlow]: ...
    def ports(self, dpid: int) -> list[PortCounters]: ...
    def meters(self, dpid: int) -> list[Meter]: ...
    def add_flow(self, rule: FlowRule) -> None: ...
    def delete_flow_strict(self, rule: FlowRule) -> None: ...
    def delete_flows_by_cookie(self, dpid: int, cookie: int, cookie_mask: int = ALL_COOKIE_BITS) -> None: ...
    def add_meter(self, meter: Meter) -> None: ...
    def delete_meter(self, dpid: int, meter_id: int) -> None: ...


def flow_signature(rule: FlowRule) -> str:
    """Everything that makes a flow what it is, counters excluded: for comparing dumps."""
    return json.dumps(rule.to_dict(), sort_keys=True, default=str)


def flow_table_digest(flows: Iterable[InstalledFlow | FlowRule]) -> list[str]:
    """A sorted list of flow signatures: two tables are identical iff their digests are equal."""
    rules = [f.rule if isinstance(f, InstalledFlow) else f for f in flows]
    return sorted(flow_signature(r) for r in rules)

"""An in-memory controller with OpenFlow 1.3 flow-table semantics, for unit tests.

Add replaces an entry with the same table, priority and match (as OpenFlow does); strict
delete removes that entry if its cookie matches; delete by cookie removes every entry whose
cookie agrees under the mask; adding an existing meter is refused (OFPMMFC_METER_EXISTS).
Failures are injected with `refuse_flow_when` (the controller answers 400) and
`disconnect_after` (a switch disappears after N more writes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from netops_tools.drivers.base import ALL_COOKIE_BITS, InstalledFlow, PortCounters
from netops_tools.errors import ControllerRejected
from twin.model.changeset import FlowRule, Meter


class FakeController:
    def __init__(self, dpids: Iterable[int] = (1,), ports: dict[int, list[int]] | None = None,
                 url: str = "fake://controller") -> None:
        self.url = url
        self._flows: dict[int, dict[tuple, FlowRule]] = {d: {} for d in dpids}
        self._meters: dict[int, dict[int, Meter]] = {d: {} for d in dpids}
        self._ports = ports or {d: [1, 2] for d in dpids}
        self.port_bytes: dict[tuple[int, int], int] = {}
        self.packet_counts: dict[tuple, int] = {}          # (dpid, flow identity) -> packets
        self.refuse_flow_when: Callable[[FlowRule], bool] | None = None
        self._writes_left: int | None = None
        self._disconnect_dpid: int | None = None
        self.writes: list[tuple[str, Any]] = []
        self._hidden: dict[int, tuple[dict, dict]] = {}

    # -- failure injection ------------------------------------------------------------
    def disconnect_after(self, writes: int, dpid: int) -> None:
        self._writes_left, self._disconnect_dpid = writes, dpid

    def reconnect(self, dpid: int) -> None:
        """The switch comes back with the table it had when it disappeared."""
        if dpid in self._hidden:
            self._flows[dpid], self._meters[dpid] = self._hidden.pop(dpid)
        self._writes_left = None

    def _switch(self, dpid: int, path: str) -> dict[tuple, FlowRule]:
        if dpid not in self._flows:
            raise ControllerRejected(f"{path} {self.url}: HTTP 404: no switch with dpid {dpid}",
                                     self.url, 404)
        return self._flows[dpid]

    def _count_write(self, what: str, item: Any) -> None:
        self.writes.append((what, item))
        if self._writes_left is None:
            return
        if self._writes_left <= 0 and self._disconnect_dpid in self._flows:
            # a disconnected switch keeps its table; the controller simply cannot reach it
            dpid = self._disconnect_dpid
            self._hidden[dpid] = (self._flows.pop(dpid), self._meters.pop(dpid))
        self._writes_left -= 1

    # -- reads ------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return {"status": "ok", "switches": sorted(self._flows)}

    def topology(self) -> dict[str, Any]:
        return {"switches": sorted(self._flows)}

    def switches(self) -> list[int]:
        return sorted(self._flows)

    def flows(self, dpid: int) -> list[InstalledFlow]:
        table = self._switch(dpid, "GET /stats/flow")
        return [InstalledFlow(rule, packet_count=self.packet_counts.get((dpid, rule.identity()), 0))
                for rule in sorted(table.values(), key=lambda r: r.identity())]

    def ports(self, dpid: int) -> list[PortCounters]:
        self._switch(dpid, "GET /stats/port")
        return [PortCounters(dpid, p, tx_bytes=self.port_bytes.get((dpid, p), 0))
                for p in self._ports.get(dpid, [])]

    def meters(self, dpid: int) -> list[Meter]:
        self._switch(dpid, "GET /stats/meterconfig")
        return sorted(self._meters[dpid].values(), key=lambda m: m.meter_id)

    # -- writes -----------------------------------------------------------------------
    def add_flow(self, rule: FlowRule) -> None:
        self._count_write("add_flow", rule)
        table = self._switch(rule.dpid, "POST /stats/flowentry/add")
        if self.refuse_flow_when is not None and self.refuse_flow_when(rule):
            raise ControllerRejected(f"POST {self.url}/stats/flowentry/add: HTTP 400: refused",
                                     self.url, 400)
        if rule.meter_id is not None and rule.meter_id not in self._meters[rule.dpid]:
            raise ControllerRejected(f"POST {self.url}/stats/flowentry/add: HTTP 400: meter "
                                     f"{rule.meter_id} does not exist", self.url, 400)
        table[rule.identity()] = FlowRule.from_dict({**rule.to_dict(), "cookie": rule.cookie or 0})

    def delete_flow_strict(self, rule: FlowRule) -> None:
        self._count_write("delete_flow_strict", rule)
        table = self._switch(rule.dpid, "POST /stats/flowentry/delete_strict")
        present = table.get(rule.identity())
        if present is not None and (present.cookie or 0) == (rule.cookie or 0):
            del table[rule.identity()]

    def delete_flows_by_cookie(self, dpid: int, cookie: int, cookie_mask: int = ALL_COOKIE_BITS) -> None:
        self._count_write("delete_flows_by_cookie", (dpid, cookie))
        table = self._switch(dpid, "POST /stats/flowentry/delete")
        for key in [k for k, r in table.items() if ((r.cookie or 0) & cookie_mask) == (cookie & cookie_mask)]:
            del table[key]

    def add_meter(self, meter: Meter) -> None:
        self._count_write("add_meter", meter)
        self._switch(meter.dpid, "POST /stats/meterentry/add")
        if meter.meter_id in self._meters[meter.dpid]:
            raise ControllerRejected(f"POST {self.url}/stats/meterentry/add: HTTP 400: meter "
                                     f"{meter.meter_id} exists", self.url, 400)
        self._meters[meter.dpid][meter.meter_id] = meter

    def delete_meter(self, dpid: int, meter_id: int) -> None:
        self._count_write("delete_meter", (dpid, meter_id))
        self._switch(dpid, "POST /stats/meterentry/delete")
        self._meters[dpid].pop(meter_id, None)
        for key in [k for k, r in self._flows[dpid].items() if r.meter_id == meter_id]:
            del self._flows[dpid][key]   # OpenFlow deletes flows that use a deleted meter

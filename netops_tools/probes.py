"""A Prober that answers from the flow tables themselves (no packets sent).

It traces packets through what the controller reports as installed: reachability needs both
directions delivered, the path is the traced one, and throughput is the smallest of the
link bandwidths and the meter rates on the way. Useful for fast validation of what the
tables *say*; the emulation prober (twin.emu) measures what the data plane *does*.
"""

from __future__ import annotations

from netops_tools.drivers.base import ControllerDriver
from netops_tools.errors import NetopsError
from netops_tools.trace import trace
from twin.model import Addressing, Topology


class FlowTableProber:
    def __init__(self, driver: ControllerDriver, topology: Topology) -> None:
        self.driver = driver
        self.topology = topology
        self.addressing = Addressing.of(topology)

    def _tables(self) -> dict[int, list]:
        return {d: [f.rule for f in self.driver.flows(d)] for d in self.driver.switches()}

    def _host(self, name: str) -> None:
        if name not in self.addressing.hosts:
            raise NetopsError(f"{name!r} is not a host of {self.topology.name}")

    def reachable(self, src: str, dst: str, proto: str | None = None, port: int | None = None) -> bool:
        self._host(src)
        self._host(dst)
        tables = self._tables()
        return (trace(tables, self.addressing, src, dst, proto, port).delivered
                and trace(tables, self.addressing, dst, src, proto).delivered)

    def path(self, src: str, dst: str) -> list[str]:
        self._host(src)
        self._host(dst)
        return list(trace(self._tables(), self.addressing, src, dst).path)

    def throughput_mbps(self, src: str, dst: str, proto: str = "tcp", seconds: float = 3.0,
                        offered_mbps: float | None = None) -> float:
        tables = self._tables()
        result = trace(tables, self.addressing, src, dst, proto)
        if not result.delivered:
            return 0.0
        rates = [offered_mbps or float("inf")]
        rates += [self.topology.link(a, b).bandwidth_mbps for a, b in zip(result.path, result.path[1:],
                                                                             strict=False)]
        meters = {(m.dpid, m.meter_id): m.rate_kbps / 1000.0 for d in tables for m in self.driver.meters(d)}
        for decision in result.decisions:
            if decision["meter_id"] is not None:
                dpid = self.addressing.dpids[decision["switch"]]
                rates.append(meters.get((dpid, decision["meter_id"]), float("inf")))
        return min(rates)

"""A Prober over a running emulated network (twin.emu): real packets in host namespaces.

Reachability is an ICMP echo from inside the source's namespace, or for tcp a 1-second
iperf3 to the given port (a refused or filtered connection is "unreachable"); udp
reachability is not probed here and fails the check with that reason. Throughput is iperf3;
the path is measured from flow counters while a train of pings crosses the network.
"""

from __future__ import annotations

from typing import Any

from netops_tools.counter_path import counted_path
from netops_tools.drivers.base import ControllerDriver
from netops_tools.errors import NetopsError


class EmuProber:
    def __init__(self, network: Any, driver: ControllerDriver) -> None:
        self.network = network           # a twin.emu.Network
        self.driver = driver

    def reachable(self, src: str, dst: str, proto: str | None = None, port: int | None = None) -> bool:
        if proto == "udp":
            raise NetopsError("udp reachability is not probed by EmuProber")
        if proto == "tcp":
            return self._tcp_reachable(src, dst, port or 5201)
        try:
            matrix = self.network.reachability([(src, dst)], attempts=4)
        except Exception as exc:  # twin.emu errors and OS errors alike become ours, named
            raise NetopsError(f"ping {src}->{dst} on {self.network.name} failed: {exc}") from exc
        return bool(matrix.reachable.get((src, dst)))

    def _tcp_reachable(self, src: str, dst: str, port: int) -> bool:
        try:
            return self.network.throughput(src, dst, seconds=1.0, port=port).mbps > 0
        except Exception:       # iperf3 could not connect or moved nothing: not reachable
            return False

    def throughput_mbps(self, src: str, dst: str, proto: str = "tcp", seconds: float = 3.0,
                        offered_mbps: float | None = None) -> float:
        udp_mbps = (offered_mbps or 1000.0) if proto == "udp" else None
        try:
            result = self.network.throughput(src, dst, seconds=seconds, udp_mbps=udp_mbps)
        except Exception as exc:
            raise NetopsError(f"iperf3 {src}->{dst} on {self.network.name} failed: {exc}") from exc
        return float(result.mbps)

    def path(self, src: str, dst: str) -> list[str]:
        return counted_path(self.driver, self.network.topology, src, dst, self._ping_train)

    def _ping_train(self, src: str, dst: str, count: int) -> None:
        argv = ["ping", "-n", "-q", "-c", str(count), "-i", "0.05", "-W", "1", self.network.ip(dst)]
        try:
            self.network.run_in(src, argv, timeout=count * 0.05 + 10)
        except Exception as exc:
            raise NetopsError(f"ping train {src}->{dst} on {self.network.name} failed: {exc}") from exc

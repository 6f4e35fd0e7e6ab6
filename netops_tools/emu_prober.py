"""A Prober over a running emulated network (twin.emu): real packets in host namespaces.

Reachability is an ICMP echo from inside the source's namespace, or for tcp a 1-second
iperf3 to the given port (a refused or filtered connection is "unreachable"); udp
reachability is not probed here and fails the check with that reason. Throughput is iperf3;
the path is measured from flow counters while a train of pings crosses the network.
"""

from __future__ import annotations

import subprocess
from typing import Any

from netops_tools.counter_path import counted_paths
from netops_tools.drivers.base import ControllerDriver
from netops_tools.errors import NetopsError

TRAIN_INTERVAL_S = 0.02      # root may send faster than every 0.2 s; slower only adds to every path probe


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
        return self.paths([(src, dst)])[(src, dst)]

    def paths(self, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], list[str]]:
        """Every pair's path from one set of counter reads, the trains sent at the same time."""
        return counted_paths(self.driver, self.network.topology, pairs, self._ping_trains)

    def _ping_trains(self, pairs: list[tuple[str, str]], count: int) -> None:
        timeout = count * TRAIN_INTERVAL_S + 10
        try:
            trains = [self.network.popen_in(src, ["ping", "-n", "-q", "-c", str(count), "-i", str(TRAIN_INTERVAL_S),
                                                  "-W", "1", self.network.ip(dst)],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                      for src, dst in pairs]
        except Exception as exc:
            raise NetopsError(f"ping trains {pairs} on {self.network.name} failed: {exc}") from exc
        try:
            for train in trains:
                train.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise NetopsError(f"a ping train of {pairs} on {self.network.name} did not finish") from exc
        finally:
            for train in trains:
                if train.poll() is None:
                    train.kill()
                    train.wait(timeout=5)

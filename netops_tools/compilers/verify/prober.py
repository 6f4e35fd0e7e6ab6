"""Measuring an intent's checks on a running twin (a twin.emu Network plus its controller).

- reachability: ICMP echoes from inside the source's namespace, many pairs at once;
  tcp: an iperf3 connection to the port (refused or filtered: unreachable); udp: 1 s of
  iperf3 UDP at a low rate, reachable when any byte arrives (the control connection is TCP,
  so a UDP block leaves it up and only the data stops);
- throughput: iperf3 streams started together (the measured one and its competitors);
- path: from flow counters while a ping train crosses the network (counted.py), so it
  shows where packets went, not where the plan says they go.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from netops_tools.compilers.verify.iperf import Delivered, Stream, run_stream, run_together
from netops_tools.drivers.base import ControllerDriver
from netops_tools.emu_prober import EmuProber
from netops_tools.errors import NetopsError

PROBE_UDP_MBPS = 0.5
# tcp/udp reachability: a second of traffic; a blocked port costs the connect timeout
# (tcp: long enough for one SYN retransmission, 1 s) or the client's grace (udp: the data
# never arrives and the client waits for results); a reachable pair answers well within both
PROBE_S = 1.0           # iperf3 takes whole seconds
PROBE_CONNECT_MS = 1500
PROBE_GRACE_S = 3.0


class IntentProber(EmuProber):
    """The toolbox's prober plus what intent checks need: batched pair matrices, concurrent
    iperf3 streams with delivered rates, protocol-aware reachability."""

    def __init__(self, network: Any, driver: ControllerDriver, base_port: int = 5400) -> None:
        super().__init__(network, driver)
        self._port = base_port

    def next_port(self) -> int:
        self._port = 5400 + (self._port - 5400 + 1) % 500
        return self._port

    def matrix(self, pairs: Iterable[tuple[str, str]], attempts: int = 4) -> dict[tuple[str, str], bool]:
        """Reachability of many pairs from one probe; each silent pair is retried `attempts` times."""
        pairs = list(pairs)
        if not pairs:
            return {}
        try:
            result = self.network.reachability(pairs, attempts=attempts)
        except Exception as exc:        # twin.emu and OS errors alike become ours, named
            raise NetopsError(f"reachability probe on {self.network.name} failed: {exc}") from exc
        return {p: bool(result.reachable.get(p)) for p in pairs}

    def reachable(self, src: str, dst: str, proto: str | None = None, port: int | None = None) -> bool:
        if proto in (None, "icmp"):
            return self.matrix([(src, dst)])[(src, dst)]
        stream = Stream(src, dst, port or self.next_port(), PROBE_UDP_MBPS if proto == "udp" else None, PROBE_S,
                        PROBE_GRACE_S, PROBE_CONNECT_MS)
        try:
            return run_stream(self.network, stream).mbps > 0
        except NetopsError:
            return False            # no connection, or nothing moved: not reachable

    def streams(self, streams: list[Stream]) -> list[Delivered]:
        return run_together(self.network, streams)

    def has_netem(self, host: str) -> bool:
        """Whether the kernel can emulate delay (PLATFORM §3: this one cannot)."""
        add = self.network.run_in(host, ["tc", "qdisc", "add", "dev", "lo", "root", "netem", "delay", "1ms"])
        if add.returncode == 0:
            self.network.run_in(host, ["tc", "qdisc", "del", "dev", "lo", "root"])
            return True
        return False

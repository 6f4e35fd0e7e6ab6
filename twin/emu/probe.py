"""Probes that measure the emulated data plane from inside host namespaces.

Reachability sends ICMP echo from raw sockets opened in every source host's namespace, all
pairs at once with retries: a 197-host matrix takes seconds where Mininet's sequential
pingall would take hours.
"""

from __future__ import annotations

import collections
import json
import os
import select
import socket
import struct
import subprocess
import time
from dataclasses import dataclass, field

from twin.emu.errors import ProbeFailed
from twin.emu.netns import command_in, socket_in

ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY = 8, 0
SOL_RAW, ICMP_FILTER = 255, 1           # linux/icmp.h: a raw socket's per-type drop mask
PROBE_RCVBUF = 4 << 20


@dataclass
class ReachabilityMatrix:
    hosts: list[str]
    reachable: dict[tuple[str, str], bool] = field(default_factory=dict)
    rtt_ms: dict[tuple[str, str], float] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def pairs(self) -> int:
        return len(self.reachable)

    @property
    def reachable_pairs(self) -> int:
        return sum(self.reachable.values())

    def unreachable(self) -> list[tuple[str, str]]:
        return sorted(pair for pair, ok in self.reachable.items() if not ok)

    def to_json(self) -> dict:
        return {"hosts": self.hosts, "pairs": self.pairs, "reachable_pairs": self.reachable_pairs,
                "seconds": round(self.seconds, 3),
                "unreachable": [list(p) for p in self.unreachable()],
                "matrix": {src: {dst: self.reachable[(src, dst)] for dst in self.hosts if dst != src}
                           for src in self.hosts}}


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def _echo(ident: int, seq: int) -> bytes:
    payload = struct.pack("!d", time.monotonic())
    header = struct.pack("!BBHHH", ICMP_ECHO_REQUEST, 0, 0, ident, seq)
    return struct.pack("!BBHHH", ICMP_ECHO_REQUEST, 0, _checksum(header + payload), ident, seq) + payload


def reachability(pids: dict[str, int], ips: dict[str, str], pairs: list[tuple[str, str]] | None = None,
                 attempts: int = 4, window: int = 1024) -> ReachabilityMatrix:
    """Ping every (src, dst) pair (all ordered pairs by default) from inside src's namespace.

    Like TCP, at most `window` echoes are in flight: the userspace datapath forwards every
    packet in one thread and drops what overflows its sockets, so a flood measures the
    flood, not the network. A pair is retried with a growing timeout (0.3, 0.6, 1.2, 2 s)
    and declared unreachable after `attempts` silent tries.
    """
    hosts = sorted(pids)
    pairs = pairs if pairs is not None else [(s, d) for s in hosts for d in hosts if s != d]
    matrix = ReachabilityMatrix(hosts=hosts, reachable={p: False for p in pairs})
    started = time.monotonic()
    queue = collections.deque(pairs)
    tries = dict.fromkeys(pairs, 0)
    in_flight: dict[tuple[str, str], float] = {}
    with _EchoSockets(pids, sorted({s for s, _ in pairs}), hosts, ips) as echo:
        while queue or in_flight:
            while queue and len(in_flight) < window:
                pair = queue.popleft()
                if matrix.reachable[pair]:
                    continue
                echo.send(*pair)
                tries[pair] += 1
                in_flight[pair] = time.monotonic()
            echo.collect(matrix, 0.01)
            now = time.monotonic()
            for pair, sent in list(in_flight.items()):
                if matrix.reachable[pair]:
                    del in_flight[pair]
                elif now - sent > min(0.3 * 2 ** (tries[pair] - 1), 2.0):
                    del in_flight[pair]
                    if tries[pair] < attempts:
                        queue.append(pair)
    matrix.seconds = time.monotonic() - started
    return matrix


class _EchoSockets:
    """One raw ICMP socket per source, opened inside the source's namespace."""

    def __init__(self, pids: dict[str, int], sources: list[str], hosts: list[str], ips: dict[str, str]):
        self.pids, self.sources, self.hosts, self.ips = pids, sources, hosts, ips
        self.index = {h: i for i, h in enumerate(hosts)}
        self.ip_to_host = {ip: h for h, ip in ips.items()}
        self.tag = (os.getpid() & 0x3F) << 10    # replies meant for another prober are ignored
        self.sockets: dict[str, socket.socket] = {}

    def __enter__(self) -> _EchoSockets:
        try:
            for src in self.sources:
                sock = socket_in(self.pids[src], socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
                sock.setblocking(False)
                # a raw socket also gets every echo *request* sent to its host, and the replies
                # it waits for drown in them: keep echo replies only, with room for bursts
                sock.setsockopt(SOL_RAW, ICMP_FILTER, struct.pack("I", ~(1 << ICMP_ECHO_REPLY) & 0xFFFFFFFF))
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, PROBE_RCVBUF)
                self.sockets[src] = sock
        except BaseException:
            self.__exit__()
            raise
        self.by_fd = {sock.fileno(): src for src, sock in self.sockets.items()}
        return self

    def __exit__(self, *exc) -> None:
        for sock in self.sockets.values():
            sock.close()

    def send(self, src: str, dst: str) -> None:
        try:
            self.sockets[src].sendto(_echo(self.tag | self.index[src], self.index[dst]), (self.ips[dst], 0))
        except OSError:
            pass        # a full queue or unresolved neighbour: the next round retries

    def collect(self, matrix: ReachabilityMatrix, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not all(matrix.reachable.values()):
            wait = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select(list(self.sockets.values()), [], [], wait)
            for sock in ready:
                self._drain(sock, self.by_fd[sock.fileno()], matrix)

    def _drain(self, sock: socket.socket, src: str, matrix: ReachabilityMatrix) -> None:
        while True:
            try:
                packet, (addr, _) = sock.recvfrom(2048)
            except OSError:
                return
            ihl = (packet[0] & 0x0F) * 4
            if len(packet) < ihl + 16:
                continue
            kind, _, _, ident, seq = struct.unpack("!BBHHH", packet[ihl:ihl + 8])
            if kind != ICMP_ECHO_REPLY or ident != (self.tag | self.index[src]) or seq >= len(self.hosts):
                continue
            dst = self.hosts[seq]
            if self.ip_to_host.get(addr) != dst or matrix.reachable.get((src, dst)) is not False:
                continue
            sent = struct.unpack("!d", packet[ihl + 8:ihl + 16])[0]
            matrix.rtt_ms[(src, dst)] = (time.monotonic() - sent) * 1000
            matrix.reachable[(src, dst)] = True


@dataclass
class ThroughputResult:
    src: str
    dst: str
    protocol: str
    seconds: float
    mbps: float               # received at the server
    sender_mbps: float
    lost_percent: float | None = None

    def to_json(self) -> dict:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def throughput(src: str, src_pid: int, dst: str, dst_pid: int, dst_ip: str, seconds: float = 2.0,
               udp_mbps: float | None = None, port: int = 5201, dscp: int | None = None
               ) -> ThroughputResult:
    """iperf3 from src to dst. The server runs in the foreground (never -D: a daemonised server
    outlives the namespace) and is killed by pid."""
    server = subprocess.Popen(command_in(dst_pid, ["iperf3", "-s", "-1", "-p", str(port)]),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        argv = ["iperf3", "-c", dst_ip, "-p", str(port), "-t", str(seconds), "-J",
                "--connect-timeout", "3000"]
        if udp_mbps is not None:
            argv += ["-u", "-b", f"{udp_mbps}M"]
        if dscp is not None:
            argv += ["--tos", str(dscp << 2)]
        client = None
        for _ in range(20):                 # the server needs a moment to listen
            client = subprocess.run(command_in(src_pid, argv), capture_output=True, text=True,
                                    timeout=seconds + 20)
            if "unable to connect" not in client.stdout + client.stderr:
                break
            time.sleep(0.1)
        return _parse_iperf(src, dst, client.stdout, udp_mbps is not None, seconds)
    except subprocess.TimeoutExpired:
        raise ProbeFailed(f"iperf3 {src}->{dst} did not finish") from None
    finally:
        server.kill()
        server.wait(timeout=5)


def _parse_iperf(src: str, dst: str, output: str, udp: bool, seconds: float) -> ThroughputResult:
    try:
        report = json.loads(output)
    except json.JSONDecodeError:
        raise ProbeFailed(f"iperf3 {src}->{dst} printed no report: {output[:200]!r}") from None
    if "error" in report:
        raise ProbeFailed(f"iperf3 {src}->{dst}: {report['error']}")
    end = report["end"]
    if udp:
        summary = end["sum"]
        received = end.get("sum_received", summary)
        return ThroughputResult(src, dst, "udp", seconds, received["bits_per_second"] / 1e6,
                                summary["bits_per_second"] / 1e6, summary.get("lost_percent"))
    return ThroughputResult(src, dst, "tcp", seconds, end["sum_received"]["bits_per_second"] / 1e6,
                            end["sum_sent"]["bits_per_second"] / 1e6)

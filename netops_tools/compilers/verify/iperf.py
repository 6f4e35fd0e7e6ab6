"""iperf3 between emulated hosts, several at once, counting what was *delivered*.

The delivered rate is the bytes the server received divided by the time the client sent:
iperf3's own received rate divides by the server's window, which under load runs seconds
past the sender (queues drain late) and understates the rate, while sender rate times
(1 - loss) overstates it (packets lost after the last one received are never counted).
Servers run in the foreground (never -D) and are killed by pid.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from netops_tools.errors import NetopsError

CONNECT_ATTEMPTS = 20
GRACE_S = 8.0       # past the test: a UDP client whose data never arrives waits for results forever


@dataclass(frozen=True)
class Stream:
    src: str
    dst: str
    port: int
    udp_mbps: float | None = None        # None: TCP
    seconds: float = 2.0
    grace_s: float = GRACE_S             # how long past `seconds` the client may take
    connect_timeout_ms: int = 3000


@dataclass(frozen=True)
class Delivered:
    stream: Stream
    mbps: float
    sent_mbps: float

    def to_dict(self) -> dict[str, Any]:
        return {"src": self.stream.src, "dst": self.stream.dst, "delivered_mbps": round(self.mbps, 3),
                "sent_mbps": round(self.sent_mbps, 3)}


def run_stream(network: Any, stream: Stream) -> Delivered:
    server = network.popen_in(stream.dst, ["iperf3", "-s", "-1", "-p", str(stream.port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        argv = ["iperf3", "-c", network.ip(stream.dst), "-p", str(stream.port), "-t", f"{stream.seconds:g}",
                "-J", "--connect-timeout", str(stream.connect_timeout_ms)]
        if stream.udp_mbps is not None:
            argv += ["-u", "-b", f"{stream.udp_mbps:g}M"]
        for _ in range(CONNECT_ATTEMPTS):
            result = network.run_in(stream.src, argv, timeout=stream.seconds + stream.grace_s)
            if "refused" not in result.stdout + result.stderr:
                break
            time.sleep(0.1)                  # the server is not listening yet; a timeout is final
        return _delivered(stream, result.stdout)
    except NetopsError:
        raise
    except Exception as exc:        # twin.emu's errors (a probe that did not finish) and OS errors
        raise NetopsError(f"iperf3 {stream.src}->{stream.dst}: {exc}") from exc
    finally:
        server.kill()
        server.wait(timeout=5)


def _delivered(stream: Stream, output: str) -> Delivered:
    try:
        end = json.loads(output)["end"]
        sent = end["sum_sent"]
        received = end.get("sum_received", sent)
        seconds = float(sent["seconds"]) or stream.seconds
        return Delivered(stream, received["bytes"] * 8 / seconds / 1e6, sent["bytes"] * 8 / seconds / 1e6)
    except (ValueError, KeyError, TypeError):
        raise NetopsError(f"iperf3 {stream.src}->{stream.dst} gave no report: {output[:200]!r}") from None


def run_together(network: Any, streams: Sequence[Stream]) -> list[Delivered]:
    """Start every stream at once (one thread each); the first error is raised."""
    results: list[Delivered | None] = [None] * len(streams)
    errors: list[Exception] = []

    def one(index: int) -> None:
        try:
            results[index] = run_stream(network, streams[index])
        except Exception as exc:        # re-raised below, in the caller's thread
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(len(streams))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=streams[0].seconds + 60)
    if errors:
        raise NetopsError(str(errors[0])) from errors[0]
    if any(r is None for r in results):
        raise NetopsError("an iperf3 stream did not finish")
    return [r for r in results if r is not None]

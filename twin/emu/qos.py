"""HTB queues on switch ports of a running network, fed by DSCP (PLATFORM §4).

OVS's `set_queue` is ignored on the userspace datapath (it cannot set skb->priority), so a
slice's packets are marked with a DSCP value by its flows and a u32 filter on the egress
interface maps that DSCP to the queue's HTB class. Each interface holds one tree:

    root 1: htb default 1
    └── 1:fffe  rate = ceil = the link's bandwidth          (the port as a whole)
        ├── 1:1      best effort: rate = bandwidth - guarantees, ceil = bandwidth
        └── 1:<q+1>  queue q: rate = min_rate, ceil = max_rate; u32 "ip tos <dscp<<2>/0xfc", prio q+1

Best effort only gets what the guarantees leave while they use it, and borrows the rest
when they do not.

Every leaf queue drops from its *head* (pfifo_head_drop), never its tail: a tail drop makes
the enqueue fail, the AF_PACKET send of the userspace datapath gets ENOBUFS, and OVS's
netdev-linux then silently discards the rest of that transmit batch (no tx_dropped, no log),
guaranteed packets included. Measured on edge6g (veh1->cam2 slice of 1 Mbit/s, competitor
offering 3.75 into a 3 Mbit/s link): with tail-drop leaves the bottleneck's guaranteed class
saw 123-162 of the 188 packets the hop before it sent and the slice got 0.43-0.86 Mbit/s in
9 of 10 runs; with head-drop leaves 188 of 188 and 0.99-1.00 in 10 of 10. A head drop
returns NET_XMIT_CN, which the sender does not see as an error.

The same holds for Mininet's own link shaping (root 5:, class 5:1), whose class would get a
tail-drop pfifo by default: the build gives its switch-side class a head-drop leaf too
(`shaping_leaf`), so an overloaded shaped port drops only what it must.

The switch-side interfaces live in the root namespace. When the last queue goes, the
interface gets back what it had: Mininet's shaping with its head-drop leaf on a shaped link,
no qdisc on an unshaped one.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from twin.emu.errors import ProbeFailed
from twin.model import Topology
from twin.model.changeset import QueueSetting

PORT_CLASS = "1:fffe"
BEST_EFFORT = "1:1"
BEST_EFFORT_FLOOR_MBPS = 1.0
QUEUE_LEAF_S = 0.2          # a guaranteed class queues up to ~200 ms at its ceiling (bursty senders)
BEST_EFFORT_LEAF_S = 0.05   # best effort ~50 ms: overload is dropped now, not delivered late
SHAPED_LEAF_S = 0.1         # a plain shaped link buffers ~100 ms (Mininet's default, 1000 packets, is seconds)
LEAF_QDISC = "pfifo_head_drop"   # see the module docstring: a tail drop costs OVS its whole batch
FRAME_HEADROOM = 1.05       # HTB counts whole frames; a guarantee is goodput (UDP/IP/Ethernet headers)
_CLASS_LINE = re.compile(r"class htb 1:([0-9a-f]+) parent 1:fffe .*?rate (\d+(?:\.\d+)?)([KMG]?)bit")
_UNIT = {"": 1e-6, "K": 1e-3, "M": 1.0, "G": 1e3}


@dataclass(frozen=True)
class QueueClass:
    queue_id: int
    rate_mbps: float


class TwinQueues:
    """The QueueApplier (netops_tools.transaction) for a twin.emu Network."""

    def __init__(self, network: Any, timeout: float = 10.0) -> None:
        self.network = network
        self.timeout = timeout

    def interface(self, queue: QueueSetting) -> str:
        emulated = self.network.state.emulated_names.get(queue.switch)
        name = f"{emulated}-eth{queue.port}"
        known = {i for intfs in self.network.state.link_interfaces.values() for i in intfs}
        if emulated is None or name not in known:
            raise ProbeFailed(f"switch {queue.switch} has no port {queue.port} in network "
                              f"{self.network.name!r}")
        return name

    def link_mbps(self, queue: QueueSetting) -> float:
        neighbour = self.network.addressing.neighbour_on_port(queue.switch, queue.port)
        return self.network.topology.link(queue.switch, neighbour).bandwidth_mbps

    def apply_queue(self, queue: QueueSetting) -> None:
        intf, link = self.interface(queue), self.link_mbps(queue)
        if "htb 1: root" not in self._tc("qdisc", "show", "dev", intf):
            self._tc("qdisc", "del", "dev", intf, "root", check=False)
            self._tc("qdisc", "add", "dev", intf, "root", "handle", "1:", "htb", "default", "1")
            self._class(intf, "1:", PORT_CLASS, link, link)
        minor = f"{queue.queue_id + 1:x}"
        ceiling = min(queue.max_rate_mbps, link)
        rate = min(queue.min_rate_mbps * FRAME_HEADROOM, ceiling)
        self._class(intf, PORT_CLASS, f"1:{minor}", rate, ceiling)
        prio = str(queue.queue_id + 1)
        self._tc("filter", "del", "dev", intf, "parent", "1:", "protocol", "ip", "prio", prio, check=False)
        self._tc("filter", "add", "dev", intf, "parent", "1:", "protocol", "ip", "prio", prio, "u32",
                 "match", "ip", "tos", f"{queue.dscp << 2:#04x}", "0xfc", "flowid", f"1:{minor}")
        self._best_effort(intf, link)

    def remove_queue(self, queue: QueueSetting) -> None:
        intf, link = self.interface(queue), self.link_mbps(queue)
        if "htb 1: root" not in self._tc("qdisc", "show", "dev", intf):
            return                                  # never applied, or already gone
        prio = str(queue.queue_id + 1)
        self._tc("filter", "del", "dev", intf, "parent", "1:", "protocol", "ip", "prio", prio, check=False)
        self._tc("class", "del", "dev", intf, "classid", f"1:{queue.queue_id + 1:x}", check=False)
        if self.queues(intf):
            self._best_effort(intf, link)
            return
        self._tc("qdisc", "del", "dev", intf, "root", check=False)
        if link < _max_shaped_mbps():               # put back Mininet's TCLink shaping
            self._tc("qdisc", "add", "dev", intf, "root", "handle", "5:0", "htb", "default", "1")
            self._tc("class", "add", "dev", intf, "parent", "5:0", "classid", "5:1", "htb", "rate",
                     f"{link:g}Mbit", "burst", "15k")
            shaping_leaf(intf, link, self.timeout)

    def queues(self, intf: str) -> list[QueueClass]:
        """The queue classes on an interface (best effort excluded)."""
        out = []
        for line in self._tc("class", "show", "dev", intf).splitlines():
            found = _CLASS_LINE.search(line)
            if found and found.group(1) != "1":
                rate = float(found.group(2)) * _UNIT[found.group(3)]
                out.append(QueueClass(int(found.group(1), 16) - 1, rate))
        return out

    def _best_effort(self, intf: str, link: float) -> None:
        guaranteed = sum(q.rate_mbps for q in self.queues(intf))
        self._class(intf, PORT_CLASS, BEST_EFFORT, max(link - guaranteed, BEST_EFFORT_FLOOR_MBPS), link)

    def _class(self, intf: str, parent: str, classid: str, rate: float, ceil: float) -> None:
        self._tc("class", "replace", "dev", intf, "parent", parent, "classid", classid, "htb",
                 "rate", f"{rate:g}Mbit", "ceil", f"{ceil:g}Mbit", "burst", "15k", "cburst", "15k")
        if classid != PORT_CLASS:
            # a short leaf queue: the default (1000 packets, seconds at a few Mbit/s) would hide
            # overload as delay and keep delivering long after the senders stopped
            seconds = BEST_EFFORT_LEAF_S if classid == BEST_EFFORT else QUEUE_LEAF_S
            self._leaf(intf, classid, leaf_packets(ceil, seconds))

    def _leaf(self, intf: str, classid: str, packets: int) -> None:
        handle = f"{0x100 + int(classid.split(':')[1], 16):x}:"
        leaf = ("qdisc", "replace", "dev", intf, "parent", classid, "handle", handle, LEAF_QDISC,
                "limit", str(packets))
        if not tc_succeeds(leaf, self.timeout):
            # a leaf of another kind holds the handle (a tree an older version built): swap it
            self._tc("qdisc", "del", "dev", intf, "parent", classid, check=False)
            self._tc(*leaf)

    def _tc(self, *argv: str, check: bool = True) -> str:
        return run_tc(argv, self.timeout, check)


def leaf_packets(mbps: float, seconds: float) -> int:
    """Full-size frames that drain in `seconds` at `mbps` (8 to 1000)."""
    return min(1000, max(8, round(mbps * 1e6 * seconds / 8 / 1500)))


def shaping_leaf(intf: str, mbps: float, timeout: float = 10.0) -> None:
    """A head-drop leaf under Mininet's shaping class 5:1 of a switch-side interface."""
    run_tc(("qdisc", "replace", "dev", intf, "parent", "5:1", "handle", "6:", LEAF_QDISC,
            "limit", str(leaf_packets(mbps, SHAPED_LEAF_S))), timeout)


def run_tc(argv: Sequence[str], timeout: float, check: bool = True) -> str:
    result = _tc_result(argv, timeout)
    if check and result.returncode != 0:
        raise ProbeFailed(f"tc {' '.join(argv)}: {result.stderr.strip()}")
    return result.stdout


def tc_succeeds(argv: Sequence[str], timeout: float) -> bool:
    return _tc_result(argv, timeout).returncode == 0


def _tc_result(argv: Sequence[str], timeout: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["tc", *argv], capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProbeFailed(f"tc {' '.join(argv)}: {exc}") from None


def with_access_scaled(topology: Topology, factor: float) -> Topology:
    """A copy whose shaped host access links run at `factor` times their bandwidth.

    On a loaded machine the userspace datapath moves a few tens of Mbit/s in all, so a
    100 Mbit/s access link is never the bottleneck and no queue on it can be measured;
    scaled down, the shaped link is where packets wait again (tests and benchmarks say so)."""
    shaped = _max_shaped_mbps()
    links = [replace(link, bandwidth_mbps=link.bandwidth_mbps * factor)
             if link.bandwidth_mbps < shaped and any(topology.nodes[e].is_host for e in link.ends)
             else link for link in topology.links]
    return Topology.build(topology.name, topology.nodes.values(), links, topology.source)


def _max_shaped_mbps() -> float:
    from twin.emu.build import MAX_SHAPED_MBPS  # lazily: build imports Mininet
    return MAX_SHAPED_MBPS

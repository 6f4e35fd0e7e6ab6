"""The path traffic really takes, measured from flow counters (not from the plan).

Send a train of pings src->dst, read every switch's flow counters before and after, and keep
the switches where flows matching the ping (by header fields) counted at least the train
length. Their order is recovered by walking the topology from the source's switch through
those switches to the destination's.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from netops_tools.drivers.base import ControllerDriver
from netops_tools.matching import packet_matches
from netops_tools.trace import packet_between
from twin.model import Addressing, Topology

TRAIN = 10
STATS_SETTLE_S = 1.5     # OVS pushes datapath flow stats to OpenFlow counters about once a second


def _matching_counts(driver: ControllerDriver, packet: dict) -> dict[int, int]:
    counts = {}
    for dpid in driver.switches():
        counts[dpid] = sum(f.packet_count for f in driver.flows(dpid)
                           if f.rule.table_id == 0 and packet_matches(f.rule.match, packet))
    return counts


def _order(topology: Topology, start: str, end: str, on_path: set[str]) -> list[str]:
    """Walk from `start` through on-path switches to `end` (they form a path if routing is loop-free)."""
    path, seen = [start], {start}
    while path[-1] != end:
        nxt = [n for n in topology.neighbors(path[-1]) if n in on_path and n not in seen]
        if not nxt:
            break
        path.append(sorted(nxt)[0])
        seen.add(path[-1])
    return path


def measured_path(driver: ControllerDriver, topology: Topology, src: str, dst: str,
                  send_train: Callable[[str, str, int], None],
                  sleep: Callable[[float], None] = time.sleep) -> list[str]:
    """Counters are read after a settle delay on both sides of the train, so that stats of
    earlier traffic are not counted as the train's and the train's own have arrived."""
    addressing = Addressing.of(topology)
    packet = {**packet_between(addressing, src, dst), "icmpv4_type": 8}
    sleep(STATS_SETTLE_S)
    before = _matching_counts(driver, packet)
    send_train(src, dst, TRAIN)
    sleep(STATS_SETTLE_S)
    after = _matching_counts(driver, packet)
    names = {dpid: name for name, dpid in addressing.dpids.items()}
    on_path = {names[d] for d in after if after[d] - before.get(d, 0) >= TRAIN and d in names}
    start, end = addressing.hosts[src].switch, addressing.hosts[dst].switch
    if start not in on_path:
        return [src]
    switches = _order(topology, start, end, on_path)
    return [src, *switches, dst] if switches[-1] == end else [src, *switches]

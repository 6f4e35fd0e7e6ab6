"""The path a ping train really took, from flow counters and the counted flows' actions.

Read the packet counts of every flow that matches the train's packets, send the train, read
again (polling: OVS pushes datapath statistics to OpenFlow counters asynchronously). Then
walk from the source's switch: at each switch the highest-priority flow that counted the
whole train decided, and its OUTPUT port names the next node. Ordering by the counted
flows' own ports (not by adjacency among counted switches) keeps a path that passes a node
twice-adjacent (cu1 then du2 ... then cu2, next to cu1) in the order packets took.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from netops_tools.drivers.base import ControllerDriver, InstalledFlow
from netops_tools.matching import packet_matches
from netops_tools.trace import packet_between
from twin.model import Addressing, Topology

TRAIN = 10
POLLS = 6
POLL_S = 0.5
Counts = dict[int, dict[tuple, InstalledFlow]]


def _matching(driver: ControllerDriver, dpids: list[int], packet: dict) -> Counts:
    out: Counts = {}
    for dpid in dpids:
        out[dpid] = {f.rule.identity(): f for f in driver.flows(dpid)
                     if f.rule.table_id == 0 and packet_matches(f.rule.match, packet)}
    return out


def _walk(addressing: Addressing, src: str, dst: str, before: Counts, after: Counts) -> list[str]:
    path, switch = [src], addressing.hosts[src].switch
    for _ in range(len(addressing.dpids) + 1):
        path.append(switch)
        dpid = addressing.dpids[switch]
        counted = [f for key, f in after.get(dpid, {}).items()
                   if f.packet_count - (before[dpid][key].packet_count if key in before.get(dpid, {}) else 0)
                   >= TRAIN]
        if not counted:
            return path
        rule = max(counted, key=lambda f: f.rule.priority).rule
        ports = [int(a["port"]) for a in rule.actions if a["type"] == "OUTPUT" and str(a["port"]).isdigit()]
        if not ports:
            return path
        try:
            nxt = addressing.neighbour_on_port(switch, ports[0])
        except KeyError:
            return path
        if nxt in addressing.hosts:
            return path + [nxt]
        switch = nxt
    return path


def counted_path(driver: ControllerDriver, topology: Topology, src: str, dst: str,
                 send_train: Callable[[str, str, int], None], sleep: Callable[[float], None] = time.sleep
                 ) -> list[str]:
    addressing = Addressing.of(topology)
    packet = packet_between(addressing, src, dst)
    dpids = sorted(addressing.dpids.values())
    before = _matching(driver, dpids, packet)
    send_train(src, dst, TRAIN)
    path: list[str] = [src]
    for _ in range(POLLS):
        path = _walk(addressing, src, dst, before, _matching(driver, dpids, packet))
        if path[-1] == dst:
            break
        sleep(POLL_S)
    return path

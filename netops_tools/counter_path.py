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
POLLS = 12          # up to 3 s: OVS pushes datapath statistics to the OpenFlow counters every ~0.5 s
POLL_S = 0.25
Counts = dict[int, dict[tuple, InstalledFlow]]


def _read(driver: ControllerDriver, dpids: list[int]) -> dict[int, list[InstalledFlow]]:
    return {dpid: driver.flows(dpid) for dpid in dpids}


def _matching(tables: dict[int, list[InstalledFlow]], packet: dict) -> Counts:
    return {dpid: {f.rule.identity(): f for f in flows if f.rule.table_id == 0 and packet_matches(f.rule.match, packet)}
            for dpid, flows in tables.items()}


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
    return counted_paths(driver, topology, [(src, dst)], lambda pairs, count: send_train(src, dst, count),
                         sleep)[(src, dst)]


def counted_paths(driver: ControllerDriver, topology: Topology, pairs: list[tuple[str, str]],
                  send_trains: Callable[[list[tuple[str, str]], int], None],
                  sleep: Callable[[float], None] = time.sleep) -> dict[tuple[str, str], list[str]]:
    """Several paths from trains sent together: one read of the counters before and one per
    poll serve every pair. A train's echo replies cross its reverse direction, so a pair and
    its reverse only add to each other's counts (a flow needs at least a whole train)."""
    addressing = Addressing.of(topology)
    packets = {pair: packet_between(addressing, *pair) for pair in pairs}
    dpids = sorted(addressing.dpids.values())
    tables = _read(driver, dpids)
    before = {pair: _matching(tables, packets[pair]) for pair in pairs}
    send_trains(list(pairs), TRAIN)
    paths = {pair: [pair[0]] for pair in pairs}
    for _ in range(POLLS):
        tables = _read(driver, dpids)
        for pair in pairs:
            if paths[pair][-1] != pair[1]:
                paths[pair] = _walk(addressing, *pair, before[pair], _matching(tables, packets[pair]))
        if all(path[-1] == pair[1] for pair, path in paths.items()):
            break
        sleep(POLL_S)
    return paths

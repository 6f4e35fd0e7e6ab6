"""Follow a packet through installed flow tables across the topology (faucet-style).

At each switch the highest-priority matching entry of table 0 decides (GOTO_TABLE moves on);
OUTPUT to a port leads to the neighbour on that port. The trace ends delivered at a host,
dropped (no output), at the controller (table-miss / reactive), or looping. This answers
"which path does traffic take now" from the flow tables themselves, not from a plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from netops_tools.drivers.ofctl import RESERVED_PORTS
from netops_tools.matching import packet_matches
from twin.model import Addressing
from twin.model.changeset import FlowRule

Outcome = Literal["delivered", "dropped", "controller", "loop", "misdelivered", "no_switch"]
MAX_HOPS = 64
_PROTO = {"icmp": 1, "tcp": 6, "udp": 17}


@dataclass(frozen=True)
class Trace:
    outcome: Outcome
    path: tuple[str, ...]             # host, switches..., [host]
    decisions: tuple[dict[str, Any], ...] = field(default=())   # (switch, priority, cookie) per hop

    @property
    def delivered(self) -> bool:
        return self.outcome == "delivered"


def packet_between(addressing: Addressing, src: str, dst: str, proto: str | None = None,
                   port: int | None = None) -> dict[str, Any]:
    a, b = addressing.hosts[src], addressing.hosts[dst]
    packet: dict[str, Any] = {"eth_src": a.mac, "eth_dst": b.mac, "eth_type": 0x0800,
                              "ipv4_src": a.ip, "ipv4_dst": b.ip, "ip_proto": _PROTO.get(proto or "icmp", 1)}
    if (proto or "icmp") == "icmp":
        packet["icmpv4_type"] = 8
    elif port is not None:
        packet[f"{proto}_dst"] = port
    return packet


def _lookup(rules: list[FlowRule], table: int, packet: Mapping[str, Any]) -> FlowRule | None:
    best: FlowRule | None = None
    for rule in rules:
        if rule.table_id == table and packet_matches(rule.match, packet):
            if best is None or rule.priority > best.priority:
                best = rule
    return best


def _decide(rules: list[FlowRule], packet: dict[str, Any]) -> tuple[FlowRule | None, list[int]]:
    """Apply the pipeline at one switch: the rule that decided and the output ports."""
    table, rule, outputs = 0, None, []
    for _ in range(255):
        rule = _lookup(rules, table, packet)
        if rule is None:
            return None, []
        next_table = None
        for action in rule.actions:
            if action["type"] == "OUTPUT":
                outputs.append(int(action["port"]))
            elif action["type"] == "SET_FIELD":
                packet[action["field"]] = action["value"]
            elif action["type"] == "GOTO_TABLE":
                next_table = int(action["table_id"])
        if next_table is None or next_table <= table:
            return rule, outputs
        table = next_table
    return rule, outputs


def trace(flows: Mapping[int, list[FlowRule]], addressing: Addressing, src: str, dst: str,
          proto: str | None = None, port: int | None = None) -> Trace:
    packet = packet_between(addressing, src, dst, proto, port)
    start = addressing.hosts[src]
    switch, in_port = start.switch, start.port
    path, decisions, seen = [src], [], set()
    for _ in range(MAX_HOPS):
        path.append(switch)
        if (switch, in_port) in seen:
            return Trace("loop", tuple(path), tuple(decisions))
        seen.add((switch, in_port))
        dpid = addressing.dpids.get(switch)
        if dpid is None or dpid not in flows:
            return Trace("no_switch", tuple(path), tuple(decisions))
        rule, outputs = _decide(list(flows[dpid]), {**packet, "in_port": in_port})
        decisions.append({"switch": switch, "priority": rule.priority if rule else None,
                          "cookie": f"{rule.cookie or 0:#x}" if rule else None,
                          "meter_id": rule.meter_id if rule else None,
                          "match": dict(rule.match) if rule else None,
                          "table_id": rule.table_id if rule else None})
        if RESERVED_PORTS["CONTROLLER"] in outputs:
            return Trace("controller", tuple(path), tuple(decisions))
        ports = [p for p in outputs if p < RESERVED_PORTS["IN_PORT"]]
        if not ports:
            return Trace("dropped", tuple(path), tuple(decisions))
        try:
            neighbour = addressing.neighbour_on_port(switch, ports[0])
        except KeyError:
            return Trace("dropped", tuple(path), tuple(decisions))
        if neighbour in addressing.hosts:
            path.append(neighbour)
            return Trace("delivered" if neighbour == dst else "misdelivered", tuple(path), tuple(decisions))
        in_port = addressing.ports[(neighbour, switch)]
        switch = neighbour
    return Trace("loop", tuple(path), tuple(decisions))

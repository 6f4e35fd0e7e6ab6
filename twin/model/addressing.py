"""Deterministic addressing of a topology: dpids, port numbers, host IPs and MACs.

The emulator and the controller both derive these from the same Topology, so they agree
without exchanging anything but the topology itself.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from twin.model.topology import Topology

HOST_NETWORK = ipaddress.IPv4Network("10.0.0.0/8")


@dataclass(frozen=True)
class HostAddress:
    name: str
    ip: str
    mac: str
    switch: str
    port: int          # the switch port the host is attached to


@dataclass(frozen=True)
class Addressing:
    dpids: dict[str, int]                       # switch name -> dpid
    ports: dict[tuple[str, str], int]           # (switch, neighbour) -> port on switch
    hosts: dict[str, HostAddress]

    @classmethod
    def of(cls, topo: Topology) -> Addressing:
        dpids = {sw.name: index + 1 for index, sw in enumerate(topo.switches())}
        ports: dict[tuple[str, str], int] = {}
        next_port = {name: 1 for name in dpids}
        for link in topo.links:
            for here, there in ((link.a, link.b), (link.b, link.a)):
                if here in dpids:
                    ports[(here, there)] = next_port[here]
                    next_port[here] += 1
        hosts = {}
        for index, node in enumerate(topo.hosts()):
            switch = topo.attachment(node.name)
            ip = HOST_NETWORK.network_address + index + 1
            mac = ":".join(f"{b:02x}" for b in (index + 1).to_bytes(6, "big"))
            hosts[node.name] = HostAddress(node.name, str(ip), mac, switch, ports[(switch, node.name)])
        return cls(dpids=dpids, ports=ports, hosts=hosts)

    def switch_of_dpid(self, dpid: int) -> str:
        for name, value in self.dpids.items():
            if value == dpid:
                return name
        raise KeyError(dpid)

    def neighbour_on_port(self, switch: str, port: int) -> str:
        for (sw, nb), number in self.ports.items():
            if sw == switch and number == port:
                return nb
        raise KeyError((switch, port))

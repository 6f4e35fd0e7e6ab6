"""Pure: the controller's own flows for one switch, as Ryu ofctl_rest flow bodies.

Every flow the controller owns carries a cookie whose top byte is CONTROLLER_COOKIE_TAG,
so the toolbox's policy can protect them and a reconnect can replace them wholesale.
"""

from __future__ import annotations

from twin.analysis.routing import ForwardingEntry
from twin.model import Addressing

CONTROLLER_COOKIE_TAG = 0xC0
CONTROLLER_COOKIE = CONTROLLER_COOKIE_TAG << 56
CONTROLLER_COOKIE_MASK = 0xFF << 56
TABLE_MISS_PRIORITY = 0
ROUTING_PRIORITY = 10
ETH_TYPE_IPV4 = 0x0800
ETH_TYPE_ARP = 0x0806


def is_controller_cookie(cookie: int) -> bool:
    return (cookie >> 56) & 0xFF == CONTROLLER_COOKIE_TAG


def table_miss_flow(dpid: int) -> dict:
    """Unknown traffic is dropped: with proactive routing nothing needs flooding or learning."""
    return {"dpid": dpid, "cookie": CONTROLLER_COOKIE, "priority": TABLE_MISS_PRIORITY,
            "match": {}, "actions": []}


def routing_flows(switch: str, entries: list[ForwardingEntry], addressing: Addressing) -> list[dict]:
    """IPv4 by destination address, and ARP by target address along the same tree.

    Steering ARP like unicast is what makes loops harmless: no broadcast ever floods.
    """
    dpid = addressing.dpids[switch]
    flows = []
    for entry in entries:
        if entry.switch != switch:
            continue
        ip = addressing.hosts[entry.host].ip
        action = [{"type": "OUTPUT", "port": entry.out_port}]
        flows.append({"dpid": dpid, "cookie": CONTROLLER_COOKIE, "priority": ROUTING_PRIORITY,
                      "match": {"eth_type": ETH_TYPE_IPV4, "ipv4_dst": ip}, "actions": action})
        flows.append({"dpid": dpid, "cookie": CONTROLLER_COOKIE, "priority": ROUTING_PRIORITY,
                      "match": {"eth_type": ETH_TYPE_ARP, "arp_tpa": ip}, "actions": action})
    return flows

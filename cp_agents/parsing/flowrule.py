"""flow.add: a hand-written flow rule -> the body of Ryu's POST /stats/flowentry/add (less table_id).

'on switch 5 send tcp port 443 traffic for 10.0.0.7 out of port 3' ->
{"dpid": 5, "priority": null, "match": {"eth_type": 2048, "ip_proto": 6, "tcp_dst": 443,
 "ipv4_dst": "10.0.0.7"}, "actions": [{"type": "OUTPUT", "port": 3}]}
"""

from __future__ import annotations

import re
from typing import Any

from cp_agents.parsing.entities import IPV4
from cp_agents.parsing.lexicon import PORT_PROTOCOLS, PROTO_NUMBERS, WELL_KNOWN_SERVICES

ETH_IPV4, ETH_ARP, ETH_IPV6, ETH_LLDP = 2048, 2054, 34525, 35020
OFPVID_PRESENT = 0x1000

_DPID = re.compile(r"\b(?:s|sw|switch|node|openflow|of|dpid|datapath|bridge|br)\s*(?:#|no\.?|number|id)?"
                   r"\s*[:=]?\s*(\d+)\b(?!\s*(?:\.\d|mbps|ms\b))")
_PRIORITY = re.compile(r"\b(?:priority|prio|pri)\s*(?:of|=|:|is)?\s*(\d+)")
_IN_PORT = re.compile(r"(?:\bin_port|\bin[- ]port|\bin (?:on|at|via|through) port|\bingress port|\binput port|"
                      r"\bfrom port|"
                      r"\b(?:arriving|arrives|arrive|coming|comes|come|entering|enter|enters|received|"
                      r"receiving|incoming|ingressing|that arrive|that come)\s+(?:in\s+)?"
                      r"(?:on|at|via|through|from|into|in)?\s*(?:the\s+)?port)\s*(?:number|#|=|:)?\s*(\d+)")
_DIRECTION = r"source|src|destination|dst|dest"
_L4 = re.compile(rf"\b(?:(?P<proto>tcp|udp)\s*(?:/|:)?\s*(?P<dir>{_DIRECTION})?\s*(?:port\s*)?"
                 rf"|(?P<dir2>{_DIRECTION})\s*port\s*)(?P<port>\d{{1,5}})\b")
_PUSH_VLAN = re.compile(r"\b(?:push|add|tag(?: it| them)? with)\s+(?:a\s+)?vlan(?:\s+tag)?"
                        r"(?:\s*(?:id\s*)?(\d+))?")
_SET_DSCP = re.compile(r"\b(?:set|mark|remark|rewrite)\s+(?:the\s+)?(?:it\s+with\s+)?dscp\s*"
                       r"(?:to\s*|=\s*)?(\d+)")
_PORT_WORD = re.compile(r"\bport\s*(?:number|#|=|:)?\s*(\d+)")
_IPV6 = r"(?<![\w:])(?:[0-9a-f]{1,4}:){1,7}:?(?:[0-9a-f]{1,4})?(?:/\d{1,3})?(?![\w:])"
_MAC = r"\b(?:[0-9a-f]{2}:){5}[0-9a-f]{2}\b"
_SRC_MARK = r"(?:from|source|src|sent by|originating (?:at|from))\s+(?:ip\s+|address\s+|host\s+|mac\s+)?"


def dpid(text: str) -> int | None:
    m = _DPID.search(text)
    return int(m.group(1)) if m else None


def priority(text: str) -> int | None:
    m = _PRIORITY.search(text)
    return int(m.group(1)) if m else None


def _addresses(text: str, pattern: str, src_field: str, dst_field: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for m in re.finditer(pattern, text):
        before = text[max(0, m.start() - 30): m.start()]
        field = src_field if re.search(_SRC_MARK + r"$", before) else dst_field
        found.setdefault(field, m.group(0))
    return found


def _protocol(text: str, l4_ports: dict[str, int]) -> str | None:
    for proto in ("tcp", "udp"):
        if re.search(rf"\b{proto}\b", text):
            return proto
    if re.search(r"\b(?:icmp|ping|pings|echo)\b", text):
        return "icmp"
    for service, (proto, _) in WELL_KNOWN_SERVICES.items():
        if re.search(rf"\b{re.escape(service)}\b", text):
            return proto
    if "dst" in l4_ports:
        return PORT_PROTOCOLS.get(l4_ports["dst"], "tcp")
    return None


def _l4_ports(text: str, action_spans: list[tuple[int, int]], in_port_spans: list[tuple[int, int]]) -> dict:
    """L4 ports: 'tcp port 443', 'udp 9000', 'destination port 80', or a service name."""
    ports: dict[str, int] = {}
    taken = action_spans + in_port_spans
    for m in _L4.finditer(text):
        if any(s <= m.start("port") < e for s, e in taken):
            continue
        direction = "src" if (m.group("dir") or m.group("dir2") or "") in ("source", "src") else "dst"
        ports.setdefault(direction, int(m.group("port")))
    if "dst" not in ports:
        for service, (_, port) in WELL_KNOWN_SERVICES.items():
            if re.search(rf"\b{re.escape(service)}\b", text) and service not in ("openflow",):
                ports["dst"] = port
                break
    return ports


def match(text: str, action_spans: list[tuple[int, int]]) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    fields: dict[str, Any] = {}
    in_port = _IN_PORT.search(text)
    in_spans = [(in_port.start(1), in_port.end(1))] if in_port else []
    if in_port:
        fields["in_port"] = int(in_port.group(1))
    fields |= _addresses(text, IPV4, "ipv4_src", "ipv4_dst")
    ipv6 = {} if fields.keys() & {"ipv4_src", "ipv4_dst"} else _addresses(text, _IPV6, "ipv6_src", "ipv6_dst")
    fields |= {k: v for k, v in ipv6.items() if v.count(":") >= 2}
    fields |= _addresses(text, _MAC, "eth_src", "eth_dst")
    ports = _l4_ports(text, action_spans, in_spans)
    proto = _protocol(text, ports)
    if proto:
        fields["ip_proto"] = PROTO_NUMBERS[proto]
        if proto in ("tcp", "udp"):
            fields |= {f"{proto}_{d}": p for d, p in ports.items()}
        elif re.search(r"\becho[- ]?(?:request|req)s?\b|\bping requests?\b", text):
            fields["icmpv4_type"] = 8
        elif re.search(r"\becho[- ]?(?:repl(?:y|ies))\b|\bping repl(?:y|ies)\b", text):
            fields["icmpv4_type"] = 0
    dscp = re.search(r"(?<!set )(?<!mark )(?<!remark )\bdscp\s*(?:=|:|of)?\s*(\d+)", text)
    if dscp:
        fields["ip_dscp"] = int(dscp.group(1))
    vlan = re.search(r"(?<!set )(?<!push )(?<!tag )\b(?:on|from|in|with) vlan\s*(?:id\s*)?(\d+)", text)
    if vlan:
        fields["vlan_vid"] = int(vlan.group(1))
    fields = _eth_type(text, fields)
    return fields, in_spans


def _eth_type(text: str, fields: dict[str, Any]) -> dict[str, Any]:
    if re.search(r"\barps?\b", text) and not fields.keys() & {"ip_proto", "ipv4_src", "ipv4_dst"}:
        return {"eth_type": ETH_ARP, **fields}
    if re.search(r"\blldp\b", text):
        return {"eth_type": ETH_LLDP, **fields}
    if fields.keys() & {"ipv6_src", "ipv6_dst"} or re.search(r"\bipv6\b", text):
        return {"eth_type": ETH_IPV6, **fields}
    if fields.keys() & {"ip_proto", "ipv4_src", "ipv4_dst",
                        "ip_dscp"} or re.search(r"\b(?:ipv4|ip traffic)\b", text):
        return {"eth_type": ETH_IPV4, **fields}
    return fields


_SPECIAL_PORTS = [(r"\bflood(?:s|ed|ing)?\b", "FLOOD"), (r"\b(?:to|the) controller\b|\bpunt", "CONTROLLER"),
                  (r"\bnormal (?:pipeline|processing|forwarding|l2)\b|\boutput normal\b", "NORMAL"),
                  (r"\b(?:back )?out (?:of )?the (?:ingress|incoming|input) port\b|\bback where it came\b",
                   "IN_PORT")]


def actions(text: str) -> tuple[list[dict[str, Any]], list[tuple[int, int]]]:
    """Actions in the order written; spans of the port numbers they used."""
    found: list[tuple[int, dict[str, Any]]] = []
    spans: list[tuple[int, int]] = []
    in_port = _IN_PORT.search(text)
    for m in _PORT_WORD.finditer(text):
        if in_port and in_port.start(1) == m.start(1):
            continue
        before = text[max(0, m.start() - 25): m.start()]
        if re.search(r"\b(?:tcp|udp|source|src|destination|dst|dest|sctp)\s*$", before):
            continue
        found.append((m.start(), {"type": "OUTPUT", "port": int(m.group(1))}))
        spans.append((m.start(1), m.end(1)))
    for pattern, port in _SPECIAL_PORTS:
        for m in re.finditer(pattern, text):
            found.append((m.start(), {"type": "OUTPUT", "port": port}))
    for m in re.finditer(r"\bqueue\s*(?:id\s*|number\s*|#\s*)?(\d+)", text):
        found.append((m.start(), {"type": "SET_QUEUE", "queue_id": int(m.group(1))}))
    found += _vlan_and_fields(text)
    return [action for _, action in sorted(found, key=lambda item: item[0])], spans


def _vlan_and_fields(text: str) -> list[tuple[int, dict[str, Any]]]:
    found: list[tuple[int, dict[str, Any]]] = []
    for m in _PUSH_VLAN.finditer(text):
        found.append((m.start(), {"type": "PUSH_VLAN", "ethertype": 33024}))
        if m.group(1):
            found.append((m.start() + 1, {"type": "SET_FIELD", "field": "vlan_vid",
                                          "value": OFPVID_PRESENT | int(m.group(1))}))
    for m in re.finditer(r"\b(?:pop|strip|remove)\s+(?:the\s+)?vlan", text):
        found.append((m.start(), {"type": "POP_VLAN"}))
    for m in _SET_DSCP.finditer(text):
        found.append((m.start(), {"type": "SET_FIELD", "field": "ip_dscp", "value": int(m.group(1))}))
    rewrite = (r"\b(?:set|rewrite|change)\s+(?:the\s+)?(source|destination|src|dst)\s+(?:ip|address)\s+"
               r"(?:to\s+)?")
    for m in re.finditer(rewrite + "(" + IPV4 + ")", text):
        field = "ipv4_src" if m.group(1) in ("source", "src") else "ipv4_dst"
        found.append((m.start(), {"type": "SET_FIELD", "field": field, "value": m.group(2)}))
    return found


def flow_params(text: str) -> dict[str, Any]:
    """Text already normalised (lexicon.normalize_text), aliases not expanded."""
    acts, spans = actions(text)
    fields, _ = match(text, spans)
    return {"dpid": dpid(text), "priority": priority(text), "match": fields, "actions": acts}

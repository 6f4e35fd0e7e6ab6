"""OpenFlow match semantics for ofctl_rest match dicts: overlap, cover, packet match.

Every field becomes a (value, mask) pair on integers; an absent field is a wildcard. Two
matches overlap when they agree on the bits both care about; `a` covers `b` when every
packet that `b` matches also matches `a`. OpenFlow prerequisites are made explicit first
(tcp_dst implies ip_proto 6 and an IP eth_type, ipv4_dst implies eth_type 0x0800), so a TCP
rule and a UDP rule on the same port number never overlap.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

FieldValue = tuple[int, int]          # (value, mask)
IP_FIELDS = frozenset({"ipv4_src", "ipv4_dst", "ipv6_src", "ipv6_dst", "arp_spa", "arp_tpa",
                       "ipv6_nd_target"})
MAC_FIELDS = frozenset({"eth_src", "eth_dst", "arp_sha", "arp_tha", "ipv6_nd_sll", "ipv6_nd_tll"})
IP_ETH = {"ipv4": 0x0800, "ipv6": 0x86DD, "arp": 0x0806}
_PROTO_OF = {"tcp": 6, "udp": 17, "sctp": 132, "icmpv4": 1, "icmpv6": 58}
_WIDTH = {"in_port": 32, "eth_type": 16, "ip_proto": 8, "vlan_vid": 13, "ip_dscp": 6, "ip_ecn": 2,
          "metadata": 64, "tcp_src": 16, "tcp_dst": 16, "udp_src": 16, "udp_dst": 16, "sctp_src": 16,
          "sctp_dst": 16, "icmpv4_type": 8, "icmpv4_code": 8, "icmpv6_type": 8, "icmpv6_code": 8,
          "arp_op": 16}


class MatchError(ValueError):
    """A match field or value cannot be understood (names the field)."""


def _full(width: int) -> int:
    return (1 << width) - 1


def _parse_ip(field: str, text: str) -> FieldValue:
    try:
        net = ipaddress.ip_network(text.strip(), strict=False)
    except ValueError as exc:
        raise MatchError(f"{field}: {text!r} is not an address or network") from exc
    return int(net.network_address), int(net.netmask)


def _parse_mac(field: str, text: str) -> int:
    digits = text.replace(":", "").replace("-", "")
    if len(digits) != 12:
        raise MatchError(f"{field}: {text!r} is not a MAC address")
    try:
        return int(digits, 16)
    except ValueError:
        raise MatchError(f"{field}: {text!r} is not a MAC address") from None


def _parse_int(field: str, value: Any) -> int:
    if isinstance(value, bool):
        raise MatchError(f"{field}: {value!r} is not a number")
    if isinstance(value, int):
        return value
    try:
        return int(str(value), 0)
    except ValueError:
        raise MatchError(f"{field}: {value!r} is not a number") from None


def field_value(field: str, value: Any) -> FieldValue:
    """One ofctl match field -> (value, mask)."""
    if field in IP_FIELDS:
        if not isinstance(value, str):
            raise MatchError(f"{field}: expected an address string, got {value!r}")
        return _parse_ip(field, value)          # "10.0.0.0/24" and "10.0.0.0/255.255.255.0" alike
    if field in MAC_FIELDS:
        address, _, mask = str(value).partition("/")
        return _parse_mac(field, address), _parse_mac(field, mask) if mask else _full(48)
    if isinstance(value, str) and "/" in value:
        number, mask = value.split("/", 1)
        return _parse_int(field, number), _parse_int(field, mask)
    return _parse_int(field, value), _full(_WIDTH.get(field, 64))


def normalise(match: Mapping[str, Any]) -> dict[str, FieldValue]:
    """Fields as (value, mask), with OpenFlow prerequisites added."""
    out = {name: field_value(name, value) for name, value in match.items()}
    implied: dict[str, int] = {}
    for name in match:
        family = name.split("_", 1)[0]
        if family in _PROTO_OF:
            implied["ip_proto"] = _PROTO_OF[family]
        if family in IP_ETH:
            implied["eth_type"] = IP_ETH[family]
    if implied.get("ip_proto") in (1,) or "icmpv4_type" in match:
        implied.setdefault("eth_type", 0x0800)
    for name, number in implied.items():
        value = (number, _full(_WIDTH[name]))
        if name in out and out[name] != value:
            out[name] = (-1, _full(_WIDTH[name]))   # contradictory: matches nothing
        else:
            out[name] = value
    return out


def _empty(norm: Mapping[str, FieldValue]) -> bool:
    return any(value < 0 for value, _ in norm.values())


def overlaps(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Some packet matches both."""
    na, nb = normalise(a), normalise(b)
    if _empty(na) or _empty(nb):
        return False
    for name in na.keys() & nb.keys():
        (va, ma), (vb, mb) = na[name], nb[name]
        if (va ^ vb) & ma & mb:
            return False
    return True


def covers(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Every packet that matches `b` matches `a`."""
    na, nb = normalise(a), normalise(b)
    if _empty(nb):
        return True
    if _empty(na):
        return False
    for name, (va, ma) in na.items():
        if name not in nb:
            return False
        vb, mb = nb[name]
        if ma & ~mb or (va ^ vb) & ma:
            return False
    return True


def packet_matches(match: Mapping[str, Any], packet: Mapping[str, Any]) -> bool:
    """A concrete packet (exact header fields) matches `match`."""
    return covers(match, packet)

"""Pure checks of ofctl_rest request bodies, so bad input is a 400 that says what is wrong
and never reaches os-ken's converters (which log and ignore unknown fields)."""

from __future__ import annotations

import ipaddress
import re


class RequestError(ValueError):
    """A request the controller will not act on; `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


FLOW_KEYS = {"dpid", "cookie", "cookie_mask", "table_id", "idle_timeout", "hard_timeout",
             "priority", "buffer_id", "flags", "match", "actions", "out_port", "out_group"}
METER_KEYS = {"dpid", "meter_id", "flags", "bands"}
BAND_KEYS = {"type", "rate", "burst_size", "prec_level", "experimenter"}
INT_FIELDS = {"in_port", "in_phy_port", "eth_type", "dl_type", "vlan_pcp", "ip_dscp", "ip_ecn",
              "nw_proto", "ip_proto", "tp_src", "tp_dst", "tcp_src", "tcp_dst", "udp_src", "udp_dst",
              "sctp_src", "sctp_dst", "icmpv4_type", "icmpv4_code", "arp_op", "ipv6_flabel",
              "icmpv6_type", "icmpv6_code", "mpls_label", "mpls_tc", "mpls_bos", "vlan_vid", "dl_vlan"}
IP_FIELDS = {"ipv4_src", "ipv4_dst", "nw_src", "nw_dst", "arp_spa", "arp_tpa", "ipv6_src",
             "ipv6_dst", "ipv6_nd_target"}
MAC_FIELDS = {"eth_src", "eth_dst", "dl_src", "dl_dst", "arp_sha", "arp_tha", "ipv6_nd_sll",
              "ipv6_nd_tll"}
MASKED_FIELDS = {"metadata", "pbb_isid", "tunnel_id", "ipv6_exthdr"}
MATCH_FIELDS = INT_FIELDS | IP_FIELDS | MAC_FIELDS | MASKED_FIELDS
# action type -> required argument names
ACTIONS = {
    "OUTPUT": {"port"}, "COPY_TTL_OUT": set(), "COPY_TTL_IN": set(), "SET_MPLS_TTL": {"mpls_ttl"},
    "DEC_MPLS_TTL": set(), "PUSH_VLAN": {"ethertype"}, "POP_VLAN": set(), "PUSH_MPLS": {"ethertype"},
    "POP_MPLS": {"ethertype"}, "SET_QUEUE": {"queue_id"}, "GROUP": {"group_id"},
    "SET_NW_TTL": {"nw_ttl"}, "DEC_NW_TTL": set(), "SET_FIELD": {"field", "value"},
    "PUSH_PBB": {"ethertype"}, "POP_PBB": set(), "GOTO_TABLE": {"table_id"},
    "WRITE_METADATA": {"metadata"}, "METER": {"meter_id"}, "CLEAR_ACTIONS": set(),
}
ACTION_OPTIONAL = {"OUTPUT": {"max_len"}, "WRITE_METADATA": {"metadata_mask"}}
PORT_NAMES = {"IN_PORT", "TABLE", "NORMAL", "FLOOD", "ALL", "CONTROLLER", "LOCAL", "ANY"}
MAC = re.compile(r"^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}(/[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5})?$")
MAX_ACTIONS = 64


def integer(value: object, where: str, low: int = 0, high: int = 2**64 - 1) -> int:
    """Ryu accepts ints and numeric strings ("0x10"); anything else is refused here."""
    if isinstance(value, bool):
        raise RequestError(f"{where} must be an integer, got a boolean")
    if isinstance(value, str):
        try:
            value = int(value, 0)
        except ValueError:
            raise RequestError(f"{where} must be an integer, got {value[:40]!r}") from None
    if not isinstance(value, int):
        raise RequestError(f"{where} must be an integer, got {type(value).__name__}")
    if not low <= value <= high:
        raise RequestError(f"{where} must be between {low} and {high}, got {value}")
    return value


def body_object(body: object, allowed: set[str], what: str) -> dict:
    if not isinstance(body, dict):
        raise RequestError(f"{what} must be a JSON object")
    unknown = sorted(str(k)[:40] for k in body if k not in allowed)
    if unknown:
        raise RequestError(f"unknown field(s) in {what}: {', '.join(unknown)}; "
                           f"allowed: {', '.join(sorted(allowed))}")
    return body


def check_flow(body: object) -> dict:
    flow = body_object(body, FLOW_KEYS, "flow entry")
    if "dpid" not in flow:
        raise RequestError("flow entry needs 'dpid'")
    integer(flow["dpid"], "dpid", 1)
    for key, high in (("cookie", 2**64 - 1), ("cookie_mask", 2**64 - 1), ("table_id", 255),
                      ("idle_timeout", 65535), ("hard_timeout", 65535), ("priority", 65535),
                      ("flags", 65535), ("buffer_id", 2**32 - 1)):
        if key in flow:
            integer(flow[key], key, 0, high)
    for key in ("out_port", "out_group"):
        if key in flow:
            port_number(flow[key], key)
    check_match(flow.get("match", {}))
    check_actions(flow.get("actions", []))
    return flow


def port_number(value: object, where: str) -> None:
    if isinstance(value, str) and value.upper() in PORT_NAMES:
        return
    integer(value, where, 0, 2**32 - 1)


def check_match(match: object) -> None:
    body_object(match, MATCH_FIELDS, "match")
    for key, value in match.items():
        where = f"match.{key}"
        if key == "in_port":
            port_number(value, where)
        elif key in INT_FIELDS:
            integer(value, where, 0, 2**32 - 1)
        elif key in IP_FIELDS:
            if not isinstance(value, str):
                raise RequestError(f"{where} must be an address string, got {type(value).__name__}")
            try:
                ipaddress.ip_network(value.split("/")[0] if "/" in value and "." in value.split("/")[1]
                                     else value, strict=False)
            except ValueError:
                raise RequestError(f"{where} is not an IP address: {value[:60]!r}") from None
        elif key in MAC_FIELDS:
            if not isinstance(value, str) or not MAC.match(value):
                raise RequestError(f"{where} must be a MAC address like 00:00:00:00:00:01")
        else:
            if isinstance(value, str) and "/" in value:
                value, mask = value.split("/", 1)
                integer(mask, where + " mask")
            integer(value, where)


def check_actions(actions: object) -> None:
    if not isinstance(actions, list):
        raise RequestError("actions must be a list")
    if len(actions) > MAX_ACTIONS:
        raise RequestError(f"at most {MAX_ACTIONS} actions")
    for index, action in enumerate(actions):
        where = f"actions[{index}]"
        if not isinstance(action, dict) or not isinstance(action.get("type"), str):
            raise RequestError(f"{where} must be an object with a string 'type'")
        kind = action["type"]
        if kind not in ACTIONS:
            raise RequestError(f"{where}: unknown action type {kind[:40]!r}; "
                               f"known: {', '.join(sorted(ACTIONS))}")
        given = set(action) - {"type"}
        missing = ACTIONS[kind] - given
        extra = given - ACTIONS[kind] - ACTION_OPTIONAL.get(kind, set())
        if missing:
            raise RequestError(f"{where} ({kind}) needs {', '.join(sorted(missing))}")
        if extra:
            raise RequestError(f"{where} ({kind}) has unknown field(s) {', '.join(sorted(extra))}")
        if kind == "OUTPUT":
            port_number(action["port"], f"{where}.port")
        elif kind == "SET_FIELD":
            if not isinstance(action["field"], str):
                raise RequestError(f"{where}.field must be a match field name")
            check_match({action["field"]: action["value"]})
        else:
            for arg in ACTIONS[kind]:
                integer(action[arg], f"{where}.{arg}")


def check_meter(body: object) -> dict:
    meter = body_object(body, METER_KEYS, "meter entry")
    for key in ("dpid", "meter_id"):
        if key not in meter:
            raise RequestError(f"meter entry needs '{key}'")
    integer(meter["dpid"], "dpid", 1)
    integer(meter["meter_id"], "meter_id", 1, 0xFFFF0000)
    flags = meter.get("flags", [])
    flags = flags if isinstance(flags, list) else [flags]
    for flag in flags:
        if flag not in ("KBPS", "PKTPS", "BURST", "STATS"):
            raise RequestError(f"unknown meter flag {str(flag)[:20]!r}; use KBPS, PKTPS, BURST, STATS")
    bands = meter.get("bands", [])
    if not isinstance(bands, list):
        raise RequestError("bands must be a list")
    for index, band in enumerate(bands):
        body_object(band, BAND_KEYS, f"bands[{index}]")
        if band.get("type") not in ("DROP", "DSCP_REMARK"):
            raise RequestError(f"bands[{index}].type must be DROP or DSCP_REMARK")
        for key in ("rate", "burst_size", "prec_level"):
            if key in band:
                integer(band[key], f"bands[{index}].{key}", 0, 2**32 - 1)
    return meter

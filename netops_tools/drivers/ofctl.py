"""Ryu ofctl_rest wire format <-> FlowRule / Meter.

Ryu's flow stats print actions as strings ("OUTPUT:2", "SET_FIELD: {ip_dscp:8}",
"METER:1", "GOTO_TABLE:1") and reserved ports by name; what it accepts on add is a list of
dicts with integer ports. Both shapes are accepted here so a controller that returns dicts
works too.
"""

from __future__ import annotations

import re
from typing import Any

from twin.model.changeset import FlowRule, Meter

RESERVED_PORTS: dict[str, int] = {
    "IN_PORT": 0xFFFFFFF8, "TABLE": 0xFFFFFFF9, "NORMAL": 0xFFFFFFFA, "FLOOD": 0xFFFFFFFB,
    "ALL": 0xFFFFFFFC, "CONTROLLER": 0xFFFFFFFD, "LOCAL": 0xFFFFFFFE, "ANY": 0xFFFFFFFF,
}
_INT_ARG = {"SET_QUEUE": "queue_id", "GROUP": "group_id", "SET_MPLS_TTL": "mpls_ttl",
            "SET_NW_TTL": "nw_ttl", "PUSH_VLAN": "ethertype", "PUSH_MPLS": "ethertype",
            "POP_MPLS": "ethertype", "PUSH_PBB": "ethertype", "GOTO_TABLE": "table_id"}
_SET_FIELD = re.compile(r"^\{\s*([a-z0-9_]+)\s*:\s*(.*?)\s*\}$")


class OfctlFormatError(ValueError):
    """The controller returned something that is not ofctl_rest-shaped."""


def port_number(value: Any) -> int:
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text.upper() in RESERVED_PORTS:
        return RESERVED_PORTS[text.upper()]
    try:
        return int(text, 0)
    except ValueError:
        raise OfctlFormatError(f"not a port: {value!r}") from None


def _scalar(text: str) -> Any:
    try:
        return int(text, 0)
    except ValueError:
        return text.strip("'\"")


def parse_action(action: Any) -> dict[str, Any] | None:
    """One action (string or dict) -> ofctl dict; None for things that are not actions."""
    if isinstance(action, dict):
        out = dict(action)
        if out.get("type") == "OUTPUT":
            out["port"] = port_number(out.get("port"))
        return out
    text = str(action).strip()
    if text in ("", "DROP"):
        return None
    name, _, arg = text.partition(":")
    name, arg = name.strip(), arg.strip()
    if name == "OUTPUT":
        return {"type": "OUTPUT", "port": port_number(arg)}
    if name == "SET_FIELD":
        found = _SET_FIELD.match(arg)
        if not found:
            raise OfctlFormatError(f"cannot read SET_FIELD action {text!r}")
        return {"type": "SET_FIELD", "field": found.group(1), "value": _scalar(found.group(2))}
    if name in _INT_ARG:
        return {"type": name, _INT_ARG[name]: int(arg, 0)}
    if name == "METER":
        return {"type": "METER", "meter_id": int(arg, 0)}
    if name == "WRITE_METADATA":
        value, _, mask = arg.partition("/")
        entry: dict[str, Any] = {"type": name, "metadata": int(value, 0)}
        if mask:
            entry["metadata_mask"] = int(mask, 0)
        return entry
    return {"type": name}


def flow_from_stats(dpid: int, entry: dict[str, Any]) -> tuple[FlowRule, dict[str, int]]:
    """A flow-stats entry -> (FlowRule with cookie, counters)."""
    try:
        actions = [a for a in (parse_action(x) for x in entry.get("actions", [])) if a is not None]
        meter_ids = [a["meter_id"] for a in actions if a["type"] == "METER"]
        rule = FlowRule(
            dpid=dpid, priority=int(entry.get("priority", 0)), match=dict(entry.get("match", {})),
            actions=tuple(a for a in actions if a["type"] != "METER"),
            table_id=int(entry.get("table_id", 0)), idle_timeout=int(entry.get("idle_timeout", 0)),
            hard_timeout=int(entry.get("hard_timeout", 0)),
            meter_id=meter_ids[0] if meter_ids else None, cookie=int(entry.get("cookie", 0)))
    except (TypeError, ValueError, KeyError) as exc:
        raise OfctlFormatError(f"flow entry on dpid {dpid} is not ofctl_rest-shaped: {exc}") from exc
    counters = {k: int(entry.get(k, 0)) for k in ("packet_count", "byte_count", "duration_sec")}
    return rule, counters


def meter_from_config(dpid: int, entry: dict[str, Any]) -> Meter:
    bands = entry.get("bands") or []
    if not bands:
        raise OfctlFormatError(f"meter {entry.get('meter_id')} on dpid {dpid} has no band")
    band = bands[0]
    return Meter(dpid=dpid, meter_id=int(entry["meter_id"]), rate_kbps=int(band["rate"]),
                 burst_kb=max(1, int(band.get("burst_size", 0))))


def delete_strict_body(rule: FlowRule) -> dict[str, Any]:
    """Body of POST /stats/flowentry/delete_strict: match + priority + this cookie only."""
    return {"dpid": rule.dpid, "table_id": rule.table_id, "priority": rule.priority,
            "match": dict(rule.match), "cookie": rule.cookie or 0, "cookie_mask": (1 << 64) - 1}

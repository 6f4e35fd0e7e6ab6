"""ChangeSet: the one object that describes a network change (flows, meters, queues) and
the checks that prove it.

Write tools build ChangeSets; validation, policy, audit, push and rollback all work on the
same object (build commands first, execute them later). The id is a hash of the canonical
content, so the same change always gets the same id, and the 64-bit OpenFlow cookie of every
flow it installs is derived from the id with a fixed top byte: applying twice is a no-op and
rollback is "delete by cookie". The controller's own routing and table-miss flows carry the
top byte 0xC0 and are never touched by a ChangeSet.

Pure: no I/O. Match fields and actions use Ryu ofctl_rest names and shapes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from twin.model.errors import ModelError

CHANGESET_COOKIE_BYTE = 0xA5
CONTROLLER_COOKIE_BYTE = 0xC0
COOKIE_SHIFT = 56
COOKIE_LOW_MASK = (1 << COOKIE_SHIFT) - 1
COOKIE_TOP_MASK = 0xFF << COOKIE_SHIFT

CHECK_TYPES: frozenset[str] = frozenset(
    {"reachable", "blocked", "throughput_min", "throughput_max", "path_via", "path_avoids"})

# ofctl_rest (OpenFlow 1.0 style) aliases that Ryu's v1.3 parser also accepts
MATCH_ALIASES: dict[str, str] = {
    "dl_src": "eth_src", "dl_dst": "eth_dst", "dl_type": "eth_type", "dl_vlan": "vlan_vid",
    "nw_src": "ipv4_src", "nw_dst": "ipv4_dst", "nw_proto": "ip_proto", "nw_tos": "ip_dscp",
    "tp_src": "tcp_src", "tp_dst": "tcp_dst",
}


class ChangeSetError(ModelError):
    """A flow, meter, queue, check or ChangeSet is malformed (says which and why)."""


def role_of_cookie(cookie: int) -> str:
    """'changeset', 'controller' or 'other', from the cookie's top byte."""
    top = (cookie >> COOKIE_SHIFT) & 0xFF
    if top == CHANGESET_COOKIE_BYTE:
        return "changeset"
    if top == CONTROLLER_COOKIE_BYTE:
        return "controller"
    return "other"


def canonical_match(match: Mapping[str, Any]) -> dict[str, Any]:
    """Match with aliases renamed to the v1.3 names and keys sorted.

    Ryu prints both tcp_* and udp_* ports as tp_*: the IP protocol says which they are."""
    proto = match.get("ip_proto", match.get("nw_proto"))
    transport = "udp" if str(proto) == "17" else "sctp" if str(proto) == "132" else "tcp"
    out: dict[str, Any] = {}
    for key, value in match.items():
        name = MATCH_ALIASES.get(key, key)
        if key in ("tp_src", "tp_dst"):
            name = f"{transport}_{key[3:]}"
        if name in out:
            raise ChangeSetError(f"match gives {name!r} twice (once as alias {key!r})")
        out[name] = value
    return dict(sorted(out.items()))


def _canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _check_int(what: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ChangeSetError(f"{what} must be an integer in [{low}, {high}], got {value!r}")


@dataclass(frozen=True, eq=True)
class FlowRule:
    """One OpenFlow 1.3 flow entry as ofctl_rest writes it.

    `cookie` is None for a flow the ChangeSet adds (it gets the ChangeSet's cookie) and the
    installed cookie for a flow the ChangeSet removes (so it can be restored exactly).
    """

    dpid: int
    priority: int
    match: Mapping[str, Any] = field(default_factory=dict)
    actions: tuple[Mapping[str, Any], ...] = ()
    table_id: int = 0
    idle_timeout: int = 0
    hard_timeout: int = 0
    meter_id: int | None = None
    cookie: int | None = None

    def __post_init__(self) -> None:
        _check_int("flow dpid", self.dpid, 1, (1 << 64) - 1)
        _check_int("flow priority", self.priority, 0, 65535)
        _check_int("flow table_id", self.table_id, 0, 254)
        _check_int("flow idle_timeout", self.idle_timeout, 0, 65535)
        _check_int("flow hard_timeout", self.hard_timeout, 0, 65535)
        if self.meter_id is not None:
            _check_int("flow meter_id", self.meter_id, 1, 0xFFFF0000)
        if self.cookie is not None:
            _check_int("flow cookie", self.cookie, 0, (1 << 64) - 1)
        if not isinstance(self.match, Mapping):
            raise ChangeSetError(f"flow match must be an object, got {type(self.match).__name__}")
        object.__setattr__(self, "match", canonical_match(self.match))
        actions = tuple(dict(a) for a in self.actions)
        for action in actions:
            if not isinstance(action.get("type"), str):
                raise ChangeSetError(f"every action needs a string 'type', got {action!r}")
        object.__setattr__(self, "actions", actions)

    @property
    def drops(self) -> bool:
        return not any(a["type"] in ("OUTPUT", "GOTO_TABLE") for a in self.actions)

    def identity(self) -> tuple[int, int, int, str]:
        """What OpenFlow's strict modify/delete keys on: table, priority and exact match."""
        return (self.dpid, self.table_id, self.priority, _canonical_json(self.match))

    def with_cookie(self, cookie: int) -> FlowRule:
        return FlowRule(**{**self.to_dict(), "cookie": cookie})

    def to_dict(self) -> dict[str, Any]:
        return {"dpid": self.dpid, "priority": self.priority, "match": dict(self.match),
                "actions": [dict(a) for a in self.actions], "table_id": self.table_id,
                "idle_timeout": self.idle_timeout, "hard_timeout": self.hard_timeout,
                "meter_id": self.meter_id, "cookie": self.cookie}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FlowRule:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        known["actions"] = tuple(known.get("actions", ()))
        return cls(**known)

    def to_ofctl(self, cookie: int | None = None) -> dict[str, Any]:
        """The body of POST /stats/flowentry/add (the meter becomes a METER instruction)."""
        chosen = self.cookie if cookie is None else cookie
        actions = [dict(a) for a in self.actions]
        if self.meter_id is not None:
            actions.insert(0, {"type": "METER", "meter_id": self.meter_id})
        return {"dpid": self.dpid, "cookie": chosen or 0, "table_id": self.table_id,
                "priority": self.priority, "idle_timeout": self.idle_timeout,
                "hard_timeout": self.hard_timeout, "flags": 0, "match": dict(self.match),
                "actions": actions}


@dataclass(frozen=True)
class Meter:
    """An OpenFlow 1.3 meter with one drop band; always kbps + burst (see PLATFORM §4:
    without the burst flag a 10 Mbit/s meter delivered 13 Mbit/s)."""

    dpid: int
    meter_id: int
    rate_kbps: int
    burst_kb: int

    def __post_init__(self) -> None:
        _check_int("meter dpid", self.dpid, 1, (1 << 64) - 1)
        _check_int("meter meter_id", self.meter_id, 1, 0xFFFF0000)
        _check_int("meter rate_kbps", self.rate_kbps, 1, 10**9)
        _check_int("meter burst_kb", self.burst_kb, 1, 10**9)

    def identity(self) -> tuple[int, int]:
        return (self.dpid, self.meter_id)

    def to_dict(self) -> dict[str, Any]:
        return {"dpid": self.dpid, "meter_id": self.meter_id, "rate_kbps": self.rate_kbps,
                "burst_kb": self.burst_kb}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Meter:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})

    def to_ofctl(self) -> dict[str, Any]:
        """The body of POST /stats/meterentry/add."""
        return {"dpid": self.dpid, "meter_id": self.meter_id, "flags": ["KBPS", "BURST"],
                "bands": [{"type": "DROP", "rate": self.rate_kbps, "burst_size": self.burst_kb}]}


@dataclass(frozen=True)
class QueueSetting:
    """An HTB queue on a switch port plus the DSCP value mapped to it.

    set_queue is ignored on the userspace datapath (PLATFORM §4): traffic reaches the queue
    because flows mark `dscp` and a u32 filter maps that DSCP to the queue's class.
    """

    switch: str
    port: int
    queue_id: int
    min_rate_mbps: float
    max_rate_mbps: float
    dscp: int

    def __post_init__(self) -> None:
        # floats always, so 10 and 10.0 hash alike
        object.__setattr__(self, "min_rate_mbps", float(self.min_rate_mbps))
        object.__setattr__(self, "max_rate_mbps", float(self.max_rate_mbps))
        _check_int("queue port", self.port, 1, 0xFFFFFF00)
        _check_int("queue queue_id", self.queue_id, 0, 0xFFFFFFFE)
        _check_int("queue dscp", self.dscp, 0, 63)
        if not 0 <= self.min_rate_mbps <= self.max_rate_mbps:
            raise ChangeSetError(f"queue on {self.switch}:{self.port} needs 0 <= min_rate_mbps <= "
                                 f"max_rate_mbps, got {self.min_rate_mbps} and {self.max_rate_mbps}")

    def identity(self) -> tuple[str, int, int]:
        return (self.switch, self.port, self.queue_id)

    def to_dict(self) -> dict[str, Any]:
        return {"switch": self.switch, "port": self.port, "queue_id": self.queue_id,
                "min_rate_mbps": self.min_rate_mbps, "max_rate_mbps": self.max_rate_mbps,
                "dscp": self.dscp}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QueueSetting:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class SliceReservation:
    """A guaranteed rate reserved along links (a-b keys), for admission control."""

    name: str
    guaranteed_mbps: float
    links: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "guaranteed_mbps", float(self.guaranteed_mbps))
        object.__setattr__(self, "links", tuple(sorted(self.links)))
        if self.guaranteed_mbps < 0:
            raise ChangeSetError(f"slice {self.name} needs guaranteed_mbps >= 0")

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "guaranteed_mbps": self.guaranteed_mbps, "links": list(self.links)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SliceReservation:
        return cls(str(data["name"]), float(data["guaranteed_mbps"]), tuple(data.get("links", ())))


def check_declared(check: Mapping[str, Any]) -> dict[str, Any]:
    """A declared check as plain data: {"type": one of CHECK_TYPES, ...parameters}."""
    if not isinstance(check, Mapping) or check.get("type") not in CHECK_TYPES:
        raise ChangeSetError(f"a check needs 'type' in {sorted(CHECK_TYPES)}, got {check!r}")
    if check["type"] in ("reachable", "blocked", "path_via", "path_avoids",
                         "throughput_min", "throughput_max"):
        for key in ("src", "dst"):
            if not isinstance(check.get(key), str):
                raise ChangeSetError(f"check {check['type']!r} needs a string {key!r}")
    return dict(sorted(check.items()))


@dataclass(frozen=True)
class ChangeSet:
    """Flows, meters and queues to add and remove, the checks that prove the change, and a
    summary for people. The id hashes everything but the summary and the free-form intent,
    so rewording a summary does not make a different change."""

    flows_add: tuple[FlowRule, ...] = ()
    flows_remove: tuple[FlowRule, ...] = ()
    meters_add: tuple[Meter, ...] = ()
    meters_remove: tuple[Meter, ...] = ()
    queues_add: tuple[QueueSetting, ...] = ()
    queues_remove: tuple[QueueSetting, ...] = ()
    checks: tuple[Mapping[str, Any], ...] = ()
    slices: tuple[SliceReservation, ...] = ()
    summary: str = ""
    intent: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        for name in ("flows_add", "flows_remove", "meters_add", "meters_remove", "queues_add",
                     "queues_remove", "slices"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "checks", tuple(check_declared(c) for c in self.checks))
        for flow in self.flows_add:
            if flow.cookie is not None:
                raise ChangeSetError("a flow to add carries no cookie: it gets the ChangeSet's")
        for flow in self.flows_remove:
            if flow.cookie is None:
                raise ChangeSetError("a flow to remove needs its installed cookie so it can be restored")
        _no_duplicates("flows_add", [f.identity() for f in self.flows_add])
        _no_duplicates("meters_add", [m.identity() for m in self.meters_add])
        _no_duplicates("queues_add", [q.identity() for q in self.queues_add])
        if self.is_empty:
            raise ChangeSetError("a ChangeSet must add or remove at least one flow, meter or queue")

    @property
    def is_empty(self) -> bool:
        return not (self.flows_add or self.flows_remove or self.meters_add or self.meters_remove
                    or self.queues_add or self.queues_remove)

    def content(self) -> dict[str, Any]:
        """The hashed part, canonical (order of additions and removals does not matter)."""
        def rows(items: Iterable[Any]) -> list[dict[str, Any]]:
            return sorted((i.to_dict() for i in items), key=_canonical_json)
        return {"flows_add": rows(self.flows_add), "flows_remove": rows(self.flows_remove),
                "meters_add": rows(self.meters_add), "meters_remove": rows(self.meters_remove),
                "queues_add": rows(self.queues_add), "queues_remove": rows(self.queues_remove),
                "checks": sorted((dict(c) for c in self.checks), key=_canonical_json),
                "slices": rows(self.slices)}

    @property
    def id(self) -> str:
        """16 hex digits of the SHA-256 of the canonical content (computed once: the
        ChangeSet is immutable, and policy asks for it per installed flow)."""
        cached = self.__dict__.get("_id")
        if cached is None:
            cached = hashlib.sha256(_canonical_json(self.content()).encode()).hexdigest()[:16]
            object.__setattr__(self, "_id", cached)
        return cached

    @property
    def cookie(self) -> int:
        return cookie_of(self.id)

    def installed_flows(self) -> tuple[FlowRule, ...]:
        """The flows to add, each with this ChangeSet's cookie, as they will be installed."""
        return tuple(f.with_cookie(self.cookie) for f in self.flows_add)

    def dpids(self) -> set[int]:
        return ({f.dpid for f in self.flows_add + self.flows_remove}
                | {m.dpid for m in self.meters_add + self.meters_remove})

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "cookie": f"{self.cookie:#018x}", "summary": self.summary,
                "intent": dict(self.intent) if self.intent else None, **self.content()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChangeSet:
        """Inverse of to_dict; refuses a document whose id does not match its content."""
        changeset = cls(
            flows_add=tuple(FlowRule.from_dict(f) for f in data.get("flows_add", ())),
            flows_remove=tuple(FlowRule.from_dict(f) for f in data.get("flows_remove", ())),
            meters_add=tuple(Meter.from_dict(m) for m in data.get("meters_add", ())),
            meters_remove=tuple(Meter.from_dict(m) for m in data.get("meters_remove", ())),
            queues_add=tuple(QueueSetting.from_dict(q) for q in data.get("queues_add", ())),
            queues_remove=tuple(QueueSetting.from_dict(q) for q in data.get("queues_remove", ())),
            checks=tuple(data.get("checks", ())),
            slices=tuple(SliceReservation.from_dict(s) for s in data.get("slices", ())),
            summary=str(data.get("summary", "")), intent=data.get("intent"))
        if "id" in data and data["id"] != changeset.id:
            raise ChangeSetError(f"ChangeSet document claims id {data['id']} but its content hashes "
                                 f"to {changeset.id}: it was edited")
        return changeset

    def describe(self) -> str:
        """A short human summary of what changes."""
        parts = [f"{len(self.flows_add)} flow(s) to add", f"{len(self.flows_remove)} to remove"]
        if self.meters_add or self.meters_remove:
            parts.append(f"{len(self.meters_add)} meter(s) to add, {len(self.meters_remove)} to remove")
        if self.queues_add or self.queues_remove:
            parts.append(f"{len(self.queues_add)} queue(s) to add, {len(self.queues_remove)} to remove")
        head = self.summary or "ChangeSet"
        return f"{head} [{self.id}]: " + ", ".join(parts) + f" on dpid(s) {sorted(self.dpids())}"


def cookie_of(changeset_id: str) -> int:
    """0xA5 in the top byte, the first 56 bits of the id below it."""
    try:
        low = int(changeset_id, 16) >> 8
    except ValueError:
        raise ChangeSetError(f"ChangeSet id must be hex, got {changeset_id!r}") from None
    return (CHANGESET_COOKIE_BYTE << COOKIE_SHIFT) | (low & COOKIE_LOW_MASK)


def _no_duplicates(what: str, keys: list[Any]) -> None:
    seen: set[Any] = set()
    for key in keys:
        if key in seen:
            raise ChangeSetError(f"{what} lists the same entry twice: {key}")
        seen.add(key)

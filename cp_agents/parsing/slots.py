"""Slot filling: one builder per kind turns a sentence into that kind's params (missing -> None / []).

Builders only extract; whether what they found is enough is clarify.py's question, whether
it is allowed is safety's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cp_agents.parsing import entities as ent
from cp_agents.parsing.cues import NEGATED_VIA, words
from cp_agents.parsing.flowrule import flow_params
from cp_agents.parsing.lexicon import (
    DP_SERVICES,
    ICMP_WORDS,
    PORT_PROTOCOLS,
    SLICE_TYPES,
    WELL_KNOWN_SERVICES,
)
from cp_agents.parsing.quantities import bandwidth_mbps, latency_ms


@dataclass(frozen=True)
class Sentence:
    original: str
    norm: str          # lexicon.normalize_text(original)
    text: str          # norm with 'switch 3' -> 's3', 'host 2' -> 'h2'

    def mentions(self, exclude: tuple[str, ...] = ()) -> list[ent.Mention]:
        return [m for m in ent.names(self.text) if m.name not in exclude]


_NAME_STOP = frozenset({"for", "between", "from", "to", "with", "of", "that", "which", "the", "a", "an",
                        "and", "type", "called", "named", "is", "should", "must", "please", "at", "on", "in",
                        "guaranteeing", "latency", "bandwidth", "new", "existing", "my", "our", "this", "it",
                        "its", "slice", "slices", "network", "low", "high", "so", "by", "up", "down", "now",
                        "again", "instead", "rate", "capacity", "throughput", "delay", "name", "id",
                        "connecting", "linking", "carrying", "where", "will", "can", "as", "be", "too",
                        "also", "only", "just", "same", "whole", "entire", "one", "any", "all", "every",
                        "each", "some", "another", "other", "dedicated", "guaranteed", "reserved", "bound",
                        "budget", "target", "max", "min", "maximum", "minimum", "under", "below", "over",
                        "above", "into", "here", "there", "get", "gets", "has", "have", "without", "ultra",
                        "reliable", "massive", "mobile", "broadband", "enhanced", "machine", "would", "could",
                        "i", "we", "you", "me", "us", "via", "through", "across", "back", "it's", "that's",
                        "setting", "settings", "parameters", "size"})
_NOT_AFTER_SLICE = _NAME_STOP | {t for t in SLICE_TYPES}
_NAME_TOKEN = r"[\"']?([a-z][\w-]*)[\"']?"


def slice_name(text: str) -> str | None:
    quoted = re.search(r"slice\b[^\"']{0,20}[\"']([\w-]+)[\"']|[\"']([\w-]+)[\"']\s+slice", text)
    if quoted:
        return quoted.group(1) or quoted.group(2)
    for pattern in (r"\b(?:called|named|name|labell?ed|tagged|id|identifier)\s*[:=]?\s*" + _NAME_TOKEN,
                    r"\bslice\s*[:=#]?\s*" + _NAME_TOKEN,
                    _NAME_TOKEN + r"\s+slice\b"):
        for m in re.finditer(pattern, text):
            candidate = m.group(1).strip("-")
            if candidate and candidate not in _NOT_AFTER_SLICE and not re.fullmatch(r"\d+\w*", candidate):
                return candidate
    return None


def slice_type(text: str) -> str | None:
    for kind, names in SLICE_TYPES.items():
        if any(re.search(rf"\b{re.escape(w)}\b", text) for w in names):
            return kind
    return None


def acl_service(text: str) -> tuple[str | None, int | None]:
    """(proto, port) of an ACL: 'tcp port 8080', 'udp/53', '8080/tcp', 'ssh', 'ping', 'port 22'."""
    m = re.search(r"\b(tcp|udp)\s*(?:/|:)?\s*(?:port\s*)?(?:number\s*)?(\d{1,5})\b", text) or \
        re.search(r"\b(?:port\s*)?(\d{1,5})\s*/\s*(tcp|udp)\b", text)
    if m:
        groups = m.groups()
        proto, port = (groups[0], groups[1]) if groups[0] in ("tcp", "udp") else (groups[1], groups[0])
        return proto, int(port)
    for service, (proto, port) in WELL_KNOWN_SERVICES.items():
        if re.search(rf"\b{re.escape(service)}\b", text) and service != "openflow":
            return proto, port
    port_match = re.search(r"\bports?\s*(?:number\s*)?(\d{1,5})\b", text)
    proto_word = re.search(r"\b(tcp|udp)\b", text)
    if port_match:
        port = int(port_match.group(1))
        return (proto_word.group(1) if proto_word else PORT_PROTOCOLS.get(port, "tcp")), port
    if proto_word:
        return proto_word.group(1), None
    if any(re.search(rf"\b{w}\b", text) for w in ICMP_WORDS):
        return "icmp", None
    return None, None


def _src_dst(s: Sentence, exclude: tuple[str, ...] = ()) -> tuple[str | None, str | None]:
    return ent.src_dst(s.text, s.mentions(exclude))


def _slice_create(s: Sentence) -> dict[str, Any]:
    name = slice_name(s.text)
    endpoints = [m.name for m in s.mentions() if m.name != name]
    return {"name": name, "type": slice_type(s.text), "endpoints": endpoints,
            "bandwidth_mbps": bandwidth_mbps(s.norm, s.original), "latency_ms": latency_ms(s.norm)}


def _slice_modify(s: Sentence) -> dict[str, Any]:
    return {"name": slice_name(s.text), "bandwidth_mbps": bandwidth_mbps(s.norm, s.original),
            "latency_ms": latency_ms(s.norm)}


# 'isolate h3 from h4', 'disconnect veh1 from edge2': the verb's object is the source
_OBJECT_FROM = re.compile(r"\b(?:block|isolate|disconnect|cut off|cut|separate|shut out|lock out|keep|ban|"
                          r"reconnect|unblock)\s+(?:the\s+)?(" + ent.NAME + r")\s+(?:off\s+)?from\s+(?:the\s+)?("
                          + ent.NAME + r")\b")


def _acl(s: Sentence) -> dict[str, Any]:
    object_from = _OBJECT_FROM.search(s.text)
    src, dst = object_from.groups() if object_from else _src_dst(s)
    proto, port = acl_service(s.text)
    return {"src": src, "dst": dst, "proto": proto, "port": port}


def _rate(s: Sentence) -> dict[str, Any]:
    mentions = s.mentions()
    target = mentions[0].name if mentions else None
    return {"target": target, "bandwidth_mbps": bandwidth_mbps(s.norm, s.original)}


AVOID_MARKERS = "|".join([
    words("avoid", "avoids", "avoiding", "around", "away from", "bypass", "bypassing", "steer clear of",
          "exclude", "excluding", "stay off", "keep off", "keep away from", "detour around", "route around",
          "other than", "instead of", "shun", "sidestep", "skip", "skipping", "off of", "off",
          "not (?:go |pass |run )?(?:through|via|over|across)",
          "without (?:using|going through|touching|crossing|traversing|passing)"),
    r"\b(?:don'?t|do not|doesn'?t|does not|won'?t|will not|shouldn'?t|should not|must not|mustn'?t|never) "
    r"(?:use|touch|cross|traverse|transit|hit|enter)\b",
])
VIA_MARKERS = words("through", "via", r"pass(?:es)?(?!\s+\S+\s+to\b)", "passing", "traverse", "traversing",
                    "transit", r"cross(?!\s+\S+\s+to\b)", "crossing", "by way of", "waypoints?",
                    "hop through", "hairpin through", "inspected (?:at|by)", "inspection (?:at|by)",
                    "scrubbed (?:at|by)", "go by", "goes by", "visit", "visiting")


def _path_avoid(s: Sentence) -> dict[str, Any]:
    avoid, spans = ent.names_after(s.text, AVOID_MARKERS)
    if not avoid and NEGATED_VIA.search(s.text):
        avoid, spans = ent.names_after(s.text, VIA_MARKERS)
    if not avoid:
        avoid = ["-".join(ends) for ends, _, _ in ent.links(s.text)]
        spans = [(start, end) for _, start, end in ent.links(s.text)]
    remaining = ent.outside(ent.names(s.text), spans + [(start, end) for _, start, end in ent.links(s.text)])
    src, dst = ent.src_dst(s.text, remaining)
    return {"src": src, "dst": dst, "avoid": avoid}


def _path_via(s: Sentence) -> dict[str, Any]:
    via, spans = ent.names_after(s.text, VIA_MARKERS)
    src, dst = ent.src_dst(s.text, ent.outside(ent.names(s.text), spans))
    return {"src": src, "dst": dst, "via": [v for v in via if "-" not in v]}


def _node(s: Sentence) -> dict[str, Any]:
    mentions = s.mentions()
    return {"node": mentions[0].name if mentions else None}


def _link(s: Sentence) -> dict[str, Any]:
    found = ent.links(s.text)
    if found:
        return {"link": found[0][0]}
    distinct = ent.ordered_unique([m.name for m in s.mentions()])
    return {"link": sorted(distinct) if len(distinct) == 2 else []}


def _query(s: Sentence) -> dict[str, Any]:
    src, dst = _src_dst(s)
    return {"src": src, "dst": dst}


def dp_service(text: str) -> str | None:
    hits = [(text.find(w), service) for service, words in DP_SERVICES.items() for w in words
            if re.search(rf"\b{re.escape(w)}\b", text)]
    return min(hits)[1] if hits else None


def _service(s: Sentence) -> dict[str, Any]:
    near = re.search(r"\b(?:near|at|on|close to|next to|by|in|beside|around|nearby|adjacent to)\s+(?:the\s+)?"
                     r"(?:node\s+|switch\s+|edge\s+|site\s+)?(" + ent.NAME + r")\b", s.text)
    mentions = s.mentions()
    node = near.group(1) if near else (mentions[0].name if mentions else None)
    return {"service": dp_service(s.text), "near": node, "latency_ms": latency_ms(s.norm)}


BUILDERS: dict[str, Callable[[Sentence], dict[str, Any]]] = {
    "slice.create": _slice_create,
    "slice.modify": _slice_modify,
    "slice.delete": lambda s: {"name": slice_name(s.text)},
    "acl.block": _acl,
    "acl.allow": _acl,
    "rate.limit": _rate,
    "path.avoid": _path_avoid,
    "path.via": _path_via,
    "node.drain": _node,
    "whatif.link_down": _link,
    "whatif.node_down": _node,
    "query.reachability": _query,
    "query.path": _query,
    "flow.add": lambda s: flow_params(s.norm),
    "service.deploy": _service,
}


def build_params(kind: str, sentence: Sentence) -> dict[str, Any]:
    return BUILDERS[kind](sentence)

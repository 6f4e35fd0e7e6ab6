"""Clarification rules: what each kind needs before planning can start, and the question to ask."""

from __future__ import annotations

import re
from typing import Any

from cp_agents.parsing.entities import names

_EXCEPTIONS = re.compile(r"\b(?:except|but not|other than|apart from|besides|excluding|unless)\b")
_RELATIVE = re.compile(r"\bby\s+\d|\badd\b|\bmore\b|\bextra\b|\banother\b|%|\bpercent\b")
_ABSOLUTE = re.compile(r"\b(?:to|at|=|of)\s*\d")
_SECOND_SLICE = re.compile(r"\bslices?\b.*\b(?:and|,)\s+(?:the\s+)?(?:slice\s+)?[a-z][\w-]*\s*(?:slice)?\s*$"
                           r"|\bslices\b")
_SINGLE_NAME_KINDS = {"node.drain": 1, "whatif.node_down": 1, "rate.limit": 1, "acl.block": 2, "acl.allow": 2}


def _need(params: dict[str, Any], *keys: str) -> list[str]:
    return [k for k in keys if params.get(k) in (None, [], {})]


def missing(kind: str, params: dict[str, Any]) -> list[str]:
    """Names of the required params that are missing (empty list: nothing missing)."""
    if kind == "slice.create":
        gaps = _need(params, "name")
        if len(params.get("endpoints") or []) < 2:
            gaps.append("endpoints")
        if not (params.get("bandwidth_mbps") or params.get("latency_ms") or params.get("type")):
            gaps.append("bandwidth_mbps or latency_ms")
        return gaps
    if kind == "slice.modify":
        gaps = _need(params, "name")
        if params.get("bandwidth_mbps") is None and params.get("latency_ms") is None:
            gaps.append("bandwidth_mbps or latency_ms")
        return gaps
    required = {
        "slice.delete": ("name",), "acl.block": ("src", "dst"), "acl.allow": ("src", "dst"),
        "rate.limit": ("target", "bandwidth_mbps"), "path.avoid": ("avoid",),
        "path.via": ("src", "dst", "via"),
        "node.drain": ("node",), "whatif.link_down": ("link",), "whatif.node_down": ("node",),
        "query.reachability": ("src", "dst"), "query.path": ("src", "dst"), "flow.add": ("dpid",),
        "service.deploy": ("service",),
    }
    gaps = _need(params, *required.get(kind, ()))
    if kind == "flow.add" and not params.get("match") and not params.get("actions"):
        gaps.append("match or actions")
    return gaps


def ambiguity(kind: str, params: dict[str, Any], text: str) -> str | None:
    """A reason to ask back even though every required param is there."""
    if kind in ("acl.block", "acl.allow") and _EXCEPTIONS.search(text):
        return "ACL exceptions ('all but X') are not supported; state each block or allow separately."
    limit = _SINGLE_NAME_KINDS.get(kind)
    if limit and len({m.name for m in names(text)}) > limit:
        return f"Name {'one node' if limit == 1 else 'one source and one destination'} at a time for {kind}."
    if kind in ("slice.delete", "slice.modify") and _SECOND_SLICE.search(text):
        return f"Name one slice at a time for {kind}."
    if kind == "slice.modify" and _RELATIVE.search(text) and not _ABSOLUTE.search(text):
        return "Give the slice's new value (e.g. 'to 300 Mbps'), not a change relative to the current one."
    if kind in ("acl.block", "acl.allow", "query.reachability", "query.path", "path.via", "path.avoid") \
            and params.get("src") and params.get("src") == params.get("dst"):
        return "Source and destination are the same node; name two different ones."
    return None


_HINTS = {
    "slice.create": "e.g. 'create an urllc slice ctrl between veh1 and edge2 with 10 ms latency'",
    "slice.modify": "e.g. 'increase slice video to 250 Mbps'",
    "slice.delete": "e.g. 'delete slice video'",
    "acl.block": "e.g. 'block ssh from h1 to h3'",
    "acl.allow": "e.g. 'allow h1 to reach h3 again'",
    "rate.limit": "e.g. 'limit veh1 to 10 Mbps'",
    "path.avoid": "e.g. 'route cam1 to edge2 traffic around du2'",
    "path.via": "e.g. 'send h1 to h5 traffic through fw1'",
    "node.drain": "e.g. 'drain du1 for maintenance'",
    "whatif.link_down": "e.g. 'what if link cu1-du2 fails'",
    "whatif.node_down": "e.g. 'what if cu1 goes down'",
    "query.reachability": "e.g. 'can cam2 reach edge1'",
    "query.path": "e.g. 'show the path from veh3 to cloud1'",
    "flow.add": "e.g. 'on switch 5 send tcp port 443 traffic for 10.0.0.7 out of port 3'",
    "service.deploy": "e.g. 'deploy license plate recognition near ru1'",
}


def question(kind: str, gaps: list[str]) -> str:
    return f"This looks like {kind}, but {', '.join(gaps)} is missing; please say it ({_HINTS[kind]})."


UNCLEAR = ("The goal is unclear: say what to change or ask, e.g. create/modify/delete a slice, block or "
           "allow traffic, limit a host, steer a path, drain a node, a what-if, or a reachability or path "
           "query.")

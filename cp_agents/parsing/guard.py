"""The refusal layer applied to a classified intent (after the parser, after any LLM).

`guard(text, intent)` returns the intent unchanged, or a refusal: the text screen runs again
and per-kind parameter rules catch what only the parameters reveal (an empty-match drop rule,
a rate of zero, a wildcard target). Nothing downstream may turn a refusal back into 'ok'.
"""

from __future__ import annotations

import re
from typing import Any

from cp_agents.parsing.intent import Intent
from cp_agents.parsing.safety import Refusal, mentions_everyone, screen_text

_WILDCARDS = frozenset({"all", "any", "*", "everyone", "everything", "everybody", "network", "0.0.0.0/0",
                        "every", "anyone", "all-hosts", "allhosts", "any-any", "internet"})
_CONCRETE = frozenset({"in_port", "ipv4_src", "ipv4_dst", "ipv6_src", "ipv6_dst", "eth_src", "eth_dst",
                       "tcp_dst", "udp_dst", "tcp_src", "udp_src", "vlan_vid"})
_WIDE = re.compile(r"/(?:[0-9]|1[0-9]|2[0-3])$")


def _values(params: dict[str, Any]) -> list[str]:
    flat: list[str] = []
    for value in params.values():
        items = value if isinstance(value, list) else [value]
        flat += [str(v).lower() for v in items if isinstance(v, str)]
    return flat


def _flow_refusal(params: dict[str, Any]) -> str | None:
    match, actions = params.get("match") or {}, params.get("actions") or []
    if not match:
        return "A flow rule with an empty match takes over every packet on the switch; refused. Add a match."
    if not actions and not match.keys() & _CONCRETE:
        return ("A drop rule that matches a whole protocol or all IP traffic blinds the switch; refused. "
                "Match an address, an in_port or a port.")
    if any(isinstance(v, str) and _WIDE.search(v) for v in match.values()):
        return "A flow rule on an address range wider than /24 affects a large part of the network; refused."
    return None


def screen_params(kind: str | None, params: dict[str, Any], text: str) -> str | None:
    """A refusal reason that only the classified parameters reveal, or None."""
    if kind is None:
        return None
    if _WILDCARDS & set(_values(params)):
        return ("Wildcard targets (all, any, everyone) would affect the whole network; refused. "
                "Name the nodes.")
    if kind in ("acl.block", "acl.allow", "rate.limit") and mentions_everyone(text):
        return "This would apply to every host at once; refused. Name the hosts it is for."
    if kind == "rate.limit" and params.get("bandwidth_mbps") == 0:
        return "A rate limit of zero blocks the host entirely; refused. Use an ACL block between named hosts."
    if kind == "flow.add":
        return _flow_refusal(params)
    return None


def check(text: str, kind: str | None, params: dict[str, Any]) -> Refusal | None:
    refusal = screen_text(text)
    if refusal is not None:
        return refusal
    reason = screen_params(kind, params, text)
    return Refusal("params", reason, kind or "") if reason else None


def guard(text: str, intent: Intent) -> Intent:
    """The intent, or a refusal if the text or its parameters are unsafe. Refusals stay refusals."""
    if intent.status == "refused":
        return intent
    refusal = check(text, intent.kind, intent.params)
    if refusal is None:
        return intent
    return Intent.refused(refusal.reason, kind=intent.kind, params=intent.params)

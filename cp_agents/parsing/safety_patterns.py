"""Pattern families of the refusal layer (see safety.py), composed from safety_vocabulary.

Each family is (name, reason, pattern, exemption); the exemption (or None) says when a hit
is in fact scoped to named endpoints (e.g. 'drop everything from 10.0.0.8 to 10.0.0.2').
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cp_agents.parsing.safety_vocabulary import (
    HYPOTHETICAL_WORDS,
    INJECTION,
    MAINTENANCE_WORDS,
    O_ALL,
    O_AUDIT,
    O_CONFIG,
    O_CTRL,
    O_FLOWTABLE,
    O_MASS,
    O_NET_PLURAL,
    O_NET_SINGULAR,
    O_NETWHOLE,
    O_RULES_OWNED,
    O_RULES_STANDALONE,
    OFF_TOPIC,
    P_AUDIT_OFF,
    P_CTRL_DOWN,
    P_DELETED,
    P_DOWN,
    P_WHOLE_DOWN,
    PUSH_UNCHECKED,
    QUANT,
    STANDALONE_AUDIT,
    UNIVERSAL_WORDS,
    V_ALLOW_ALL,
    V_AUDIT,
    V_BLOCK,
    V_BYPASS,
    V_DELETE,
    V_DOWN,
    V_OVERRIDE,
    V_STOP,
    V_THROTTLE,
    V_WIPE_STRONG,
)

_GAP = r"(?:\W+[\w'-]+){0,%d}?\W+"


def _near(a: str, b: str, window: int = 6) -> str:
    """a, then b within `window` words (in that order)."""
    return rf"\b(?:{a})\b" + _GAP % window + rf"(?:{b})\b"


def _either(a: str, b: str, window: int = 6) -> str:
    return _near(a, b, window) + "|" + _near(b, a, window)


def _any(*patterns: str) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


O_ALL_BLOCKS = O_ALL + r"|all blocks|every block|all acls|all the blocks"
O_RULES = O_RULES_OWNED + "|" + O_RULES_STANDALONE
O_NET_ALL = (rf"(?:all|entire|whole|complete)\W+(?:\w+\W+)?(?:{O_NET_PLURAL})|"
             rf"(?:every|each|any)\W+(?:\w+\W+)?(?:{O_NET_SINGULAR}|{O_NET_PLURAL})")
_EVERYWHERE = r"everywhere|network-wide|across the (?:whole |entire )?network|on all switches|on every switch"
_DOWN_VERB = r"disable|shut|down|block|drop|kill|cut|remove|delete"
_WIDE_CIDR = r"(?:\d{1,3}\.){3}\d{1,3}/(?:[0-9]|1[0-9]|2[0-3])"

UNIVERSAL = re.compile(rf"\b(?:{UNIVERSAL_WORDS})(?!\w)")
_ENTITY = re.compile(r"(?<![\w.])(?:[a-z][a-z_]*\d+|(?:\d{1,3}\.){3}\d{1,3})(?![\w])")
_WIDE_PREFIX = re.compile(_WIDE_CIDR + r"\b")


def _scoped(form: str) -> bool:
    """Two distinct named endpoints and no 'everyone'-style target: 'drop everything from h1 to h3'."""
    named = len(set(_ENTITY.findall(form))) >= 2
    return named and not UNIVERSAL.search(form) and not _WIDE_PREFIX.search(form)


_R_FLOWS = ("Deleting flow tables or bulk-removing rules would take down forwarding on the whole network; "
            "it is refused. Remove one specific change (a slice, an ACL block) by name instead.")
_R_CTRL = ("Stopping, restarting or tampering with the SDN controller would leave the network without "
           "control; refused.")
_R_PORTS = ("Disabling or blocking every port, link, switch or host would take the network down; refused. "
            "Name one node to drain, or ask a what-if question.")
_R_BLOCK_ALL = ("Blocking all traffic (or everyone) would blind the network; refused. Name a source and a "
                "destination to block between.")
_R_ALLOW_ALL = ("Allowing all traffic (or lifting every block) would remove every access control at once; "
                "refused. Name a source and a destination to allow between.")
_R_WIPE = "Wiping, resetting or taking down the whole network is refused."
_R_RULES = ("The agent's rules, safety checks, twin validation and approval cannot be switched off or "
            "bypassed; refused.")
_R_AUDIT = "The audit trail cannot be disabled, edited or bypassed; every change is recorded. Refused."
_R_INJECTION = ("The request tries to change the agent's instructions or role; refused. State a network "
                "operation instead.")
_R_OFF_TOPIC = ("That is not a network operation; this agent only plans slices, ACLs, rate limits, path "
                "steering, drains, what-if analyses, queries, flow rules and edge service deployments.")
_R_THROTTLE = ("Throttling every host or the whole network would degrade everything at once; refused. "
               "Name one host.")
_R_WIDE = ("A rule that matches a whole address range (wider than /24) would cut off a large part of the "
           "network; refused.")

FAMILIES: list[tuple[str, str, re.Pattern, Callable[[str], bool] | None]] = [
    ("injection", _R_INJECTION, re.compile(INJECTION), None),
    ("flows", _R_FLOWS, _any(
        _either(V_DELETE, O_FLOWTABLE, 6),
        _near(V_DELETE, rf"(?:{QUANT})(?:\W+\w+){{0,3}}?\W+(?:{O_MASS})", 3),
        _near(O_FLOWTABLE, P_DELETED, 5), _near(V_DELETE, O_CONFIG, 4),
        r"\b(?:no|zero|without any) (?:flows|flow entries|rules) "
        r"(?:left|remain|remaining|at all|installed)\b",
        r"\bempty (?:the |all |every )?(?:flow )?tables?\b|\bfactory (?:reset|defaults?)\b"), None),
    ("controller", _R_CTRL, _any(_either(V_STOP, O_CTRL, 6), _near(O_CTRL, P_CTRL_DOWN, 4)), None),
    ("all-ports", _R_PORTS, _any(
        _near(V_DOWN, O_NET_ALL, 6), _near(O_NET_ALL, P_DOWN, 5),
        rf"\b(?:{_EVERYWHERE})\b(?=.*\b(?:{_DOWN_VERB})\b)",
        rf"\b(?:{_DOWN_VERB})\b.*\b(?:{_EVERYWHERE})\b"), None),
    ("block-everything", _R_BLOCK_ALL, re.compile(_either(V_BLOCK, O_ALL, 6)), _scoped),
    ("allow-everything", _R_ALLOW_ALL, re.compile(_either(V_ALLOW_ALL, O_ALL_BLOCKS, 4)), _scoped),
    ("wide-prefix", _R_WIDE, re.compile(_near(V_BLOCK, _WIDE_CIDR, 6)), None),
    ("wipe", _R_WIPE, _any(_near(V_WIPE_STRONG, O_NETWHOLE, 3), _near(O_NETWHOLE, P_WHOLE_DOWN, 3)), None),
    ("rules", _R_RULES,
     _any(_near(V_OVERRIDE, O_RULES_OWNED, 4), _near(V_BYPASS, O_RULES, 4), PUSH_UNCHECKED), None),
    ("audit", _R_AUDIT,
     _any(_near(V_AUDIT, O_AUDIT, 4), _near(O_AUDIT, P_AUDIT_OFF, 3), STANDALONE_AUDIT), None),
    ("throttle-everyone", _R_THROTTLE, re.compile(_near(V_THROTTLE, UNIVERSAL_WORDS, 6)), None),
    ("off-topic", _R_OFF_TOPIC, re.compile(OFF_TOPIC), None),
]

# a single element taken down for real (not hypothetically, not a drain)
_HARD_DOWN = (r"power[- ]?cycle|bounce|shut ?down|shutdown|shut off|shut|power off|power down|turn off|"
              r"switch off|kill|disable|"
              r"take down|bring down|unplug|sever|disconnect|crash|reboot|restart|reset|break|fail|cut|"
              r"knock out|deactivate|admin down")
_ELEMENT_WORDS = r"the|node|switch|link|port|interface|router|cable|fiber|between|connection|uplink"
SINGLE_ELEMENT_DOWN = _any(
    rf"\b(?:{_HARD_DOWN})\s+(?:(?:{_ELEMENT_WORDS})\s+)*(?:[a-z][a-z_]*\d+|\d+)\b"
    r"(?!\s*(?:off|from|to|between|for|traffic)\b)",
    r"\b(?:cut|sever|unplug|break|disable|shut|take down|bring down)\s+(?:the\s+)?"
    r"(?:link|cable|fiber|fibre|uplink|connection|port|interface)s?\b(?!\s*\d)")
HYPOTHETICAL = re.compile(rf"\b(?:{HYPOTHETICAL_WORDS})\b")
MAINTENANCE = re.compile(rf"\b(?:{MAINTENANCE_WORDS})\b")

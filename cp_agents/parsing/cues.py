"""Rule cues for the kind decision: keyword families that vote for a kind, with weights.

The retrieval vote (classifier.py) generalises over phrasings it has seen; these cues carry
the operator's key verbs and the entities a kind needs, so a new phrasing with a familiar
verb still lands. Each cue is (kind, weight, pattern); weights add up per kind.
"""

from __future__ import annotations

import re

from cp_agents.parsing.lexicon import DP_SERVICES


def words(*phrases: str) -> str:
    """Whole-word alternatives: words('a', 'b c') matches 'a' or 'b c' between word boundaries."""
    return r"\b(?:" + "|".join(phrases) + r")\b"


QUESTION = re.compile(words("can", "could", "is", "are", "does", "do", "will", "would", "check", "verify",
                            "test", "tell me", "show", "whether", "confirm", "see if") + r"|\?$")
_NEGATION = r"(?:don'?t|do not|doesn'?t|does not|won'?t|will not|shouldn'?t|should not|must not|mustn'?t|never)"
_REACH = r"(?:talk|reach|ping|access|connect|send|contact|see|communicate|ssh|telnet|rdp|log ?in|use)"

SLICE_TYPE = words("embb", "urllc", "mmtc", "enhanced mobile broadband", "ultra[- ]reliable",
                   "massive (?:iot|machine)")
SLICE_CREATE = words("create", "new", "provision", "set up", "setup", "make", "establish", "add", "build",
                     "spin up", "reserve", "allocate", "instantiate", "configure", "i need", "i want",
                     "need a", "want a", "give me", "carve", "dedicate", "i'd like")
SLICE_MODIFY = words("increase", "decrease", "change", "modify", "update", "raise", "lower", "tighten",
                     "relax", "loosen", "bump", "resize", "scale", "upgrade", "boost", "reduce", "adjust",
                     "double", "halve", "extend", "alter", "expand", "shrink", "grow", "downgrade", "lift",
                     "set", "make", "give")
SLICE_MODIFY_AFTER = words("increase", "decrease", "change", "modify", "update", "raise", "lower", "tighten",
                           "relax", "bump", "resize", "scale", "upgrade", "boost", "reduce", "adjust", "now",
                           "instead", "up to", "down to")
SLICE_DELETE = words("delete", "remove", "tear down", "teardown", "drop", "destroy", "release",
                     "decommission", "get rid of", "cancel", "free up", "deprovision", "terminate", "kill",
                     "retire", "scrap", "dismantle", "undo", "discard", "clean up", "no longer need",
                     "don'?t need")
SLICE_DELETED = words("deleted", "removed", "gone", "torn down", "released", "no longer needed",
                      "isn'?t needed", "not needed")
BLOCK = "|".join([
    words("block", "blocks", "deny", "drop", "reject", "forbid", "prevent", "stop", "disallow", "prohibit",
          "firewall", "filter", "ban", "cut off", "isolate", "blacklist", "blocklist", "quarantine", "refuse",
          "shut out", "lock out", "keep .{1,20} from", "disconnect", "separate"),
    words("blocked", "denied", "dropped", "rejected", "forbidden", "prohibited", "banned", "filtered",
          "disallowed"),
    rf"\b(?:{_NEGATION}|cannot|can'?t|may not) (?:be able to )?{_REACH}",
    rf"\b{_NEGATION} (?:let|allow|permit)\b", r"\bnot allowed\b",
    r"\bno (?:more )?(?:ssh|http|https|dns|traffic|access|ping|pings|icmp|telnet|tcp|udp)\b",
])
ALLOW = "|".join([
    words("allow", "allows", "reconnect", "permit", "unblock", "lift", "re-?enable", "re-?allow", "restore",
          "whitelist", "allowlist", "accept", "let", "open up", "reopen", "unban", "un-?block", "reinstate",
          "undo the block", "remove the block", "remove the deny", "no longer block", "stop blocking",
          "stop denying", "give .{1,20} access"),
    rf"^(?!(?:can|could|is|are|does|do|will|check|verify|test)\b).*"
    rf"\b(?:may|can|should be able to|is allowed to|are allowed to|be allowed to)\s+(?:now\s+)?{_REACH}",
])
RATE = "|".join([
    words("limit", "cap", "caps", "capped", "throttle", "rate[- ]?limit", "police", "restrict", "shape",
          "no more than", "more than", "at most", "maximum", "max", "ceiling", "clamp", "slow down",
          "not exceed", "exceed", "upper bound", "budget of", "hogging"),
    r"\b(?:hold|keep) .{0,30}\b(?:under|below|within|at or below|to at most)\b",
])
AVOID = "|".join([
    words("avoid", "avoids", "avoiding", "around", "away from", "bypass", "bypassing", "steer clear",
          "exclude", "excluding", "stay off", "keep off", "keep away", "detour", "route around", "other than",
          "instead of", "shun", "sidestep", "skip", "skipping", "not (?:go )?(?:through|via|over)",
          "without (?:using|going through|touching|crossing|traversing)"),
    rf"\b{_NEGATION} (?:use|touch|cross|traverse|transit|hit|enter)\b",
    r"\b(?:keep|stay|get|move|steer) .{0,40}\boff\b",
])
VIA = words("through", "via", "inspected", "scrubbed", "pass", "passes", "passing", "traverse", "traversing",
            "transit", "cross", "crossing", "by way of", "waypoints?", "hop through", "hairpin", "inspect",
            "inspection", "scrubb(?:er|ing)", "detour through", "goes? through", "go by",
            "steer .{1,40} (?:to|into)")
DRAIN = words("drain", "draining", "maintenance", "out of service", "evacuate", "cordon", "decommission",
              "out of rotation", "service window", "upgrade window", "planned work",
              "(?:move|shift|migrate|reroute|steer|take) (?:all )?(?:the )?(?:traffic|flows|load|everything) "
              "(?:off|away from|out of)",
              "(?:empty|vacate|offload|unload) (?:the )?(?:node|switch)?", "take .{1,20} (?:out|offline)")
_WHATIF_COMMON = ("what if", "what happens", "what would happen", "what breaks", "simulate", "simulation",
                  "suppose", "hypothetical", "hypothetically", "imagine", "impact", "effect of", "failure", "outage",
                  "blast radius", "would break", "how bad", "were to", "in case", "fails?", "goes down",
                  "went down", "dies", "lost", "what-if", "whatif", "down")
WHATIF_LINK = words(*_WHATIF_COMMON, "is cut", "breaks", "loses", "cut", "cutting", "severed", "broken",
                    "unplugged")
WHATIF_NODE = words(*_WHATIF_COMMON, "crash(?:es)?", "dead", "reboots?", "loses power", "power loss", "offline")
REACHABILITY = words("reach", "reachable", "reachability", "talk to", "talk with", "connect to", "connected",
                     "communicate", "connectivity", "ping", "access", "get to", "see", "contact", "hear")
PATH = words("path", "paths", "route", "routed", "routes", "hops?", "which way", "travels?", "traceroute",
             "trace", "go from", "get from", "gets? from", "flows? from", "forwarded",
             "which (?:switches|links|nodes)")
FLOW = words("flow (?:rule|entry)", "flow-mod", "flowmod", "install", "match", "action", "in_port",
             "out port", "output", "queue", "eth_type", "ethertype", "arp", "lldp", "vlan", "dscp",
             "priority", "dpid", r"openflow \d", "forwards?", "echo requests?", "packets?")
SERVICE_NAME = words(*(re.escape(w) for names in DP_SERVICES.values() for w in names))
SERVICE_VERB = words("deploy", "run", "start", "launch", "place", "host", "schedule", "spin up",
                     "instantiate", "bring up")

_CUES: list[tuple[str, float, str]] = [
    ("slice.create", 0.6, r"\bslices?\b"),
    ("slice.create", 0.8, SLICE_CREATE + r".*\bslice"),
    ("slice.create", 0.9, SLICE_TYPE),
    ("slice.modify", 1.4, SLICE_MODIFY + r".*\bslice|\bslice\b.*" + SLICE_MODIFY_AFTER),
    ("slice.delete", 1.8, SLICE_DELETE + r".*\bslice|\bslice\b.*" + SLICE_DELETED),
    ("acl.block", 1.2, BLOCK),
    ("acl.allow", 1.2, ALLOW),
    ("rate.limit", 1.2, RATE),
    ("path.avoid", 1.5, AVOID),
    ("path.via", 1.3, VIA),
    ("node.drain", 1.8, DRAIN),
    ("whatif.link_down", 1.0, WHATIF_LINK),
    ("whatif.node_down", 1.0, WHATIF_NODE),
    ("query.reachability", 1.0, REACHABILITY),
    ("query.path", 1.2, PATH),
    ("flow.add", 0.4, FLOW),
    ("service.deploy", 3.0, SERVICE_NAME),
    ("service.deploy", 0.5, SERVICE_VERB),
]
CUES = [(kind, weight, re.compile(pattern)) for kind, weight, pattern in _CUES]

# 'don't route it through du3' is an avoid, 'stop blocking' an allow, 'don't let' a block
NEGATED_VIA = re.compile(r"\b(?:don'?t|do not|never|not|shouldn'?t|should not|must not|mustn'?t|no longer)\b"
                         r"(?:\W+\w+){0,6}?\W+(?:through|via|over|across|traverse|cross|pass)\b")
NEGATED_ALLOW = re.compile(r"\b(?:don'?t|do not|never|no longer|stop|not) "
                           r"(?:let|allow|allowing|permit|permitting)\b"
                           r"|\bnot (?:be )?(?:allowed|permitted)\b")
NEGATED_BLOCK = re.compile(r"\b(?:no longer|stop|quit|don'?t|do not|never) "
                           r"(?:block|blocking|deny|denying|drop|dropping|filter|filtering)\b"
                           r"|\bunblock|\bremove (?:the )?(?:block|deny|acl)")


def cue_scores(text: str) -> dict[str, float]:
    """Kind -> summed weight of the cues found in the (normalised) text."""
    scores: dict[str, float] = {}
    for kind, weight, pattern in CUES:
        if pattern.search(text):
            scores[kind] = scores.get(kind, 0.0) + weight
    _flip(scores, NEGATED_ALLOW, text, gain="acl.block", lose="acl.allow", weight=1.5)
    _flip(scores, NEGATED_VIA, text, gain="path.avoid", lose="path.via", weight=2.0)
    _flip(scores, NEGATED_BLOCK, text, gain="acl.allow", lose="acl.block", weight=1.5)
    return scores


def _flip(scores: dict[str, float], pattern: re.Pattern, text: str, gain: str, lose: str,
          weight: float) -> None:
    """A negation turns one kind's cue into its opposite's."""
    if pattern.search(text):
        scores[gain] = scores.get(gain, 0.0) + weight
        scores.pop(lose, None)

"""Entities in an operator's sentence: node names, links, waypoints, source and destination.

Works on text from `lexicon.normalize_text`. Node names are letters followed by digits (h1, s3,
cam1, du2, fw1, edge1, cloud1, cu1_srv); 'switch 3' and 'host 2' become s3 and h2. Each
finder reports spans so that later finders ignore names already used (a link's ends, a
waypoint) when they look for the source and destination.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_NODES = frozenset({"ipv4", "ipv6", "l2", "l3", "l4", "l7", "mp4", "h264", "h265", "x86", "http2",
                        "http3", "iperf3", "pop3", "md5", "sha256", "sha1", "tls13", "v1", "v2", "v3",
                        "s3cmd", "q1", "q2", "q3", "q4", "p4", "dscp46", "vlan10", "icmpv4", "icmpv6",
                        "ofp13", "of13", "x1", "x2", "cat5", "cat6", "mtu1500", "utf8", "ec2", "arm64"})
NAME = r"[a-z][a-z_]*\d+(?:_srv)?"
_NAME_RE = re.compile(r"(?<![\w./:-])(" + NAME + r")(?![\w/]|[.:]\w)")
_LINK_RE = re.compile(r"(?<![\w.])(" + NAME + r")\s*(?:<->|<-->|--|-|/|<=>|↔)\s*(" + NAME + r")(?![\w])")
_LINK_WORDS = r"(?:link|links|cable|connection|trunk|uplink|fiber|fibre|edge|hop|span|wire)"
_LINK_PHRASES = [
    re.compile(_LINK_WORDS + r"\s+(?:between|from|connecting|joining|linking|of)?\s*(?:the\s+)?(" + NAME
               + r")\s*(?:and|to|&|,|with)?\s*(?:the\s+)?(" + NAME + r")\b"),
    re.compile(r"(?<![\w.])(" + NAME + r")\s*(?:and|to|&|,|<->)?\s*(" + NAME + r")\s+" + _LINK_WORDS + r"\b"),
]
_ALIASES = [(re.compile(r"\b(?:switch|sw|bridge)\s*(?:no\.?|number|#)?\s*(\d+)\b"), "s"),
            (re.compile(r"\bhost\s*(?:no\.?|number|#)?\s*(\d+)\b"), "h")]
IPV4 = r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?:/\d{1,2})?(?![\d.])"


@dataclass(frozen=True)
class Mention:
    name: str
    start: int
    end: int


_ARROW = re.compile(r"\s*(?:->|=>|→|⇒|-to-)\s*")
_POSSESSIVE = re.compile(r"(?<=[a-z0-9])'s\b")


def expand_aliases(text: str) -> str:
    """'switch 3' -> 's3', 'host 2' -> 'h2' (the Mininet names an operator means); 'a -> b' and
    'a-to-b' -> 'a to b'; possessives dropped ('slice's' -> 'slice')."""
    text = _POSSESSIVE.sub("", _ARROW.sub(" to ", text))
    for pattern, prefix in _ALIASES:
        text = pattern.sub(lambda m, p=prefix: f"{p}{int(m.group(1))}", text)
    return text


def names(text: str) -> list[Mention]:
    found = [Mention(m.group(1), m.start(1), m.end(1)) for m in _NAME_RE.finditer(text)]
    return [m for m in found if m.name not in _NOT_NODES and not re.fullmatch(r"[a-z]+0\d+", m.name)]


def links(text: str) -> list[tuple[list[str], int, int]]:
    """Links as (sorted ends, start, end): 's1-s4', 'link between cu1 and du2', 'the cu1 du2 link'."""
    found: list[tuple[list[str], int, int]] = []
    for pattern in (_LINK_RE, *_LINK_PHRASES):
        for m in pattern.finditer(text):
            ends = [m.group(1), m.group(2)]
            if ends[0] != ends[1] and not any(_overlaps(m.start(), m.end(), s, e) for _, s, e in found) \
                    and not any(end in _NOT_NODES for end in ends):
                found.append((sorted(ends), m.start(), m.end()))
    return sorted(found, key=lambda item: item[1])


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def outside(mentions: list[Mention], spans: list[tuple[int, int]]) -> list[Mention]:
    return [m for m in mentions if not any(_overlaps(m.start, m.end, s, e) for s, e in spans)]


_FILLERS = frozenset({"the", "node", "nodes", "switch", "switches", "firewall", "router", "and", "then", "or",
                      "followed", "by", "before", "finally", "after", "that", "a", "an", "inspection", "box",
                      "link", "links", "both", "either", "also", "next", "lastly", "first", "host",
                      "middlebox", "dpi", "ids", "waypoint", "waypoints", "proxy", "next,", "via", "through",
                      "cross", "server", "appliance", "scrubber", "ips", "of", "finally,"})
_TOKEN = re.compile(NAME + r"\s*(?:<->|--|-|/)\s*" + NAME + r"|" + NAME + r"|[a-z]+|->|=>|,|[^\s\w]")


def names_after(text: str, markers: str) -> tuple[list[str], list[tuple[int, int]]]:
    """Names (and 'a-b' links) listed after a marker phrase, in order: 'via cu2 then core1'."""
    collected: list[str] = []
    spans: list[tuple[int, int]] = []
    for marker in re.finditer(markers, text):
        for token in _TOKEN.finditer(text, marker.end()):
            word = token.group(0)
            if re.fullmatch(NAME + r"\s*(?:<->|--|-|/)\s*" + NAME, word):
                ends = sorted(re.split(r"\s*(?:<->|--|-|/)\s*", word))
                item = "-".join(ends)
            elif re.fullmatch(NAME, word) and word not in _NOT_NODES:
                item = word
            elif word in _FILLERS or word in {",", "->", "=>", "&"}:
                continue
            else:
                break
            if item not in collected:
                collected.append(item)
            spans.append((token.start(), token.end()))
    return collected, spans


_SRC_BEFORE = re.compile(r"(?:\bfrom|\bsource|\bsrc|\bsender|\boriginating at|\boriginating from)\s+"
                         r"(?:the\s+)?(?:host\s+|node\s+)?$")
_DST_BEFORE = re.compile(r"(?:\b(?:to|towards?|into|reach|reaching|ping|pinging|access|accessing|dst|"
                         r"destination|destined for|for|contact|see|hit|with|and)|->|=>|→)\s+"
                         r"(?:the\s+)?(?:host\s+|node\s+|server\s+)?$")


def src_dst(text: str, mentions: list[Mention]) -> tuple[str | None, str | None]:
    """Source and destination among the mentions: 'from' marks a source, 'to'/'reach' a destination,
    the rest fill the gaps in the order written ('h1 to h3', 'is h1 reachable from h2')."""
    src = dst = None
    free: list[str] = []
    for m in mentions:
        before = text[max(0, m.start - 40): m.start]
        if src is None and _SRC_BEFORE.search(before):
            src = m.name
        elif dst is None and _DST_BEFORE.search(before) and (free or src is not None or m != mentions[0]):
            dst = m.name
        elif m.name not in (src, dst):
            free.append(m.name)
    for name in free:
        if src is None and name != dst:
            src = name
        elif dst is None and name != src:
            dst = name
    return src, dst


def ordered_unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))

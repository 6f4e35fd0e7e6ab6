"""Bandwidth and latency in the contract's units: Mbit/s and milliseconds.

Accepts what operators type: '1 Gbps', '2 gig', '500kbps', '2 megabits per second', '100 mpbs',
'0.2 s', '500 us', 'ten milliseconds'. Bytes are converted only when spelled as bytes
('MB/s' with a capital B, 'megabytes'), since 'mb' in lower case is nearly always meant as bits.
"""

from __future__ import annotations

import re

from cp_agents.parsing.lexicon import words_to_numbers

_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_PER_SECOND = r"(?:\s*(?:/|per|a|p)\s*(?:s|sec|second)\b)?"
_BANDWIDTH_UNITS: list[tuple[str, float]] = [
    (r"(?:gigabytes?|gbytes?)", 8000.0),
    (r"(?:megabytes?|mbytes?)", 8.0),
    (r"(?:kilobytes?|kbytes?)", 0.008),
    (r"(?:gigabits?|gbits?|gbps|gbit/s|gb/s|gpbs|gbsp|gibps|gig|gigs|giga|gbs|gb)", 1000.0),
    (r"(?:megabits?|mbits?|mbps|mbit/s|mb/s|mpbs|mbsp|mibps|mbs|mbp|megs|meg|mega|mb|m(?=\s|$|[,.;)]))", 1.0),
    (r"(?:kilobits?|kbits?|kbps|kbit/s|kb/s|kpbs|kbsp|kbs|kb|kilo|k(?=\s|$|[,.;)]))", 0.001),
    (r"(?:bits?|bps|bit/s|b/s)", 0.000001),
]
_LATENCY_UNITS: list[tuple[str, float]] = [
    (r"(?:milliseconds?|miliseconds?|millisecs?|msecs?|millis?|milis?|ms)", 1.0),
    (r"(?:microseconds?|usecs?|us)", 0.001),
    (r"(?:nanoseconds?|nsecs?|ns)", 0.000001),
    (r"(?:seconds?|secs?|s)", 1000.0),
]
_BYTE_SUFFIX = re.compile(r"^\s*(?:[kmgKMG]B/s|[kmgKMG]Bps)")


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _compile(units: list[tuple[str, float]], suffix: str) -> list[tuple[re.Pattern, float]]:
    return [(re.compile(_NUM + r"\s*-?\s*" + unit + suffix + r"(?![a-z0-9])"), factor) for unit,
            factor in units]


_BANDWIDTH = _compile(_BANDWIDTH_UNITS, _PER_SECOND)
_LATENCY = _compile(_LATENCY_UNITS, "")
# a number without a unit counts only right after the quantity's name ('bandwidth 100', 'latency of
# slice x to 5'), with at most a few plain words in between (never another number-bearing name)
_BARE_GAP = r"(?:\s+[a-z][a-z'-]*(?:\s+[a-z][\w-]*)?){0,3}?"
_BANDWIDTH_BARE = re.compile(r"\b(?:bandwidth|throughput|rate|speed|capacity|bw)(?:" + _BARE_GAP
                             + r"\s*(?:of|to|at|=|:|is))?\s*" + _NUM + r"(?![\d.a-z])")
_LATENCY_BARE = re.compile(r"\b(?:latency|delay|rtt|lag)(?:" + _BARE_GAP
                           + r"\s*(?:of|to|below|under|<|=|:|at most|is))?\s*" + _NUM + r"(?![\d.a-z])")


def _matches(text: str, patterns: list[tuple[re.Pattern, float]]) -> list[tuple[int, float, re.Match]]:
    found: dict[int, tuple[int, float, re.Match]] = {}
    for pattern, factor in patterns:
        for match in pattern.finditer(text):
            found.setdefault(match.start("num"), (match.start("num"), factor, match))
    return sorted(found.values(), key=lambda item: item[0])


def _pick(text: str, hits: list[tuple[int, float, re.Match]]) -> tuple[int, float, re.Match] | None:
    """Several values ('from 100 Mbps to 250 Mbps'): the one after 'to' is the target."""
    if not hits:
        return None
    for hit in hits:
        if re.search(r"\b(?:to|into|at)\s*$", text[: hit[0]]):
            return hit
    return hits[0]


def bandwidth_mbps(text: str, original: str | None = None) -> float | None:
    """The bandwidth the text asks for, in Mbit/s (None when none is given)."""
    text = words_to_numbers(text)
    hit = _pick(text, _matches(text, _BANDWIDTH))
    if hit is not None:
        start, factor, match = hit
        value = _number(match.group("num")) * factor
        if original is not None and factor in (1000.0, 1.0, 0.001) and _spelled_bytes(original,
                                                                                      match.group("num")):
            value *= 8
        return round(value, 6)
    bare = _BANDWIDTH_BARE.search(text)
    return _number(bare.group("num")) if bare else None


def _spelled_bytes(original: str, number: str) -> bool:
    index = original.find(number)
    return index >= 0 and bool(_BYTE_SUFFIX.match(original[index + len(number):]))


def latency_ms(text: str) -> float | None:
    """The latency bound the text asks for, in milliseconds (None when none is given)."""
    text = words_to_numbers(text)
    hit = _pick(text, _matches(text, _LATENCY))
    if hit is not None:
        _, factor, match = hit
        return round(_number(match.group("num")) * factor, 6)
    bare = _LATENCY_BARE.search(text)
    return _number(bare.group("num")) if bare else None

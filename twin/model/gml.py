"""A small, strict GML reader: key/value pairs, nested lists, quoted strings, numbers.

Written for the project rather than borrowed so every problem names its line, and hostile
input (deep nesting, unterminated strings) is a TopologyError, not a recursion error.
"""

from __future__ import annotations

import re

from twin.model.errors import TopologyError

GmlValue = "int | float | str | list[tuple[str, GmlValue]]"
MAX_DEPTH = 8

_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>\#[^\n]*) | (?P<open>\[) | (?P<close>\]) |
    (?P<string>"[^"]*") | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?![A-Za-z_])) |
    (?P<key>[A-Za-z_][A-Za-z0-9_]*)
""", re.VERBOSE)


def parse_gml(text: str, source: str) -> list[tuple[str, object]]:
    """The top-level pairs of a GML document."""
    tokens = _tokens(text, source)
    pairs, position = _pairs(tokens, 0, source, depth=0)
    if position != len(tokens):
        raise TopologyError(source, f"line {tokens[position][2]}", "unexpected ']'")
    return pairs


def _tokens(text: str, source: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    line, position = 1, 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            snippet = text[position:position + 20].split("\n")[0]
            problem = ("unterminated string" if text[position] == '"'
                       else f"unexpected text {snippet!r}")
            raise TopologyError(source, f"line {line}", problem)
        kind = match.lastgroup
        value = match.group()
        if kind not in ("space", "comment"):
            tokens.append((kind, value, line))
        line += value.count("\n")
        position = match.end()
    return tokens


def _pairs(tokens: list, position: int, source: str, depth: int) -> tuple[list, int]:
    if depth > MAX_DEPTH:
        raise TopologyError(source, f"line {tokens[position - 1][2]}",
                            f"lists nested deeper than {MAX_DEPTH} levels")
    pairs: list[tuple[str, object]] = []
    while position < len(tokens) and tokens[position][0] != "close":
        kind, key, line = tokens[position]
        if kind != "key":
            raise TopologyError(source, f"line {line}", f"expected a key, found {key[:20]!r}")
        if position + 1 >= len(tokens):
            raise TopologyError(source, f"line {line}", f"key {key!r} has no value")
        vkind, raw, vline = tokens[position + 1]
        if vkind == "open":
            value, position = _pairs(tokens, position + 2, source, depth + 1)
            if position >= len(tokens):
                raise TopologyError(source, f"line {vline}", f"list of {key!r} is never closed")
            position += 1
        elif vkind == "string":
            value, position = _unescape(raw[1:-1]), position + 2
        elif vkind == "number":
            value, position = _number(raw), position + 2
        else:
            raise TopologyError(source, f"line {vline}", f"key {key!r} has no value")
        pairs.append((key, value))
    return pairs, position


def _number(raw: str) -> int | float:
    try:
        return int(raw)
    except ValueError:
        return float(raw)


def _unescape(text: str) -> str:
    return (text.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
            .replace("&amp;", "&"))

"""The refusal layer: an independent, conservative screen for destructive or rule-breaking requests.

It runs on the raw text before any classification, again on the text and the classified
intent after it, and on whatever an LLM returns, so no later stage can un-refuse. It is
built from pattern families (verb near object, either order) rather than from examples,
so that a request mixed with legitimate words ('create slice x and also delete all flows')
is still caught. When in doubt it refuses: a refused good request costs a retype, an
accepted destructive one costs the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cp_agents.parsing.lexicon import normalize_text
from cp_agents.parsing.safety_patterns import (
    FAMILIES,
    HYPOTHETICAL,
    MAINTENANCE,
    SINGLE_ELEMENT_DOWN,
    UNIVERSAL,
)


@dataclass(frozen=True)
class Refusal:
    family: str
    reason: str
    evidence: str


def _deobfuscate(text: str) -> str:
    """'d e l e t e', 'd.e.l.e.t.e', 'fl0ws', 'c0ntroller' -> plain words."""
    text = re.sub(r"\b(?:[a-z][\s._*-]){2,}[a-z]\b", lambda m: re.sub(r"[\s._*-]", "", m.group(0)), text)
    leet = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
    return re.sub(r"(?<=[a-z])[013457@$](?=[a-z])", lambda m: leet[m.group(0)], text)


def variants(text: str) -> list[str]:
    base = normalize_text(text)
    flat = re.sub(r"[^\w\s/.:-]", " ", base)
    clean = _deobfuscate(flat)
    return list(dict.fromkeys([base, flat, clean, re.sub(r"\s+", " ", clean)]))


_COMPACT = re.compile(
    r"(?:delete|remove|flush|clear|wipe|purge|erase|drop)(?:all|every|the)*"
    r"(?:flows|flowtables?|flowentries|rules)"
    r"|(?:stop|kill|shutdown|restart|crash)(?:the)?(?:sdn)?controller"
    r"|ignore(?:all|the|your)*(?:previous|prior|above)instructions"
    r"|(?:disable|turnoff|delete|wipe)(?:the)?(?:audit|auditing|logging|auditlog)")


def screen_text(text: str) -> Refusal | None:
    """A refusal if the text asks for something destructive, rule-breaking or off-topic, else None."""
    forms = variants(text)
    for family, reason, pattern, exempt in FAMILIES:
        for form in forms:
            hit = pattern.search(form)
            if hit and not (exempt and exempt(form)):
                return Refusal(family, reason, hit.group(0))
    letters = re.sub(r"[^a-z]", "", forms[-1])
    hit = _COMPACT.search(letters)
    if hit:
        return Refusal("obfuscated",
                       "The request hides a destructive or rule-breaking command; it is refused.",
                       hit.group(0))
    return _single_element_down(forms[-1])


def _single_element_down(form: str) -> Refusal | None:
    """Taking one node or link down for real is not an operation we offer (what-if and drain are)."""
    hit = SINGLE_ELEMENT_DOWN.search(form)
    if hit is None or HYPOTHETICAL.search(form) or MAINTENANCE.search(form):
        return None
    return Refusal("element-down", "Taking a node, link or port down is not an operation the agent "
                   "performs; ask 'what if X fails' to see the effect, 'drain X' to move traffic off a node, "
                   "or 'avoid X' to steer traffic around it.", hit.group(0))


def mentions_everyone(text: str) -> bool:
    """Does the text aim at every host / the whole network rather than named ones?"""
    return any(UNIVERSAL.search(form) for form in variants(text))

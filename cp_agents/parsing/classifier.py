"""The kind decision: retrieval votes over annotated examples + rule cues + what the entities allow.

Pure: the nearest annotated examples arrive as (label, similarity) pairs from whatever index
found them (FAISS in production, a fake in unit tests). Labels are the kinds plus 'refused'
(destructive, injected, off-topic) and 'clarify' (too vague).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cp_agents.parsing.cues import QUESTION, SLICE_CREATE, cue_scores
from cp_agents.parsing.entities import links, names
from cp_agents.parsing.flowrule import actions, dpid, match
from cp_agents.parsing.lexicon import DP_SERVICES
from cp_agents.parsing.quantities import bandwidth_mbps, latency_ms
from cp_agents.parsing.safety_patterns import HYPOTHETICAL

SLICE_CREATE_VERB = re.compile(SLICE_CREATE)
Neighbour = tuple[str, float]          # (label, cosine similarity)
KNN_WEIGHT = 2.0
REFUSE_SIMILARITY = 0.82               # a near-copy of an annotated refusal: an ok parse is refused
MIN_SCORE = 0.9                        # below this nothing is understood well enough: clarify


@dataclass(frozen=True)
class Decision:
    label: str                         # a kind, 'refused' or 'clarify'
    score: float
    scores: dict[str, float]
    nearest: tuple[Neighbour, ...]
    near_refusal: bool = False         # the closest example is a refusal: an 'ok' parse is refused


def vote(neighbours: list[Neighbour]) -> dict[str, float]:
    """Similarity-weighted share of each label among the nearest examples (sums to 1)."""
    weights: dict[str, float] = {}
    for label, sim in neighbours:
        weights[label] = weights.get(label, 0.0) + max(sim, 0.0) ** 2
    total = sum(weights.values()) or 1.0
    return {label: w / total for label, w in weights.items()}


def _flow_evidence(text: str) -> bool:
    acts, spans = actions(text)
    fields, _ = match(text, spans)
    concrete = fields.keys() & {"in_port", "ipv4_src", "ipv4_dst", "ipv6_dst", "ipv6_src", "eth_src",
                                "eth_dst"}
    arp_like = fields.get("eth_type") in (2054, 35020)
    return dpid(text) is not None and bool(concrete or arp_like or any(a["type"] != "OUTPUT" or isinstance(
        a.get("port"), int) for a in acts))


def _entity_adjustments(text: str, scores: dict[str, float]) -> None:
    mentions = names(text)
    found_links = links(text)
    slice_word = re.search(r"\bslices?\b", text) is not None
    question = QUESTION.search(text) is not None
    hypothetical = HYPOTHETICAL.search(text) is not None
    bump = _bumper(scores)
    bump("flow.add", 2.5 if _flow_evidence(text) else -3.0)
    if slice_word and len(mentions) < 2 and not SLICE_CREATE_VERB.search(text):
        bump("slice.modify", 1.0)             # 'slice lab: latency target 10ms' changes an existing slice
    if slice_word:
        for kind in ("rate.limit", "acl.block", "acl.allow", "path.avoid", "path.via", "query.path",
                     "whatif.link_down", "whatif.node_down", "node.drain"):
            bump(kind, -1.0)
    if hypothetical:
        bump("whatif.link_down" if found_links or re.search(r"\b(?:link|cable|fib(?:er|re)|connection)\b",
                                                            text)
             else "whatif.node_down", 1.5)
        bump("whatif.node_down" if found_links else "whatif.link_down", -0.8)
    elif found_links or re.search(r"\blink\b", text):
        bump("whatif.node_down", -0.8)
    else:
        bump("whatif.link_down", -0.8)
    if found_links:
        bump("node.drain", -2.0)              # links are avoided or failed, never drained
    if not question:
        bump("query.reachability", -1.2)
        bump("query.path", -0.8)
    elif re.search(r"\b(?:path|route)\b", text):
        bump("query.path", 1.0)               # 'is the path from a to b going through c?' asks, not steers
    if len(mentions) < 1 and not found_links:
        for kind in ("acl.block", "acl.allow", "query.reachability", "query.path", "path.via"):
            bump(kind, -0.5)
    if bandwidth_mbps(text) is not None:
        bump("acl.block", -1.0)               # an ACL has no rate: 'don't let cam1 send more than 40 Mbps'
        bump("acl.allow", -1.0)
        bump("rate.limit", 0.4)
        bump("slice.modify" if slice_word else "rate.limit", 0.3)
    if latency_ms(text) is not None and not any(w in text for ws in DP_SERVICES.values() for w in ws):
        bump("rate.limit", -0.5)


def _bumper(scores: dict[str, float]):
    def bump(kind: str, amount: float) -> None:
        scores[kind] = scores.get(kind, 0.0) + amount
    return bump


def decide(text: str, neighbours: list[Neighbour]) -> Decision:
    """Pick the label for one normalised, alias-expanded text."""
    votes = vote(neighbours)
    scores = {label: KNN_WEIGHT * share for label, share in votes.items()}
    for kind, weight in cue_scores(text).items():
        scores[kind] = scores.get(kind, 0.0) + weight
    _entity_adjustments(text, scores)
    label, score = max(scores.items(), key=lambda item: item[1], default=("clarify", 0.0))
    if score < MIN_SCORE:
        label = "clarify"
    near_refusal = bool(neighbours) and neighbours[0][0] == "refused" \
        and neighbours[0][1] >= REFUSE_SIMILARITY
    return Decision(label, score, scores, tuple(neighbours), near_refusal)

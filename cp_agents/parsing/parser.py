"""The deterministic intent parser: text -> canonical Intent, no LLM.

Order of stages (each can end the parse):
  1. refusal screen on the raw text (safety.screen_text)
  2. kind decision: retrieval votes over annotated examples + rule cues (classifier.decide)
  3. slot filling for that kind (slots.build_params) and schema canonicalisation (intent.Intent)
  4. refusal screen again, now with the parameters (guard.check)
  5. clarification rules (clarify.missing / clarify.ambiguity)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from cp_agents.errors import IntentSchemaError
from cp_agents.parsing.clarify import UNCLEAR, ambiguity, missing, question
from cp_agents.parsing.classifier import Decision, Neighbour, decide
from cp_agents.parsing.entities import expand_aliases
from cp_agents.parsing.guard import check
from cp_agents.parsing.intent import Intent
from cp_agents.parsing.lexicon import normalize_text
from cp_agents.parsing.safety import screen_text
from cp_agents.parsing.slots import Sentence, build_params

# texts -> for each text, its nearest annotated examples as (label, similarity), best first
NeighbourFinder = Callable[[Sequence[str], int], list[list[Neighbour]]]


def sentence(text: str) -> Sentence:
    norm = normalize_text(text)
    return Sentence(original=text, norm=norm, text=expand_aliases(norm))


def query_text(text: str) -> str:
    """The form in which texts (examples and queries alike) are embedded."""
    return sentence(text).text


class IntentParser:
    """Parse operator text into intents; `neighbours` supplies the retrieval votes."""

    def __init__(self, neighbours: NeighbourFinder, k: int = 8) -> None:
        self._neighbours = neighbours
        self._k = k

    def parse(self, text: str) -> Intent:
        return self.parse_many([text])[0]

    def parse_many(self, texts: Sequence[str]) -> list[Intent]:
        """Parse several texts; retrieval runs once for all of them (batched embedding)."""
        screened = [screen_text(t) for t in texts]
        to_classify = [i for i, (t, r) in enumerate(zip(texts, screened,
                                                        strict=True)) if r is None and t.strip()]
        found = self._neighbours([query_text(texts[i]) for i in to_classify], self._k) if to_classify else []
        neighbours = dict(zip(to_classify, found, strict=True))
        results = []
        for i, text in enumerate(texts):
            if screened[i] is not None:
                results.append(Intent.refused(screened[i].reason))
            elif i not in neighbours:
                results.append(Intent.clarify(UNCLEAR))
            else:
                results.append(self._finish(text, neighbours[i]))
        return results

    def explain(self, text: str) -> dict[str, Any]:
        """The decision behind a parse (scores, nearest examples): for debugging and the console."""
        s = sentence(text)
        decision = decide(s.text, self._neighbours([s.text], self._k)[0])
        return {"label": decision.label, "score": round(decision.score, 3),
                "scores": {k: round(v, 3) for k, v in sorted(decision.scores.items(), key=lambda kv: -kv[1])},
                "nearest": [list(n) for n in decision.nearest], "intent": self.parse(text).to_json()}

    def _finish(self, text: str, neighbours: list[Neighbour]) -> Intent:
        s = sentence(text)
        decision: Decision = decide(s.text, neighbours)
        if decision.label == "refused":
            return Intent.refused("This request closely resembles ones the agent refuses (destructive, "
                                  "rule-breaking or not a network operation); rephrase it as a specific "
                                  "change.")
        if decision.label == "clarify":
            return Intent.clarify(UNCLEAR)
        intent = intent_for(decision.label, s)
        if intent.status == "ok" and decision.near_refusal:
            return Intent.refused("This request closely resembles ones the agent refuses; rephrase it as one "
                                  "specific change between named nodes.", kind=intent.kind,
                                  params=intent.params)
        return intent


def intent_for(kind: str, s: Sentence) -> Intent:
    """Fill, canonicalise, re-screen and check completeness of one kind's params."""
    try:
        params = Intent(status="clarify", kind=kind, params=build_params(kind, s), reason="-").params
    except (IntentSchemaError, ValueError) as exc:
        reason = f"The {kind} request has a value I cannot use ({_short(exc)}); please restate it."
        return Intent.clarify(reason, kind=kind)
    refusal = check(s.original, kind, params)
    if refusal is not None:
        return Intent.refused(refusal.reason, kind=kind, params=params)
    gaps = missing(kind, params)
    if gaps:
        return Intent.clarify(question(kind, gaps), kind=kind, params=params)
    unclear = ambiguity(kind, params, s.text)
    if unclear:
        return Intent.clarify(unclear, kind=kind, params=params)
    return Intent(status="ok", kind=kind, params=params)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160]

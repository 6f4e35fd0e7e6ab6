"""Parsing with an LLM behind the same schema and the same refusal rules as the embedded parser.

Order: the deterministic refusal screen (and, when given, the embedded parser's own verdict)
runs first, so a request we refuse is never even sent; the model's answer is validated against
the canonical schema, retried once with the validation error as feedback, and then guarded
again. The LLM can tighten a verdict (refuse, clarify) but never loosen one.
"""

from __future__ import annotations

from collections.abc import Sequence

from cp_agents.errors import IntentSchemaError, LlmError, LlmOutputInvalid
from cp_agents.llm.client import ChatClient
from cp_agents.llm.prompts import LlmIntent, intent_messages
from cp_agents.llm.settings import LlmSettings
from cp_agents.parsing.clarify import missing, question
from cp_agents.parsing.guard import guard
from cp_agents.parsing.intent import Intent
from cp_agents.parsing.parser import IntentParser
from cp_agents.parsing.safety import screen_text

ATTEMPTS = 2        # the first answer and one retry


class LlmIntentParser:
    """An OpenAI-compatible endpoint as the parser; `fallback` (the embedded parser) is consulted first
    for refusals and answers when the endpoint fails."""

    def __init__(self, settings: LlmSettings, fallback: IntentParser | None = None,
                 client: ChatClient | None = None) -> None:
        self._client = client or ChatClient(settings)
        self._fallback = fallback

    def parse_many(self, texts: Sequence[str]) -> list[Intent]:
        return [self.parse(text) for text in texts]

    def parse(self, text: str) -> Intent:
        refusal = screen_text(text)
        if refusal is not None:
            return Intent.refused(refusal.reason)
        baseline = self._fallback.parse(text) if self._fallback else None
        if baseline is not None and baseline.status == "refused":
            return baseline
        try:
            candidate = self._ask(text)
        except LlmError:
            if baseline is None:
                raise
            return baseline
        return _complete(guard(text, candidate))

    def _ask(self, text: str) -> Intent:
        feedback = None
        for _ in range(ATTEMPTS):
            answer = self._client.structured(intent_messages(text, feedback), LlmIntent)
            try:
                return Intent.parse_obj_strict(answer)
            except IntentSchemaError as exc:
                feedback = str(exc)[:600]
        raise LlmOutputInvalid(f"the LLM answered twice without a valid intent; last error: {feedback}")


def _complete(intent: Intent) -> Intent:
    """An 'ok' from the model still has to carry every required parameter."""
    if intent.status != "ok":
        return intent
    gaps = missing(intent.kind, intent.params)
    return Intent.clarify(question(intent.kind, gaps), kind=intent.kind,
                          params=intent.params) if gaps else intent

"""The one place that talks to an OpenAI-compatible endpoint (langchain-openai's ChatOpenAI).

Foreign errors (openai / httpx) become LlmUnreachable here; nothing else in cp_agents sees them.
The client is created on first use, so importing cp_agents never opens a connection.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel

from cp_agents.errors import LlmOutputInvalid, LlmUnreachable
from cp_agents.llm.settings import LlmSettings


def chat_model(settings: LlmSettings):
    from langchain_openai import ChatOpenAI
    return ChatOpenAI(base_url=settings.base_url, model=settings.model, api_key=settings.api_key,
                      temperature=0, timeout=settings.timeout_s, max_retries=1)


def _foreign_errors() -> tuple[type[BaseException], ...]:
    import httpx
    import openai
    return (openai.APIError, httpx.HTTPError, TimeoutError, ConnectionError)


def _json_from_text(text: str) -> dict[str, Any]:
    """The first JSON object in a free-text answer (models like to wrap JSON in prose or fences)."""
    match = re.search(r"\{.*\}", text, re.DOTALL)
    if not match:
        raise LlmOutputInvalid(f"no JSON object in the answer: {text[:200]!r}")
    try:
        return json.loads(match.group(0))
    except json.JSONDecodeError as exc:
        raise LlmOutputInvalid(f"answer is not valid JSON ({exc}): {text[:200]!r}") from exc


def _unreachable(settings: LlmSettings, exc: BaseException) -> LlmUnreachable:
    return LlmUnreachable(f"LLM endpoint {settings.base_url} failed: {type(exc).__name__}: {exc}")


class ChatClient:
    """Structured and free-text calls against one endpoint."""

    def __init__(self, settings: LlmSettings) -> None:
        self.settings = settings
        self._model = None

    def _chat(self):
        if self._model is None:
            self._model = chat_model(self.settings)
        return self._model

    def structured(self, messages: list[tuple[str, str]], schema: type[BaseModel]) -> dict[str, Any]:
        """The answer as a dict shaped like `schema` (not yet validated beyond JSON)."""
        method = self.settings.structured_method
        try:
            if method == "prompt":
                return _json_from_text(self._chat().invoke(messages).content)
            runnable = self._chat().with_structured_output(schema, method=method, include_raw=True)
            out = runnable.invoke(messages)
        except _foreign_errors() as exc:
            raise _unreachable(self.settings, exc) from exc
        parsed = out.get("parsed")
        if isinstance(parsed, BaseModel):
            return parsed.model_dump()
        if isinstance(parsed, dict):
            return parsed
        raw = out.get("raw")
        raise LlmOutputInvalid(f"answer did not fit the schema ({out.get('parsing_error')}): "
                               f"{getattr(raw, 'content', raw)!r:.200}")

    def text(self, messages: list[tuple[str, str]]) -> str:
        try:
            return str(self._chat().invoke(messages).content).strip()
        except _foreign_errors() as exc:
            raise _unreachable(self.settings, exc) from exc

"""Which LLM endpoint to use: none by default, or any OpenAI-compatible one from the environment.

    LLM_BASE_URL            e.g. http://127.0.0.1:8000/v1 (vLLM, Ollama, llama.cpp server, a hosted API)
    LLM_MODEL               the model name the endpoint expects
    LLM_API_KEY             optional (local servers ignore it)
    LLM_STRUCTURED_METHOD   function_calling (default: works on llama.cpp), json_schema, json_mode or prompt
    LLM_TIMEOUT             seconds per request (default 30)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from cp_agents.errors import LlmNotConfigured

METHODS = ("function_calling", "json_schema", "json_mode", "prompt")


@dataclass(frozen=True)
class LlmSettings:
    base_url: str
    model: str
    api_key: str = "not-needed"
    structured_method: str = "function_calling"
    timeout_s: float = 30.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LlmSettings:
        env = os.environ if env is None else env
        base_url, model = env.get("LLM_BASE_URL", "").strip(), env.get("LLM_MODEL", "").strip()
        if not base_url or not model:
            raise LlmNotConfigured("no LLM endpoint: set LLM_BASE_URL and LLM_MODEL (the default backend is "
                                   "none)")
        method = env.get("LLM_STRUCTURED_METHOD", "function_calling").strip() or "function_calling"
        if method not in METHODS:
            raise LlmNotConfigured(f"LLM_STRUCTURED_METHOD={method!r}; use one of {', '.join(METHODS)}")
        try:
            timeout = float(env.get("LLM_TIMEOUT", "30"))
        except ValueError as exc:
            raise LlmNotConfigured(f"LLM_TIMEOUT={env.get('LLM_TIMEOUT')!r} is not a number") from exc
        return cls(base_url=base_url, model=model, api_key=env.get("LLM_API_KEY") or "not-needed",
                   structured_method=method, timeout_s=timeout)


def configured(env: Mapping[str, str] | None = None) -> bool:
    """True when an endpoint is configured (the backend is 'none' otherwise)."""
    env = os.environ if env is None else env
    return bool(env.get("LLM_BASE_URL", "").strip() and env.get("LLM_MODEL", "").strip())

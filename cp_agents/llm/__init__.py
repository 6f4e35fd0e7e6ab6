"""LLM backends: none (default) or any OpenAI-compatible chat endpoint configured by environment.

Nothing here opens a connection at import time; langchain-openai is imported on first use.
"""

from cp_agents.llm.client import ChatClient
from cp_agents.llm.explain import explain_plan, template_explanation
from cp_agents.llm.intent_parser import LlmIntentParser
from cp_agents.llm.settings import LlmSettings, configured

__all__ = ["ChatClient", "LlmIntentParser", "LlmSettings", "configured", "explain_plan",
           "template_explanation"]

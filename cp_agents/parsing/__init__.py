"""Intent parsing: operator text -> the canonical Intent (shared/contracts/intents.md).

Pure: no torch/faiss/LLM here. The retrieval votes come from a NeighbourFinder that the
caller supplies (cp_agents.retrieval.example_index.default_parser wires the real one).
"""

from cp_agents.parsing.guard import guard
from cp_agents.parsing.intent import KINDS, READ_ONLY_KINDS, Intent, canonical_params
from cp_agents.parsing.parser import IntentParser, NeighbourFinder
from cp_agents.parsing.safety import Refusal, screen_text

__all__ = ["KINDS", "READ_ONLY_KINDS", "Intent", "IntentParser", "NeighbourFinder", "Refusal",
           "canonical_params",
           "guard", "screen_text"]

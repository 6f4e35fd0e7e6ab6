"""What the agent graph needs from the outside world, injected through LangGraph's runtime
context (never checkpointed): the parser, the retriever, the tool registry, the learner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


class Registry(Protocol):
    """netops_tools.registry.ToolRegistry, as the graph uses it."""

    def invoke(self, actor: Any, tool: str, args: dict | None = None, *, target: str = "twin",
               approval: str | None = None) -> Any: ...


@dataclass
class AgentServices:
    parse: Callable[[str], dict]                         # text -> canonical intent (contract)
    retrieve: Callable[[str, int], list[dict]]           # query, k -> [{"source", "text", "score"}]
    registry: Registry
    make_actor: Callable[[str], Any]                     # thread id -> registry Actor
    learn: Callable[[dict], None] = lambda record: None  # an outcome joins the knowledge index
    handoff: Callable[[dict], dict] | None = None        # service.deploy params -> service plan
    explain: Callable[[dict], str] | None = None         # plan -> prose (LLM), optional
    twin: str = "twin"
    prod: str = "prod"
    max_plan_attempts: int = 2
    retrieve_k: int = 3
    extra: dict = field(default_factory=dict)

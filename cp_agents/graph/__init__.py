"""The control-plane agent: a LangGraph pipeline from operator text to a change on prod.

    parse -> retrieve -> plan -> validate (twin) -> audit -> approve (interrupt) -> push (prod)
          -> verify -> learn -> answer
"""

from cp_agents.graph.build import build_graph
from cp_agents.graph.operator import NotAwaitingApproval, Operator, UnknownRun
from cp_agents.graph.services import AgentServices

__all__ = ["AgentServices", "NotAwaitingApproval", "Operator", "UnknownRun", "build_graph"]

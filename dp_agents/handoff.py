"""The one hand-off from the control plane: a canonical service.deploy intent becomes a ServicePlan.

aaas wires this for the console and the CLI (`aaas service deploy`); cp_agents never imports it.
"""

from __future__ import annotations

from dp_agents.planning import ServicePlan, plan_service
from twin.model import Topology


def deploy_service(intent_params: dict, topology: Topology | None = None) -> ServicePlan:
    """{"service", "near", "latency_ms"} -> a validated plan (check `.ok` and `.checks`).

    Raises IntentError for parameters that cannot be planned at all (unknown service or node).
    """
    return plan_service(intent_params, topology)

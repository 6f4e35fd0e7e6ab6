"""Service planning: a service.deploy intent becomes a validated step graph (ServicePlan)."""

from dp_agents.planning.plan import Check, PlanStep, ServicePlan, Site
from dp_agents.planning.planner import plan_service
from dp_agents.planning.render import render_plan
from dp_agents.planning.services import SERVICES, service_template
from dp_agents.planning.validate import validate

__all__ = [
    "Check",
    "PlanStep",
    "ServicePlan",
    "Site",
    "plan_service",
    "render_plan",
    "SERVICES",
    "service_template",
    "validate",
]

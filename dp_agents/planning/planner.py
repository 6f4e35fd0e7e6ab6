"""service.deploy intent -> ServicePlan: the template's steps with profiles, stages, site and budget."""

from __future__ import annotations

import math

from dp_agents.errors import IntentError
from dp_agents.planning.graph import critical_path_ms, dependencies, stages
from dp_agents.planning.plan import PlanStep, ServicePlan
from dp_agents.planning.services import ServiceTemplate, service_template
from dp_agents.planning.site import nearest_site, transfer_ms
from dp_agents.planning.validate import validate
from dp_agents.toolbox import TOOLBOX
from twin.model import Topology, load_topology

DEFAULT_TOPOLOGY = "edge6g"
# A lighter runtime wins unless it is this much slower than the fastest: a wasm instance holds
# kilobytes where a container worker holds tens of megabytes (PLATFORM section 6).
LIGHTER_RUNTIME_SLACK = 1.5
RUNTIME_WEIGHT_ORDER = ("wasm", "container", "process")


def intent_fields(params: dict) -> tuple[str, str, float | None]:
    """The canonical service.deploy params {"service", "near", "latency_ms"}, checked."""
    if not isinstance(params, dict):
        raise IntentError(f"service.deploy params must be an object, got {type(params).__name__}")
    unknown = set(params) - {"service", "near", "latency_ms"}
    if unknown:
        raise IntentError(
            f"service.deploy has no parameter(s) {sorted(unknown)}: use service, near, latency_ms"
        )
    service, near, latency = params.get("service"), params.get("near"), params.get("latency_ms")
    if not isinstance(service, str) or not service:
        raise IntentError("service.deploy needs a service name")
    if not isinstance(near, str) or not near:
        raise IntentError(f"service.deploy of {service} needs `near`: the node requests come from")
    if latency is not None and (
        isinstance(latency, bool)
        or not isinstance(latency, (int, float))
        or not math.isfinite(latency)
        or latency <= 0
    ):
        raise IntentError(f"latency_ms must be a positive number of milliseconds, not {latency!r}")
    return service, near.lower(), None if latency is None else float(latency)


def plan_service(params: dict, topology: Topology | None = None, cameras: int = 4) -> ServicePlan:
    service, near, latency = intent_fields(params)
    template = service_template(service, cameras)
    topo = topology if topology is not None else load_topology(DEFAULT_TOPOLOGY)
    steps = plan_steps(template)
    heaviest = max(steps, key=lambda s: s.memory_mib)
    site = nearest_site(topo, near, max(s.cpu for s in steps), heaviest.memory_mib)
    deps = dependencies({s.id: s.inputs for s in steps})
    plan = ServicePlan(
        service=template.name,
        near=near,
        latency_budget_ms=latency or template.default_latency_ms,
        request=template.request,
        steps=steps,
        output=template.output,
        site=site,
        compute_ms=round(critical_path_ms(deps, {s.id: s.expected_ms for s in steps}), 3),
        network_ms=round(transfer_ms(site, template.request_bytes), 3),
    )
    return ServicePlan(**{**plan.__dict__, "checks": validate(plan)})


def preferred_runtime(latency_ms: dict[str, float]) -> str:
    """The lightest runtime whose expected latency is within the slack of the fastest one."""
    fastest = min(latency_ms.values())
    return next(
        r
        for r in RUNTIME_WEIGHT_ORDER
        if r in latency_ms and latency_ms[r] <= fastest * LIGHTER_RUNTIME_SLACK
    )


def plan_steps(template: ServiceTemplate) -> tuple[PlanStep, ...]:
    inputs = {step.id: step.inputs for step in template.steps}
    levels = stages(dependencies(inputs)) or {}
    planned = []
    for step in template.steps:
        function = TOOLBOX.get(step.function)
        profile = function.profile if function else None
        runtime = preferred_runtime(profile.latency_ms) if profile else "process"
        planned.append(
            PlanStep(
                id=step.id,
                function=step.function,
                inputs=dict(step.inputs),
                stage=levels.get(step.id, -1),
                runtimes=profile.runtimes if profile else (),
                runtime=runtime,
                cpu=profile.cpu if profile else 0.0,
                memory_mib=profile.memory_mib if profile else 0,
                expected_ms=profile.latency_ms[runtime] if profile else 0.0,
                host_inference=profile.host_inference if profile else False,
            )
        )
    return tuple(planned)

"""Checks a plan must pass before it is handed to the executor; each says why when it fails."""

from __future__ import annotations

from dp_agents.planning.graph import dependencies, is_request, stages
from dp_agents.planning.plan import Check, ServicePlan
from dp_agents.toolbox import TOOLBOX


def validate(plan: ServicePlan) -> tuple[Check, ...]:
    return (
        _functions_known(plan),
        _inputs_produced(plan),
        _acyclic(plan),
        _output_reached(plan),
        _site_found(plan),
        _budget_plausible(plan),
    )


def _functions_known(plan: ServicePlan) -> Check:
    unknown = sorted({s.function for s in plan.steps if s.function not in TOOLBOX})
    return Check(
        "functions in the toolbox",
        not unknown,
        f"unknown functions: {', '.join(unknown)}" if unknown else f"{len(plan.steps)} steps, all known",
    )


def _inputs_produced(plan: ServicePlan) -> Check:
    ids = {s.id for s in plan.steps}
    missing = [
        f"{s.id}.{name} <- {src}"
        for s in plan.steps
        for name, src in s.inputs.items()
        if not is_request(src) and src not in ids
    ]
    wrong = [
        f"{s.id} lacks {name}"
        for s in plan.steps
        if s.function in TOOLBOX and not TOOLBOX[s.function].variadic
        for name in TOOLBOX[s.function].inputs
        if name not in s.inputs
    ]
    problems = missing + wrong
    return Check(
        "every input produced",
        not problems,
        "; ".join(problems) if problems else "each input comes from the request or an earlier step",
    )


def _acyclic(plan: ServicePlan) -> Check:
    levels = stages(dependencies({s.id: s.inputs for s in plan.steps}))
    if levels is None:
        return Check("acyclic", False, "the step graph has a cycle: no order can run it")
    widest = max((sum(1 for v in levels.values() if v == k) for k in set(levels.values())), default=0)
    return Check(
        "acyclic", True, f"{max(levels.values(), default=-1) + 1} stages, up to {widest} steps in parallel"
    )


def _output_reached(plan: ServicePlan) -> Check:
    ids = {s.id for s in plan.steps}
    consumed = {src for s in plan.steps for src in s.inputs.values()}
    dangling = sorted(ids - consumed - {plan.output})
    ok = plan.output in ids and not dangling
    detail = (
        f"answer from {plan.output}"
        if ok
        else f"output {plan.output!r} missing"
        if plan.output not in ids
        else f"unused steps: {', '.join(dangling)}"
    )
    return Check("output reached", ok, detail)


def _site_found(plan: ServicePlan) -> Check:
    if plan.site is None:
        return Check(
            "site", False, f"no compute node reachable from {plan.near} has the capacity for these steps"
        )
    return Check(
        "site",
        True,
        f"{plan.site.node}, {plan.site.hops} hops from {plan.near} "
        f"({plan.site.path_delay_ms} ms modelled delay)",
    )


def _budget_plausible(plan: ServicePlan) -> Check:
    estimate, budget = plan.estimated_ms, plan.latency_budget_ms
    detail = (
        f"estimated {estimate:.1f} ms (steps {plan.compute_ms:.1f} + network {plan.network_ms:.1f}) "
        f"{'within' if estimate <= budget else 'exceeds'} the {budget:g} ms budget"
    )
    return Check("latency budget", estimate <= budget, detail)

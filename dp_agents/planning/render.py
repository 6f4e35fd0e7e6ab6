"""A plan as the operator reads it: stages with their parallel steps, profiles, site and checks."""

from __future__ import annotations

from dp_agents.planning.plan import ServicePlan


def render_plan(plan: ServicePlan) -> str:
    site = f"{plan.site.node} via {' -> '.join(plan.site.path)}" if plan.site else "none found"
    lines = [
        f"service {plan.service} near {plan.near}: budget {plan.latency_budget_ms:g} ms, "
        f"estimated {plan.estimated_ms:.1f} ms ({'OK' if plan.ok else 'NOT OK'})",
        f"  request: {plan.request}",
        f"  site: {site}",
    ]
    for index, stage in enumerate(plan.stages):
        label = "parallel" if len(stage) > 1 else "step"
        lines.append(f"  stage {index} ({label}):")
        for step in stage:
            sources = ", ".join(f"{k}<-{v}" for k, v in step.inputs.items())
            lines.append(
                f"    {step.id:<16} {step.function:<22} {step.runtime:<9} {step.expected_ms:>7.1f} ms "
                f"cpu {step.cpu:g} mem {step.memory_mib} MiB  runtimes {'/'.join(step.runtimes)}"
                f"{' (wasm via host inference)' if step.host_inference else ''}  [{sources}]"
            )
    lines.append("  checks:")
    lines.extend(f"    [{'ok' if c.ok else 'FAIL'}] {c.name}: {c.detail}" for c in plan.checks)
    return "\n".join(lines)

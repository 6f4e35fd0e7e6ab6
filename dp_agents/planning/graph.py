"""Graph facts about a step list: dependencies, stages (topological levels), critical path."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

REQUEST = "request"


def is_request(source: str) -> bool:
    return source == REQUEST or source.startswith(REQUEST + ".")


def dependencies(inputs_by_step: Mapping[str, Mapping[str, str]]) -> dict[str, set[str]]:
    """step id -> ids of the steps it consumes (request inputs are not steps)."""
    return {
        step: {src for src in inputs.values() if not is_request(src)}
        for step, inputs in inputs_by_step.items()
    }


def stages(deps: Mapping[str, Iterable[str]]) -> dict[str, int] | None:
    """Longest distance from the request for every step; None when the graph has a cycle."""
    level: dict[str, int] = {}
    pending = {step: set(d) & set(deps) for step, d in deps.items()}
    current = 0
    while pending:
        ready = [step for step, d in pending.items() if d <= set(level)]
        if not ready:
            return None
        for step in ready:
            level[step] = current
        for step in ready:
            del pending[step]
        current += 1
    return level


def critical_path_ms(deps: Mapping[str, Iterable[str]], cost: Mapping[str, float]) -> float:
    """Longest total cost from any source to any sink (the DAG's latency with parallel branches)."""
    order = stages(deps)
    if order is None:
        return float("inf")
    finish: dict[str, float] = {}
    for step in sorted(order, key=order.get):
        finish[step] = cost[step] + max((finish[d] for d in deps[step] if d in finish), default=0.0)
    return max(finish.values(), default=0.0)

"""Running a plan: stage by stage, the steps of a stage in parallel, each through a StepCaller.

`LocalCaller` calls the toolbox handlers in this process (the standalone mode used by the CLI
and the quality tests); an executor-backed caller sends the same steps to the edge executor.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol

from dp_agents.errors import PlanError, StepInputError
from dp_agents.planning.graph import REQUEST, is_request
from dp_agents.planning.plan import PlanStep, ServicePlan
from dp_agents.toolbox import toolbox_function


class StepCaller(Protocol):
    def call(self, step: PlanStep, inputs: dict[str, Any]) -> Any: ...


class LocalCaller:
    """Calls each step's Python handler in this process."""

    def call(self, step: PlanStep, inputs: dict[str, Any]) -> Any:
        return toolbox_function(step.function).load_handler()(**inputs)


@dataclass(frozen=True)
class RunResult:
    output: Any
    step_ms: dict[str, float]
    total_ms: float


def resolve(source: str, request: Any, results: dict[str, Any]) -> Any:
    """The value an input names: a step's output, the request, or a path into the request."""
    if not is_request(source):
        return results[source]
    value = request
    for key in source.split(".")[1:] if source != REQUEST else []:
        if not isinstance(value, dict) or key not in value:
            raise StepInputError(f"request has no {source!r}: it must carry {key!r}")
        value = value[key]
    return value


def run_plan(plan: ServicePlan, request: Any, caller: StepCaller | None = None) -> RunResult:
    if not plan.ok:
        failed = "; ".join(f"{c.name}: {c.detail}" for c in plan.checks if not c.ok)
        raise PlanError(f"plan for {plan.service} did not validate ({failed})")
    caller = caller or LocalCaller()
    results: dict[str, Any] = {}
    step_ms: dict[str, float] = {}
    started = time.perf_counter()
    for stage in plan.stages:
        with ThreadPoolExecutor(max_workers=len(stage), thread_name_prefix="dp-step") as pool:
            futures = {step.id: pool.submit(_timed, caller, step, request, results) for step in stage}
            for step_id, future in futures.items():
                results[step_id], step_ms[step_id] = future.result()
    return RunResult(results[plan.output], step_ms, (time.perf_counter() - started) * 1000)


def _timed(caller: StepCaller, step: PlanStep, request: Any, results: dict[str, Any]) -> tuple[Any, float]:
    inputs = {name: resolve(source, request, results) for name, source in step.inputs.items()}
    started = time.perf_counter()
    output = caller.call(step, inputs)
    return output, (time.perf_counter() - started) * 1000

"""A service plan: the step graph, each step's resource profile, where it should run, and the budget.

Plain data (JSON-able via `to_json`), built by the planner, checked by `validate`, rendered for
the operator by `render`, and handed to the executor.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class PlanStep:
    id: str
    function: str
    inputs: dict[str, str]  # input name -> "request[.path]" or a step id
    stage: int  # steps of one stage are independent: they run in parallel
    runtimes: tuple[str, ...]  # runtimes the function supports
    runtime: str  # the fastest by profile; the executor may choose again
    cpu: float
    memory_mib: int
    expected_ms: float
    host_inference: bool = False


@dataclass(frozen=True)
class Site:
    """The compute node nearest the request's source that can host the steps."""

    node: str
    hops: int
    path: tuple[str, ...]
    path_delay_ms: float
    bottleneck_mbps: float


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class ServicePlan:
    service: str
    near: str
    latency_budget_ms: float
    request: str
    steps: tuple[PlanStep, ...]
    output: str
    site: Site | None
    compute_ms: float  # critical path through the steps' expected latencies
    network_ms: float  # request in, answer out between `near` and the site
    checks: tuple[Check, ...] = field(default=())

    @property
    def estimated_ms(self) -> float:
        return self.compute_ms + self.network_ms

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def stages(self) -> list[list[PlanStep]]:
        depth = max((s.stage for s in self.steps), default=-1)
        return [[s for s in self.steps if s.stage == k] for k in range(depth + 1)]

    def step(self, step_id: str) -> PlanStep:
        return next(s for s in self.steps if s.id == step_id)

    def to_json(self) -> dict:
        data = asdict(self)
        data["estimated_ms"] = round(self.estimated_ms, 3)
        data["ok"] = self.ok
        return data

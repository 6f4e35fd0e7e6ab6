"""The one invocation path: `ToolRegistry.invoke(actor, tool, args, target=...)`.

Every call, refused and failed ones included, leaves exactly one audit record. Order of
checks: tool exists -> actor's plane may use the tool's scope -> arguments validate ->
(writes and applies) the anomaly detector's verdict -> run. Write tools return a ChangeSet,
which is stored and whose id goes into the audit record; they never touch a network. Apply
tools (validate, push, rollback) act on a stored ChangeSet and return a report carrying its
`changeset_id`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from netops_tools.anomaly import AnomalyDetector, principal_of
from netops_tools.audit import AuditLog, digest
from netops_tools.context import ToolContext
from netops_tools.errors import (
    NetopsError,
    ToolFailedError,
    ToolInputError,
    ToolRefusedError,
    UnknownToolError,
)
from twin.model.changeset import ChangeSet, ChangeSetError

Effect = Literal["read", "write", "apply"]     # apply: validate/push/rollback a stored ChangeSet
Scope = Literal["control-plane", "service"]
Plane = Literal["control", "data"]
PLANE_SCOPES: dict[str, frozenset[str]] = {"control": frozenset({"control-plane", "service"}),
                                           "data": frozenset({"service"})}


@dataclass(frozen=True)
class Actor:
    name: str
    plane: Plane


@dataclass(frozen=True)
class Tool:
    name: str
    description: str                      # one line: what an LLM sees
    effect: Effect
    scope: Scope
    version: str
    input_model: type[BaseModel]
    run: Callable[[ToolContext, Any], Any]   # read: output model instance; write: ChangeSet

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.description, "effect": self.effect,
                "scope": self.scope, "version": self.version,
                "input_schema": self.input_model.model_json_schema()}


class ChangeSetOutput(BaseModel):
    changeset_id: str
    summary: str
    changeset: dict[str, Any]


@dataclass(frozen=True)
class Invocation:
    tool: str
    output: BaseModel
    changeset: ChangeSet | None
    audit_seq: int


def input_error(tool: str, exc: ValidationError) -> ToolInputError:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or "(arguments)"
    return ToolInputError(tool, field, first.get("msg", "invalid"))


class ToolRegistry:
    def __init__(self, audit: AuditLog, context_for: Callable[[str], ToolContext],
                 anomaly: AnomalyDetector | None = None,
                 on_changeset: Callable[[ChangeSet], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sandboxes: frozenset[str] = frozenset({"twin"})) -> None:
        self._tools: dict[str, Tool] = {}
        self.sandboxes = sandboxes
        self.audit = audit
        self._context_for = context_for
        self.anomaly = anomaly
        self._on_changeset = on_changeset
        self._clock = clock

    def register(self, tool: Tool) -> None:
        if tool.name in self._tools:
            raise ValueError(f"tool {tool.name!r} is registered twice")
        self._tools[tool.name] = tool

    def tools(self, actor: Actor | None = None) -> list[Tool]:
        allowed = PLANE_SCOPES[actor.plane] if actor else None
        return [t for _, t in sorted(self._tools.items()) if allowed is None or t.scope in allowed]

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            known = ", ".join(sorted(self._tools))
            raise UnknownToolError(f"no tool named {name!r}; known: {known}") from None

    def invoke(self, actor: Actor, tool: str, args: dict[str, Any] | None = None, *,
               target: str = "twin", approval: str | None = None) -> Invocation:
        started = self._clock()
        spec = self._tools.get(tool)
        meta = {"actor": actor.name, "plane": actor.plane, "tool": tool, "target": target,
                "version": spec.version if spec else "-", "effect": spec.effect if spec else "-",
                "args": args or {}, "approval": approval, "anomaly": None}
        try:
            output, changeset = self._run(actor, spec, tool, args or {}, target, meta)
        except ToolRefusedError as exc:
            self._record(meta, started, "refused", error=str(exc))
            raise
        except UnknownToolError as exc:
            self._record(meta, started, "refused", error=str(exc))
            raise
        except NetopsError as exc:
            # a failed validate/push/rollback still names the ChangeSet it was about
            named = (args or {}).get("changeset_id") if isinstance(args, dict) else None
            self._record(meta, started, "failed", error=f"{type(exc).__name__}: {exc}",
                         changeset_id=named if isinstance(named, str) else None)
            raise
        record = self._record(meta, started, "ok", result=output.model_dump(mode="json"),
                              changeset_id=self._changeset_id(output, changeset))
        return Invocation(tool, output, changeset, record.seq)

    def _run(self, actor: Actor, spec: Tool | None, name: str, args: dict[str, Any], target: str,
             meta: dict[str, Any]) -> tuple[BaseModel, ChangeSet | None]:
        if spec is None:
            self.get(name)                                  # raises UnknownToolError
        assert spec is not None
        if spec.scope not in PLANE_SCOPES[actor.plane]:
            raise ToolRefusedError(f"{actor.name} is a {actor.plane}-plane actor and may not call "
                                   f"{spec.scope} tool {spec.name!r}")
        if not isinstance(args, dict):
            raise ToolInputError(spec.name, "(arguments)", "arguments must be a JSON object")
        try:
            parsed = spec.input_model.model_validate(args)
        except ValidationError as exc:
            raise input_error(spec.name, exc) from None
        self._screen(actor, spec, target, meta)
        return self._execute(spec, parsed, target)

    def _screen(self, actor: Actor, spec: Tool, target: str, meta: dict[str, Any]) -> None:
        """Ask the anomaly detector; its reasons go into the record, and a flagged write or
        apply without an approval reference is refused."""
        if self.anomaly is None:
            return
        history = self.audit.records(principal=principal_of(actor.name), since=self.anomaly.history_since())
        verdict = self.anomaly.assess(actor.name, spec.name, spec.effect, target, history)
        if not verdict.flagged:
            return
        meta["anomaly"] = "; ".join(verdict.reasons)
        # the twin is the sandbox that absorbs untried changes: a flag there is recorded (and
        # shown to the approver) but only a write to a real network needs the approval
        if spec.effect != "read" and target not in self.sandboxes and not meta["approval"]:
            raise ToolRefusedError(f"{spec.effect} {spec.name!r} by {actor.name} looks anomalous ("
                                   f"{meta['anomaly']}): it needs an explicit approval")

    def _execute(self, spec: Tool, parsed: BaseModel, target: str) -> tuple[BaseModel, ChangeSet | None]:
        try:
            result = spec.run(self._context_for(target), parsed)
        except NetopsError:
            raise
        except ChangeSetError as exc:
            raise ToolInputError(spec.name, "(arguments)", str(exc)) from exc
        except Exception as exc:   # a tool bug must still be audited, with its type named
            raise ToolFailedError(f"{spec.name} failed: {type(exc).__name__}: {exc}") from exc
        if spec.effect == "write":
            if not isinstance(result, ChangeSet):
                raise ToolFailedError(f"write tool {spec.name} returned {type(result).__name__}, "
                                      "not a ChangeSet")
            if self._on_changeset is not None:
                self._on_changeset(result)
            return ChangeSetOutput(changeset_id=result.id, summary=result.describe(),
                                   changeset=result.to_dict()), result
        return result, None

    def _changeset_id(self, output: BaseModel, changeset: ChangeSet | None) -> str | None:
        return changeset.id if changeset else getattr(output, "changeset_id", None)

    def _record(self, meta: dict[str, Any], started: float, outcome: str, *, result: Any = None,
                error: str | None = None, changeset_id: str | None = None):
        return self.audit.append(**meta, outcome=outcome,
                                 result_digest=digest(result) if result is not None else None,
                                 error=error, duration_ms=(self._clock() - started) * 1000.0,
                                 changeset_id=changeset_id)

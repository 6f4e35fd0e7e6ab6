"""Errors of the intent compilers.

    CompilerError (NetopsError)
    ├── IntentError          the intent object is malformed: unknown kind, missing or bad parameter
    │                        (names the parameter); nothing was planned
    └── IntentRefused        the intent is understood but cannot be met on this network; `reason`
        │                    is one of REASONS and `elements` names what is at fault
        └── ConflictRefused  it contradicts something installed; `sides` names both sides

A refusal is an answer, not a crash: agents show its message to the operator.
"""

from __future__ import annotations

from collections.abc import Sequence

from netops_tools.errors import NetopsError

REASONS = frozenset({"unreachable", "capacity", "latency", "breaks_slice", "waypoint", "disconnects",
                     "no_effect",
                     "conflict", "unknown_slice", "not_blocked", "unknown_element"})


class CompilerError(NetopsError):
    """Base of the compilers' errors."""


class IntentError(CompilerError):
    def __init__(self, kind: str | None, parameter: str, problem: str) -> None:
        self.kind = kind
        self.parameter = parameter
        self.problem = problem
        super().__init__(f"{kind or 'intent'}: parameter {parameter!r}: {problem}")


class IntentRefused(CompilerError):
    def __init__(self, kind: str, reason: str, message: str, elements: Sequence[str] = ()) -> None:
        if reason not in REASONS:
            raise ValueError(f"unknown refusal reason {reason!r}")
        self.kind = kind
        self.reason = reason
        self.elements = tuple(elements)
        super().__init__(f"{kind} refused ({reason}): {message}")

    def to_dict(self) -> dict:
        return {"kind": self.kind, "reason": self.reason, "elements": list(self.elements),
                "message": str(self)}


class ConflictRefused(IntentRefused):
    def __init__(self, kind: str, message: str, new: str, installed: str) -> None:
        self.sides = (new, installed)
        super().__init__(kind, "conflict", f"{message} (new: {new}; installed: {installed})",
                         (new, installed))

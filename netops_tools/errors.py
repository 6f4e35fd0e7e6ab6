"""Errors of the Network Operation Toolbox.

    NetopsError
    ├── ToolError
    │   ├── UnknownToolError      no tool by that name
    │   ├── ToolInputError        arguments fail validation (names field and problem)
    │   ├── ToolRefusedError      the actor may not call the tool (plane/scope), or approval missing
    │   └── ToolFailedError       the tool ran and failed (wraps the cause)
    ├── AuditError
    │   └── AuditChainError       the hash chain is broken (names the first bad record)
    ├── PolicyViolation           a ChangeSet breaks a policy (carries every reason)
    ├── DriverError               the controller could not be used (URL and HTTP status in message)
    │   ├── ControllerUnreachable connection refused / DNS / timeout
    │   └── ControllerRejected    the controller answered with an error status
    ├── StoreError                a ChangeSet / report is not in the store
    ├── TargetUnavailable         the named network is not running (environment missing)
    └── PushError
        ├── ValidationRequired    no passing ValidationReport for this ChangeSet id
        ├── ApprovalRequired      no approval reference (or the write was flagged as anomalous)
        └── PushFailed            a push failed; says whether the rollback restored the network
"""

from __future__ import annotations


class NetopsError(Exception):
    """Base of the toolbox's errors."""


class ToolError(NetopsError):
    pass


class UnknownToolError(ToolError):
    pass


class ToolInputError(ToolError):
    """Bad arguments: `field` is the dotted path of the offending argument."""

    def __init__(self, tool: str, field: str, problem: str) -> None:
        self.tool = tool
        self.field = field
        self.problem = problem
        super().__init__(f"{tool}: argument {field!r}: {problem}")


class ToolRefusedError(ToolError):
    pass


class ToolFailedError(ToolError):
    pass


class AuditError(NetopsError):
    pass


class AuditChainError(AuditError):
    def __init__(self, seq: int, problem: str) -> None:
        self.seq = seq
        self.problem = problem
        super().__init__(f"audit record {seq}: {problem}")


class PolicyViolation(NetopsError):
    def __init__(self, changeset_id: str, reasons: list[str]) -> None:
        self.changeset_id = changeset_id
        self.reasons = list(reasons)
        super().__init__(f"ChangeSet {changeset_id} refused by policy: " + "; ".join(reasons))


class DriverError(NetopsError):
    def __init__(self, message: str, url: str = "", status: int | None = None) -> None:
        self.url = url
        self.status = status
        super().__init__(message)


class ControllerUnreachable(DriverError):
    pass


class ControllerRejected(DriverError):
    pass


class StoreError(NetopsError):
    pass


class TargetUnavailable(NetopsError):
    pass


class PushError(NetopsError):
    pass


class ValidationRequired(PushError):
    pass


class ApprovalRequired(PushError):
    pass


class PushFailed(PushError):
    def __init__(self, changeset_id: str, cause: str, restored: bool) -> None:
        self.changeset_id = changeset_id
        self.cause = cause
        self.restored = restored
        state = ("rolled back: flow tables and meters are as before" if restored
                 else "ROLLBACK INCOMPLETE: the network differs from its snapshot")
        super().__init__(f"push of ChangeSet {changeset_id} failed ({cause}); {state}")

"""Policy checks run before a ChangeSet is applied; each refusal carries a clear reason."""

from __future__ import annotations

from netops_tools.errors import PolicyViolation
from netops_tools.policy.admission import slice_admission
from netops_tools.policy.blast import blast_radius
from netops_tools.policy.config import PolicyConfig
from netops_tools.policy.conflicts import flow_conflicts, meter_conflicts
from netops_tools.policy.protected import protected_targets
from netops_tools.state import NetworkState
from twin.model.changeset import ChangeSet


def check_changeset(changeset: ChangeSet, state: NetworkState, config: PolicyConfig) -> list[str]:
    """Every reason the ChangeSet is refused (empty: allowed)."""
    return (blast_radius(changeset, state, config) + protected_targets(changeset, state, config)
            + flow_conflicts(changeset, state) + meter_conflicts(changeset, state)
            + slice_admission(changeset, state))


def enforce(changeset: ChangeSet, state: NetworkState, config: PolicyConfig) -> None:
    reasons = check_changeset(changeset, state, config)
    if reasons:
        raise PolicyViolation(changeset.id, reasons)


__all__ = ["PolicyConfig", "check_changeset", "enforce"]

"""The toolbox's tools, and `build_registry` that registers them all."""

from __future__ import annotations

from collections.abc import Callable

from netops_tools.anomaly import AnomalyDetector
from netops_tools.audit import AuditLog
from netops_tools.context import ToolContext
from netops_tools.registry import Tool, ToolRegistry
from netops_tools.tools import agent, changesets, network, paths, write
from twin.model.changeset import ChangeSet

ALL_TOOLS: list[Tool] = [*network.TOOLS, *paths.TOOLS, *write.TOOLS, *changesets.TOOLS, *agent.TOOLS]


def build_registry(audit: AuditLog, context_for: Callable[[str], ToolContext],
                   anomaly: AnomalyDetector | None = None,
                   on_changeset: Callable[[ChangeSet], None] | None = None,
                   sandboxes: frozenset[str] = frozenset({"twin"})) -> ToolRegistry:
    registry = ToolRegistry(audit, context_for, anomaly=anomaly, on_changeset=on_changeset, sandboxes=sandboxes)
    for tool in ALL_TOOLS:
        registry.register(tool)
    return registry


__all__ = ["ALL_TOOLS", "build_registry"]

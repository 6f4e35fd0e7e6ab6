"""Shared pieces of the tool modules: strict input models and name checks against the topology."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from netops_tools.context import ToolContext
from netops_tools.drivers.base import InstalledFlow
from netops_tools.errors import ToolInputError
from twin.model.changeset import role_of_cookie

VERSION = "1.0"


class Args(BaseModel):
    """Base of every input model: unknown arguments are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class NoArgs(Args):
    pass


def require_switch(ctx: ToolContext, tool: str, field: str, name: str) -> int:
    if name not in ctx.addressing.dpids:
        raise ToolInputError(tool, field, f"{name!r} is not a switch of {ctx.topology.name}; switches: "
                             + ", ".join(sorted(ctx.addressing.dpids)))
    return ctx.addressing.dpids[name]


def require_host(ctx: ToolContext, tool: str, field: str, name: str) -> None:
    if name not in ctx.addressing.hosts:
        raise ToolInputError(tool, field, f"{name!r} is not a host of {ctx.topology.name}; hosts: "
                             + ", ".join(sorted(ctx.addressing.hosts)))


def flow_view(flow: InstalledFlow) -> dict[str, Any]:
    rule = flow.rule
    return {**rule.to_dict(), "cookie": f"{flow.cookie:#018x}", "owner": role_of_cookie(flow.cookie),
            "packet_count": flow.packet_count, "byte_count": flow.byte_count}

"""Read tools about the network's elements: topology, switches, flows, ports, meters, compute."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from netops_tools.context import ToolContext
from netops_tools.registry import Tool
from netops_tools.tools.common import VERSION, Args, NoArgs, flow_view, require_switch


class TopologyOut(BaseModel):
    name: str
    nodes: list[dict[str, Any]]
    links: list[dict[str, Any]]


def topology(ctx: ToolContext, _: NoArgs) -> TopologyOut:
    topo = ctx.topology
    nodes = [{"name": n.name, "role": n.role, "cpu": n.capacity.cpu, "memory_mib": n.capacity.memory_mib,
              "accelerator": n.capacity.accelerator} for n in topo.nodes.values()]
    links = [{"a": link.a, "b": link.b, "bandwidth_mbps": link.bandwidth_mbps, "delay_ms": link.delay_ms}
             for link in topo.links]
    return TopologyOut(name=topo.name, nodes=nodes, links=links)


class SwitchesOut(BaseModel):
    switches: list[dict[str, Any]]


def switches(ctx: ToolContext, _: NoArgs) -> SwitchesOut:
    connected = set(ctx.driver.switches())
    rows = [{"name": name, "dpid": dpid, "connected": dpid in connected}
            for name, dpid in sorted(ctx.addressing.dpids.items(), key=lambda kv: kv[1])]
    return SwitchesOut(switches=rows)


class SwitchArgs(Args):
    switch: str


class FlowsArgs(SwitchArgs):
    owner: str | None = None          # changeset | controller | other: filter by cookie role


class FlowsOut(BaseModel):
    switch: str
    dpid: int
    flows: list[dict[str, Any]]


def flows(ctx: ToolContext, args: FlowsArgs) -> FlowsOut:
    dpid = require_switch(ctx, "flows", "switch", args.switch)
    rows = [flow_view(f) for f in ctx.driver.flows(dpid)]
    if args.owner:
        rows = [r for r in rows if r["owner"] == args.owner]
    return FlowsOut(switch=args.switch, dpid=dpid, flows=rows)


class PortsOut(BaseModel):
    switch: str
    ports: list[dict[str, Any]]


def ports(ctx: ToolContext, args: SwitchArgs) -> PortsOut:
    dpid = require_switch(ctx, "ports", "switch", args.switch)
    rows = []
    for counters in ctx.driver.ports(dpid):
        try:
            neighbour = ctx.addressing.neighbour_on_port(args.switch, counters.port_no)
        except KeyError:
            neighbour = None
        rows.append({**counters.to_dict(), "neighbour": neighbour})
    return PortsOut(switch=args.switch, ports=rows)


class MetersOut(BaseModel):
    switch: str
    meters: list[dict[str, Any]]


def meters(ctx: ToolContext, args: SwitchArgs) -> MetersOut:
    dpid = require_switch(ctx, "meters", "switch", args.switch)
    return MetersOut(switch=args.switch, meters=[m.to_dict() for m in ctx.driver.meters(dpid)])


class ComputeOut(BaseModel):
    nodes: list[dict[str, Any]]


def compute_nodes(ctx: ToolContext, _: NoArgs) -> ComputeOut:
    rows = [{"name": n.name, "role": n.role, "cpu": n.capacity.cpu, "memory_mib": n.capacity.memory_mib,
             "accelerator": n.capacity.accelerator}
            for n in ctx.topology.nodes.values() if n.capacity.cpu > 0]
    return ComputeOut(nodes=rows)


TOOLS = [
    Tool("topology", "The network's nodes (roles, compute capacity) and links (bandwidth, delay).",
         "read", "control-plane", VERSION, NoArgs, topology),
    Tool("switches", "Every switch with its dpid and whether it is connected to the controller.",
         "read", "control-plane", VERSION, NoArgs, switches),
    Tool("flows", "The flow entries installed on one switch, with owner (changeset/controller) and counters.",
         "read", "control-plane", VERSION, FlowsArgs, flows),
    Tool("ports", "Per-port packet and byte counters of one switch, with the neighbour on each port.",
         "read", "control-plane", VERSION, SwitchArgs, ports),
    Tool("meters", "The OpenFlow meters (rate limiters) configured on one switch.",
         "read", "control-plane", VERSION, SwitchArgs, meters),
    Tool("compute_nodes", "Nodes that can run edge functions, with CPU, memory and accelerator.",
         "read", "service", VERSION, NoArgs, compute_nodes),
]

"""Read tools about forwarding: path, reachability, link utilisation, slices, ACLs.

Paths and reachability are traced through the installed flow tables (what the network does
now); the planned path is the lowest-delay path on the topology (what routing would pick).
"""

from __future__ import annotations

import heapq
from typing import Any, Literal

from pydantic import BaseModel, Field

from netops_tools.context import ToolContext
from netops_tools.registry import Tool
from netops_tools.tools.common import VERSION, Args, NoArgs, require_host
from netops_tools.trace import trace
from twin.model import Topology
from twin.model.changeset import role_of_cookie


class PairArgs(Args):
    src: str
    dst: str
    proto: Literal["icmp", "tcp", "udp"] | None = None
    port: int | None = Field(default=None, ge=1, le=65535)


def planned_path(topo: Topology, src: str, dst: str) -> list[str]:
    """Lowest total link delay (hop count breaks ties); hosts never forward."""
    queue: list[tuple[float, int, str, tuple[str, ...]]] = [(0.0, 0, src, (src,))]
    done: set[str] = set()
    while queue:
        delay, hops, node, path = heapq.heappop(queue)
        if node == dst:
            return list(path)
        if node in done:
            continue
        done.add(node)
        if node != src and topo.nodes[node].is_host:
            continue
        for link in topo.links_of(node):
            other = link.other(node)
            if other not in done:
                heapq.heappush(queue, (delay + link.delay_ms, hops + 1, other, path + (other,)))
    return []


class PathOut(BaseModel):
    src: str
    dst: str
    planned: list[str]
    traced: list[str]
    outcome: str
    decisions: list[dict[str, Any]]


def _flow_tables(ctx: ToolContext) -> dict[int, list]:
    return {d: [f.rule for f in ctx.driver.flows(d)] for d in ctx.driver.switches()}


def _check_pair(ctx: ToolContext, tool: str, args: PairArgs) -> None:
    require_host(ctx, tool, "src", args.src)
    require_host(ctx, tool, "dst", args.dst)


def path(ctx: ToolContext, args: PairArgs) -> PathOut:
    _check_pair(ctx, "path", args)
    result = trace(_flow_tables(ctx), ctx.addressing, args.src, args.dst, args.proto, args.port)
    return PathOut(src=args.src, dst=args.dst, planned=planned_path(ctx.topology, args.src, args.dst),
                   traced=list(result.path), outcome=result.outcome, decisions=list(result.decisions))


class ReachabilityOut(BaseModel):
    src: str
    dst: str
    reachable: bool
    forward: str
    reverse: str


def reachability(ctx: ToolContext, args: PairArgs) -> ReachabilityOut:
    """Both directions must be delivered (a ping needs its reply)."""
    _check_pair(ctx, "reachability", args)
    tables = _flow_tables(ctx)
    there = trace(tables, ctx.addressing, args.src, args.dst, args.proto, args.port)
    back = trace(tables, ctx.addressing, args.dst, args.src, args.proto, None)
    return ReachabilityOut(src=args.src, dst=args.dst, reachable=there.delivered and back.delivered,
                           forward=there.outcome, reverse=back.outcome)


class UtilisationArgs(Args):
    interval_s: float = Field(default=1.0, gt=0, le=60)


class UtilisationOut(BaseModel):
    interval_s: float
    links: list[dict[str, Any]]


def _tx_bytes(ctx: ToolContext) -> dict[tuple[str, str], int]:
    out = {}
    for switch, dpid in ctx.addressing.dpids.items():
        for counters in ctx.driver.ports(dpid):
            try:
                out[(switch, ctx.addressing.neighbour_on_port(switch, counters.port_no))] = counters.tx_bytes
            except KeyError:
                continue
    return out


def link_utilisation(ctx: ToolContext, args: UtilisationArgs) -> UtilisationOut:
    """Transmit-byte deltas over the interval, per link direction, against link bandwidth."""
    before = _tx_bytes(ctx)
    ctx.sleep(args.interval_s)
    after = _tx_bytes(ctx)
    rows = []
    for link in ctx.topology.links:
        for a, b in ((link.a, link.b), (link.b, link.a)):
            if (a, b) in after:
                mbps = (after[(a, b)] - before.get((a, b), 0)) * 8 / args.interval_s / 1e6
                rows.append({"from": a, "to": b, "mbps": round(mbps, 3),
                             "utilisation": round(mbps / link.bandwidth_mbps, 4)})
    return UtilisationOut(interval_s=args.interval_s, links=rows)


class SlicesOut(BaseModel):
    slices: list[dict[str, Any]]


def slices(ctx: ToolContext, _: NoArgs) -> SlicesOut:
    return SlicesOut(slices=[s.to_dict() for s in ctx.slices])


class AclsOut(BaseModel):
    acls: list[dict[str, Any]]


def acls(ctx: ToolContext, _: NoArgs) -> AclsOut:
    """Drop rules (no output) installed by ChangeSets or by hand; the controller's are excluded."""
    rows = []
    for switch, dpid in sorted(ctx.addressing.dpids.items(), key=lambda kv: kv[1]):
        if dpid not in set(ctx.driver.switches()):
            continue
        for flow in ctx.driver.flows(dpid):
            owner = role_of_cookie(flow.cookie)
            if flow.rule.drops and owner != "controller" and flow.rule.priority > 0:
                rows.append({"switch": switch, "dpid": dpid, "priority": flow.rule.priority,
                             "match": dict(flow.rule.match), "cookie": f"{flow.cookie:#018x}",
                             "owner": owner, "packet_count": flow.packet_count})
    return AclsOut(acls=rows)


TOOLS = [
    Tool("path", "The path src-to-dst traffic takes now (traced through flow tables) and the planned path.",
         "read", "control-plane", VERSION, PairArgs, path),
    Tool("reachability", "Whether src can reach dst now (both directions traced through flow tables).",
         "read", "control-plane", VERSION, PairArgs, reachability),
    Tool("link_utilisation", "Per-link, per-direction throughput and share of bandwidth over an interval.",
         "read", "control-plane", VERSION, UtilisationArgs, link_utilisation),
    Tool("slices", "The network slices admitted on this network, with guaranteed rates and links.",
         "read", "control-plane", VERSION, NoArgs, slices),
    Tool("acls", "The drop rules (access control) installed on every switch.",
         "read", "control-plane", VERSION, NoArgs, acls),
]

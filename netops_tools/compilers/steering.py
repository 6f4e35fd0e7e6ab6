"""path.avoid | path.via | node.drain -> ChangeSet: per-pair flows along a new path.

Each affected host pair gets one flow per switch on its new path, both directions (replies
take the way the request took), at a priority above the controller's routing; steering
flows installed earlier for the same pairs are replaced. The checks probe the paths on the
twin (flow counters), never the plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from typing import Any

from netops_tools.compilers import proofs
from netops_tools.compilers.errors import IntentError, IntentRefused
from netops_tools.compilers.forwarding import (
    PRIORITY,
    both_ways,
    current_path,
    free_priority,
    require_host,
    require_node,
    steering_flows_of,
)
from netops_tools.compilers.installed import InstalledState
from netops_tools.matching import covers
from twin.analysis import path_avoiding, path_via
from twin.analysis.reachability import reachability
from twin.model.changeset import ChangeSet, FlowRule

PROVEN_PAIRS = 4        # path checks per ChangeSet (each costs a ping train and two counter reads)


def path_avoid(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "path.avoid"
    nodes, links = _avoided(state, params.get("avoid") or [])
    names = sorted(nodes) + ["-".join(link) for link in sorted(links)]
    if not names:
        raise IntentError(kind, "avoid", "name at least one node or link (a-b) to avoid")
    pairs = _given_pair(state, kind, params) or _crossing(state, nodes, links)
    if not pairs:
        raise IntentRefused(kind, "no_effect", f"no host pair's traffic crosses {', '.join(names)}", names)
    routes = []
    for a, b in pairs:
        answer = path_avoiding(state.topology, a, b, nodes, links)
        if answer.refusal is not None:
            raise IntentRefused(kind, "unreachable", answer.refusal.message, [a, b, *names])
        routes.append(answer.route.nodes)
    return _steer(kind, state, params, routes, names, f"avoid {', '.join(names)}")


def path_via_intent(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "path.via"
    pair = _given_pair(state, kind, params)
    if not pair:
        raise IntentError(kind, "src", "path.via needs both src and dst")
    via = [require_node(state, kind, "via", v) for v in params.get("via") or []]
    if not via:
        raise IntentError(kind, "via", "name at least one waypoint")
    (src, dst), = pair
    answer = path_via(state.topology, src, dst, via)
    if answer.refusal is not None:
        raise IntentRefused(kind, "waypoint", answer.refusal.message,
                            [e for e in (answer.refusal.node,) if e])
    route = answer.route.nodes
    checks = [{"type": "path_via", "src": src, "dst": dst, "via": via},
              {"type": "path_via", "src": dst, "dst": src, "via": via[::-1]}]
    return _steer(kind, state, params, [route], [], f"via {' -> '.join(via)}", checks)


def node_drain(state: InstalledState, params: dict[str, Any]) -> ChangeSet:
    kind = "node.drain"
    node = require_node(state, kind, "node", params.get("node"))
    if state.topology.nodes[node].is_host:
        raise IntentError(kind, "node", f"{node} is a host; drain the switch it hangs off")
    _refuse_if_cut(state, node)
    pairs = _crossing(state, {node}, set())
    if not pairs:
        raise IntentRefused(kind, "no_effect", f"no host pair's traffic crosses {node}: nothing to move",
                            (node,))
    routes = [path_avoiding(state.topology, a, b, [node]).route.nodes for a, b in pairs]
    return _steer(kind, state, params, routes, [node], f"drain {node}")


def _refuse_if_cut(state: InstalledState, node: str) -> None:
    before = reachability(state.topology)
    after = reachability(state.topology.without(nodes=[node]))
    lost = before.pairs - {p for p in after.pairs}
    if not lost:
        return
    majority = _largest_group(after)
    cut = sorted({h for pair in lost for h in pair if h not in majority})
    raise IntentRefused("node.drain", "disconnects",
                        f"draining {node} would cut {', '.join(cut)} off the rest of the network "
                        f"({len(lost)} host pairs lose connectivity)", cut)


def _largest_group(reach) -> set[str]:
    groups: list[set[str]] = []
    for host in reach.hosts:
        for group in groups:
            if reach.can_reach(host, next(iter(group))):
                group.add(host)
                break
        else:
            groups.append({host})
    return max(groups, key=len) if groups else set()


def _given_pair(state: InstalledState, kind: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    src, dst = params.get("src"), params.get("dst")
    if src is None and dst is None:
        return []
    if src is None or dst is None:
        raise IntentError(kind, "src" if src is None else "dst", "give both src and dst, or neither")
    src, dst = require_host(state, kind, "src", src), require_host(state, kind, "dst", dst)
    if src == dst:
        raise IntentError(kind, "dst", "src and dst are the same host")
    return [(src, dst)]


def _avoided(state: InstalledState, items: Iterable[Any]) -> tuple[set[str], set[tuple[str, str]]]:
    nodes, links = set(), set()
    for item in items:
        if isinstance(item, str) and "-" in item and item not in state.topology.nodes:
            a, b = (require_node(state, "path.avoid", "avoid", end) for end in item.split("-", 1))
            if b not in state.topology.neighbors(a):
                raise IntentError("path.avoid", "avoid", f"there is no link {item}")
            links.add(tuple(sorted((a, b))))
        else:
            nodes.add(require_node(state, "path.avoid", "avoid", item))
    return nodes, links


def _crossing(state: InstalledState, nodes: set[str], links: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Host pairs (a < b) whose current path crosses an avoided node or link (not as an end)."""
    pairs = []
    for a, b in combinations(sorted(state.addressing.hosts), 2):
        path = current_path(state, a, b)
        if path is None or a in nodes or b in nodes:
            continue
        hops = {tuple(sorted(h)) for h in zip(path, path[1:], strict=False)}
        if nodes & set(path[1:-1]) or links & hops:
            pairs.append((a, b))
    return pairs


def _steer(kind: str, state: InstalledState, params: dict[str, Any], routes: list[tuple[str, ...]],
           avoid: list[str], what: str, checks: list[dict] | None = None) -> ChangeSet:
    directed = [(r[0], r[-1]) for r in routes] + [(r[-1], r[0]) for r in routes]
    old = tuple(steering_flows_of(state, directed))
    priority = free_priority(PRIORITY["steer"], old)
    flows = _live(state, [f for route in routes for f in both_ways(state, route, priority)])
    blocked = proofs.echo_blocked(state)      # a blocked pair is proven still blocked, not probed along
    if checks is None:
        probed = [r for r in routes if (r[0], r[-1]) not in blocked]
        checks = [c for route in probed[:PROVEN_PAIRS] for c in proofs.path_check(route, avoid)]
    moved = {pair for r in routes for pair in ((r[0], r[-1]), (r[-1], r[0]))}
    checks += proofs.preserved(p for p in proofs.unaffected_pairs(state, ()) if p not in moved)
    checks += [{"type": "reachable", "src": a, "dst": b} for a, b in sorted(moved - blocked)]
    checks += [{"type": "blocked", "src": acl.src, "dst": acl.dst, "proto": "icmp"}
               for acl in state.acls if acl.proto in (None, "icmp") and (acl.src, acl.dst) in moved]
    plan = {"routes": [list(r) for r in routes], "avoid": avoid}
    return ChangeSet(flows_add=tuple(flows), flows_remove=old, checks=tuple(checks),
                     summary=f"{kind}: {what} for {len(routes)} pair(s)",
                     intent={"kind": kind, "params": params, "plan": plan})


def _live(state: InstalledState, flows: list[FlowRule]) -> list[FlowRule]:
    """Leave out the rules an installed drop covers on the same switch. Blocks sit above steering
    by design (PRIORITY): where a block discards a pair's traffic, a steering rule could never
    fire, and installing it would only be refused as shadowed (a drain across a blocked pair)."""
    drops = state.all_flows()

    def dropped(rule: FlowRule) -> bool:
        return any(not old.actions and old.meter_id is None and old.priority > rule.priority
                   and old.table_id == rule.table_id and covers(old.match, rule.match)
                   for old in drops.get(rule.dpid, ()))

    return [rule for rule in flows if not dropped(rule)]

"""What a network already holds, as the compilers see it.

The flow tables and meters (read from the controller) say what is installed; the ChangeSets
applied on the target, in the order they were applied, say *why*: each compiled ChangeSet
carries its intent and the plan it was compiled to (paths, DSCP, queue, meter ids), so
slices and ACLs are recovered from them. A slice.modify supersedes the create, a delete
ends it; an acl.allow ends the blocks it lifted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from twin.analysis import AdmittedSlice
from twin.model import Addressing, Topology
from twin.model.changeset import ChangeSet, FlowRule, Meter, QueueSetting


@dataclass(frozen=True)
class SliceRecord:
    """An admitted slice and the ChangeSet that installed its current form."""

    name: str
    plan: Mapping[str, Any]         # endpoints, rate_mbps, latency_ms, cap_mbps, dscp, queue_id, paths
    changeset: ChangeSet

    @property
    def endpoints(self) -> tuple[str, ...]:
        return tuple(self.plan["endpoints"])

    @property
    def rate_mbps(self) -> float:
        return float(self.plan["rate_mbps"])

    @property
    def paths(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(p) for p in self.plan["paths"])

    def admitted(self) -> AdmittedSlice:
        return AdmittedSlice(self.name, self.rate_mbps, self.paths, self.plan.get("latency_ms"))

    def guarantees(self, src: str, dst: str) -> bool:
        return src in self.endpoints and dst in self.endpoints and src != dst


@dataclass(frozen=True)
class AclRecord:
    """One installed block (src -> dst, proto and port or None for all)."""

    src: str
    dst: str
    proto: str | None
    port: int | None
    changeset: ChangeSet

    def describe(self) -> str:
        what = "all traffic" if self.proto is None else self.proto + (f"/{self.port}" if self.port else "")
        return f"block {self.src}->{self.dst} {what} (ChangeSet {self.changeset.id})"


@dataclass(frozen=True)
class InstalledState:
    topology: Topology
    flows: Mapping[int, Sequence[FlowRule]] = field(default_factory=dict)     # dpid -> installed flows
    meters: Mapping[int, Sequence[Meter]] = field(default_factory=dict)
    changesets: tuple[ChangeSet, ...] = ()                                   # applied, in order

    @cached_property
    def addressing(self) -> Addressing:
        return Addressing.of(self.topology)

    @cached_property
    def slices(self) -> dict[str, SliceRecord]:
        records: dict[str, SliceRecord] = {}
        for cs, kind, plan in self._compiled():
            if kind in ("slice.create", "slice.modify"):
                records[plan["name"]] = SliceRecord(plan["name"], plan, cs)
            elif kind == "slice.delete":
                records.pop(plan["name"], None)
        return records

    @cached_property
    def acls(self) -> tuple[AclRecord, ...]:
        blocks: list[AclRecord] = []
        for cs, kind, plan in self._compiled():
            if kind == "acl.block":
                blocks.append(AclRecord(plan["src"], plan["dst"], plan["proto"], plan["port"], cs))
            elif kind == "acl.allow":
                lifted = set(plan.get("lifted", ()))
                blocks = [b for b in blocks if b.changeset.id not in lifted]
        return tuple(blocks)

    def _compiled(self) -> list[tuple[ChangeSet, str, Mapping[str, Any]]]:
        out = []
        for cs in self.changesets:
            intent = cs.intent or {}
            if isinstance(intent.get("plan"), Mapping):
                out.append((cs, str(intent.get("kind")), intent["plan"]))
        return out

    def admitted(self, excluding: str | None = None) -> tuple[AdmittedSlice, ...]:
        return tuple(r.admitted() for name, r in sorted(self.slices.items()) if name != excluding)

    def all_flows(self) -> dict[int, list[FlowRule]]:
        """Installed flows, or (without a read of the tables) those of the applied ChangeSets."""
        if self.flows:
            return {d: list(rules) for d, rules in self.flows.items()}
        out: dict[int, list[FlowRule]] = {}
        for cs in self.changesets:
            for rule in cs.installed_flows():
                out.setdefault(rule.dpid, []).append(rule)
        return out

    def meter_ids(self, dpid: int) -> set[int]:
        ids = {m.meter_id for m in self.meters.get(dpid, ())}
        for cs in self.changesets:
            ids |= {m.meter_id for m in cs.meters_add if m.dpid == dpid}
        return ids

    def queues(self) -> list[QueueSetting]:
        return [q for r in self.slices.values() for q in r.changeset.queues_add]

"""Slice admission: guaranteed rates over each link must fit the link's capacity."""

from __future__ import annotations

from collections import defaultdict

from netops_tools.state import NetworkState
from twin.model.changeset import ChangeSet


def slice_admission(changeset: ChangeSet, state: NetworkState) -> list[str]:
    if not changeset.slices or state.topology is None:
        return []
    replaced = {s.name for s in changeset.slices}
    load: dict[str, float] = defaultdict(float)
    holders: dict[str, list[str]] = defaultdict(list)
    for admitted in state.slices:
        if admitted.name in replaced:
            continue                     # a modify replaces the slice's old reservation
        for key in admitted.links:
            load[key] += admitted.guaranteed_mbps
            holders[key].append(admitted.name)
    capacity = {link.key: link.bandwidth_mbps for link in state.topology.links}
    reasons = []
    for new in changeset.slices:
        for key in new.links:
            if key not in capacity:
                reasons.append(f"slice {new.name} reserves link {key}, which is not in the topology")
                continue
            total = load[key] + new.guaranteed_mbps
            if total > capacity[key]:
                others = ", ".join(holders[key]) or "none"
                reasons.append(f"slice {new.name} needs {new.guaranteed_mbps:g} Mbit/s on link {key}: "
                               f"{load[key]:g} of {capacity[key]:g} Mbit/s already guaranteed (slices: "
                               f"{others})")
            load[key] = total
            holders[key].append(new.name)
    return reasons

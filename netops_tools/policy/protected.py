"""Protected nodes and hosts: switches nobody may change, hosts whose traffic nobody may match."""

from __future__ import annotations

from netops_tools.policy.config import PolicyConfig
from netops_tools.state import NetworkState
from twin.model.changeset import ChangeSet

_ADDRESS_FIELDS = ("ipv4_src", "ipv4_dst", "eth_src", "eth_dst")


def protected_targets(changeset: ChangeSet, state: NetworkState, config: PolicyConfig) -> list[str]:
    if state.addressing is None:
        return []
    reasons = []
    dpids = state.addressing.dpids
    for node in sorted(config.protected_nodes):
        dpid = dpids.get(node)
        if dpid is not None and dpid in changeset.dpids():
            reasons.append(f"changes switch {node} (dpid {dpid}), which is protected")
        if any(q.switch == node for q in changeset.queues_add + changeset.queues_remove):
            reasons.append(f"changes queues on switch {node}, which is protected")
    for host in sorted(config.protected_hosts):
        address = state.addressing.hosts.get(host)
        if address is None:
            continue
        values = {address.ip, address.mac}
        for rule in changeset.flows_add + changeset.flows_remove:
            hit = [f for f in _ADDRESS_FIELDS if str(rule.match.get(f, "")).split("/")[0] in values]
            if hit:
                reasons.append(f"a flow on dpid {rule.dpid} matches traffic of protected host {host} "
                               f"({', '.join(hit)})")
                break
    return reasons

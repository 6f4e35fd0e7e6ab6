"""Policy settings: how much a ChangeSet may remove and what it may never touch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PolicyConfig:
    max_remove_share: float = 0.5            # of a switch's flows (excluding the controller's)
    min_flows_for_share: int = 4             # below this a switch may lose one flow regardless
    protected_nodes: frozenset[str] = frozenset()   # switches nobody may change
    protected_hosts: frozenset[str] = frozenset()   # hosts whose traffic nobody may match on

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PolicyConfig:
        return cls(max_remove_share=float(data.get("max_remove_share", 0.5)),
                   min_flows_for_share=int(data.get("min_flows_for_share", 4)),
                   protected_nodes=frozenset(data.get("protected_nodes", ())),
                   protected_hosts=frozenset(data.get("protected_hosts", ())))

"""Settings from the environment, in one place. Nothing here touches the network."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path               # audit log, ChangeSet store, agent checkpoints
    twin: str = "twin"       # the network changes are validated on
    prod: str = "prod"       # the network changes are pushed to
    topology: str = "edge6g"
    operator: str = "operator"

    @classmethod
    def from_env(cls) -> Settings:
        home = Path(os.environ.get("AAAS_HOME") or Path.home() / ".local" / "state" / "aaas")
        return cls(home=home, twin=os.environ.get("AAAS_TWIN", "twin"), prod=os.environ.get("AAAS_PROD", "prod"),
                   topology=os.environ.get("AAAS_TOPOLOGY", "edge6g"),
                   operator=os.environ.get("AAAS_OPERATOR") or os.environ.get("USER") or "operator")

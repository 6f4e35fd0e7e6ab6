"""The toolbox's persistent home and its connection to named networks.

Home (AAAS_HOME, default ~/.local/state/aaas): audit.sqlite, changesets.sqlite and an
optional policy.json ({"max_remove_share", "protected_nodes", "protected_hosts"}). A target
name ("twin", "prod") is a network brought up by `aaas twin up --name NAME`: its controller
URL and topology come from twin.emu.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from netops_tools.anomaly import AnomalyDetector
from netops_tools.audit import AuditLog
from netops_tools.context import ToolContext
from netops_tools.drivers.http import OfctlRestDriver
from netops_tools.emu_prober import EmuProber
from netops_tools.errors import NetopsError, TargetUnavailable
from netops_tools.policy.config import PolicyConfig
from netops_tools.registry import ToolRegistry
from netops_tools.store import ChangeSetStore
from netops_tools.tools import build_registry


def default_home() -> Path:
    return Path(os.environ.get("AAAS_HOME") or Path.home() / ".local" / "state" / "aaas")


class Workspace:
    def __init__(self, home: str | Path | None = None) -> None:
        self.home = Path(home) if home else default_home()
        self.home.mkdir(parents=True, exist_ok=True)
        self.audit = AuditLog(self.home / "audit.sqlite")
        self.store = ChangeSetStore(self.home / "changesets.sqlite")
        self.policy = self._policy()
        self._contexts: dict[str, ToolContext] = {}

    def _policy(self) -> PolicyConfig:
        path = self.home / "policy.json"
        if not path.exists():
            return PolicyConfig()
        try:
            return PolicyConfig.from_dict(json.loads(path.read_text()))
        except (ValueError, TypeError) as exc:
            raise NetopsError(f"{path} is not a valid policy: {exc}") from exc

    def context(self, target: str) -> ToolContext:
        if target not in self._contexts:
            network = _load_network(target)
            driver = OfctlRestDriver(network.controller_url)
            self._contexts[target] = ToolContext(
                target=target, topology=network.topology, driver=driver,
                slices=self.store.admitted_slices(target), store=self.store,
                prober=EmuProber(network, driver), policy=self.policy, peer=self.context,
                queues=network.queues(), network=network)
        context = self._contexts[target]
        context.slices = self.store.admitted_slices(target)     # pushes since the last call count
        return context

    def registry(self, anomaly: bool = True, sandboxes: frozenset[str] = frozenset({"twin"})) -> ToolRegistry:
        """`sandboxes`: the twin networks, where an anomalous write is recorded but not refused."""
        return build_registry(self.audit, self.context, anomaly=AnomalyDetector() if anomaly else None,
                              on_changeset=self.store.save, sandboxes=sandboxes)


def _load_network(name: str):
    try:
        from twin.emu import EmuError, Network
    except ImportError as exc:
        raise TargetUnavailable(f"the emulation (twin.emu) is not importable: {exc}") from exc
    try:
        return Network.load(name)
    except EmuError as exc:
        raise TargetUnavailable(f"network {name!r} is not running: {exc}") from exc

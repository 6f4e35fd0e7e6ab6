"""What a running network is made of, on disk, so any later command (or a clean-up after a
crash) knows exactly what the project started and nothing else.

Every emulated name carries the network's prefix `aa<slot>` (3 characters, leaving room in
Linux's 15-character interface names for `aa0s123-eth12`).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from twin.emu.errors import NetworkBusy, NetworkNotFound

PREFIX_STEM = "aa"
SLOTS = "0123456789abcdefghijklmnopqrstuvwxyz"
DEFAULT_STATE_DIR = Path("/run/aaas")
# Interface and bridge names are machine-wide, so prefixes are reserved machine-wide too,
# whatever state directory a run uses.
PREFIX_REGISTRY = Path(os.environ.get("AAAS_PREFIX_DIR", "/run/aaas/prefixes"))
NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


def state_dir() -> Path:
    path = Path(os.environ.get("AAAS_STATE_DIR", DEFAULT_STATE_DIR))
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass
class NetworkState:
    name: str
    prefix: str
    topology_file: str                      # the emulated topology (JSON), as the controller got it
    status: str = "starting"                # starting | ready | failed | stopping
    keeper_pid: int | None = None
    controller_pid: int | None = None
    ofp_port: int | None = None
    rest_port: int | None = None
    host_pids: dict[str, int] = field(default_factory=dict)      # model host name -> shell pid
    switch_pids: dict[str, int] = field(default_factory=dict)    # model switch name -> shell pid
    emulated_names: dict[str, str] = field(default_factory=dict) # model name -> emulated name
    link_interfaces: dict[str, list[str]] = field(default_factory=dict)  # "a-b" -> switch-side intfs
    error: str | None = None
    started_at: float | None = None
    ready_s: float | None = None

    @property
    def path(self) -> Path:
        return state_dir() / f"net-{self.name}.json"

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1))
        tmp.replace(self.path)

    @classmethod
    def load(cls, name: str) -> NetworkState:
        path = state_dir() / f"net-{name}.json"
        try:
            return cls(**json.loads(path.read_text()))
        except FileNotFoundError:
            raise NetworkNotFound(f"no network named {name!r} is up (start it with "
                                  f"`aaas twin up --name {name}`)") from None
        except (ValueError, TypeError) as exc:
            raise NetworkNotFound(f"state file {path} is unreadable ({exc}); "
                                  "run `aaas twin clean`") from None


def all_states() -> list[NetworkState]:
    states = []
    for path in sorted(state_dir().glob("net-*.json")):
        try:
            states.append(NetworkState.load(path.stem[4:]))
        except NetworkNotFound:
            continue
    return states


def check_name(name: str) -> None:
    if not name or len(name) > 32 or not set(name) <= NAME_CHARS:
        raise NetworkBusy(f"network name {name[:40]!r} must be 1-32 characters of a-z, 0-9, - and _")


@contextmanager
def allocation_lock() -> Iterator[None]:
    PREFIX_REGISTRY.mkdir(parents=True, exist_ok=True)
    with open(PREFIX_REGISTRY / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def allocate(name: str, topology_file: str, names_in_use: set[str]) -> NetworkState:
    """Reserve a name and a prefix; the state file exists before anything is created.

    A prefix is free when no registry entry holds it (an entry whose state file is gone is
    stale) and no existing interface or bridge starts with it."""
    check_name(name)
    with allocation_lock():
        if any(s.name == name for s in all_states()):
            raise NetworkBusy(f"a network named {name!r} is already up; `aaas twin down --name {name}` "
                              "first, or pick another name")
        for slot in SLOTS:
            prefix = PREFIX_STEM + slot
            entry = PREFIX_REGISTRY / prefix
            if entry.exists() and Path(entry.read_text().strip()).exists():
                continue
            if any(owned_name(n, prefix) for n in names_in_use):
                continue
            state = NetworkState(name=name, prefix=prefix, topology_file=topology_file)
            state.save()
            entry.write_text(str(state.path))
            return state
        raise NetworkBusy("all 36 network prefixes are in use; take a network down first")


def release(state: NetworkState) -> None:
    entry = PREFIX_REGISTRY / state.prefix
    try:
        if entry.read_text().strip() == str(state.path):
            entry.unlink()
    except OSError:
        pass


def orphaned_prefixes() -> list[str]:
    """Prefixes reserved for a state file that is gone: what they named is ours to remove."""
    if not PREFIX_REGISTRY.is_dir():
        return []
    with allocation_lock():
        return sorted(entry.name for entry in PREFIX_REGISTRY.iterdir()
                      if not entry.name.startswith(".") and not Path(entry.read_text().strip()).exists())


def release_prefix(prefix: str) -> None:
    (PREFIX_REGISTRY / prefix).unlink(missing_ok=True)


def owned_name(name: str, prefix: str) -> bool:
    """aa0s12, aa0s12-eth3, aa0h4-eth0: the prefix followed by s or h and digits."""
    rest = name[len(prefix):] if name.startswith(prefix) else ""
    return len(rest) > 1 and rest[0] in "sh" and rest[1].isdigit()


def pid_alive(pid: int | None, marker: str | None = None) -> bool:
    """True if the pid runs and, when a marker is given, its command line contains it (a pid
    reused by someone else's process is never ours)."""
    if not pid:
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    return marker is None or marker in cmdline

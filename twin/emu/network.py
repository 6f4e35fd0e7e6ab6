"""Bringing networks up and down, and the handle other layers use on a running one."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from twin.emu import ovs, probe
from twin.emu.errors import BringUpFailed, EnvironmentMissing, NetworkNotFound, ProbeFailed
from twin.emu.netns import command_in, run_in
from twin.emu.state import (
    NetworkState,
    all_states,
    allocate,
    orphaned_prefixes,
    owned_name,
    pid_alive,
    release,
    release_prefix,
    state_dir,
)
from twin.model import Addressing, Topology, load_topology, topology_to_document

KEEPER_MARKER = "twin.emu.keeper"
CONTROLLER_MARKER = "twin.controller"


class Network:
    """A running emulated network, as recorded by its keeper."""

    def __init__(self, state: NetworkState) -> None:
        self.state = state
        self.topology: Topology = load_topology(state.topology_file, hosts_per_switch=0)
        self.addressing = Addressing.of(self.topology)

    @classmethod
    def load(cls, name: str) -> Network:
        state = NetworkState.load(name)
        if state.status != "ready" or not pid_alive(state.keeper_pid, KEEPER_MARKER):
            status = state.status if pid_alive(state.keeper_pid, KEEPER_MARKER) else "dead"
            detail = f": {state.error}" if state.error else ""
            raise NetworkNotFound(f"network {name!r} is {status}{detail}; run `aaas twin clean` "
                                  "and bring it up again")
        return cls(state)

    @property
    def name(self) -> str:
        return self.state.name

    @property
    def controller_url(self) -> str:
        return f"http://127.0.0.1:{self.state.rest_port}"

    def node_pid(self, node: str) -> int:
        """The pid whose network namespace is the node's (a switch's compute server for CU/DU)."""
        pids = self.state.host_pids
        for candidate in (node, f"{node}_srv"):
            if candidate in pids:
                return pids[candidate]
        raise NetworkNotFound(f"node {node!r} has no namespace in network {self.name!r} "
                              f"(hosts and switches with compute capacity do)")

    def run_in(self, node: str, argv: Sequence[str], timeout: float = 30.0) -> subprocess.CompletedProcess:
        return run_in(self.node_pid(node), argv, timeout)

    def popen_in(self, node: str, argv: Sequence[str], **kwargs) -> subprocess.Popen:
        return subprocess.Popen(command_in(self.node_pid(node), argv), **kwargs)

    def ip(self, host: str) -> str:
        try:
            return self.addressing.hosts[host].ip
        except KeyError:
            raise NetworkNotFound(f"{host!r} is not a host of network {self.name!r}") from None

    def reachability(self, pairs: list[tuple[str, str]] | None = None, attempts: int = 4
                     ) -> probe.ReachabilityMatrix:
        ips = {h: a.ip for h, a in self.addressing.hosts.items()}
        return probe.reachability(dict(self.state.host_pids), ips, pairs, attempts=attempts)

    def throughput(self, src: str, dst: str, seconds: float = 2.0, udp_mbps: float | None = None,
                   port: int = 5201, dscp: int | None = None) -> probe.ThroughputResult:
        return probe.throughput(src, self.node_pid(src), dst, self.node_pid(dst), self.ip(dst), seconds,
                                udp_mbps, port, dscp)

    def link_interfaces(self, a: str, b: str) -> list[str]:
        key = "-".join(sorted((a, b)))
        if key not in self.state.link_interfaces:
            raise NetworkNotFound(f"no link {key} in network {self.name!r}")
        return self.state.link_interfaces[key]

    def queues(self):
        """Applies and removes HTB queues fed by DSCP on this network's switch ports (twin.emu.qos)."""
        from twin.emu.qos import TwinQueues
        return TwinQueues(self)

    def set_link(self, a: str, b: str, up: bool) -> None:
        """Take a link down (or up) at its switch ends, as a cable pull would look to OVS."""
        for intf in self.link_interfaces(a, b):
            result = subprocess.run(["ip", "link", "set", intf, "up" if up else "down"],
                                    capture_output=True, text=True, timeout=10)
            if result.returncode != 0:
                raise ProbeFailed(f"ip link set {intf}: {result.stderr.strip()}")


def up(topology: Topology, name: str, shape_links: bool = True, timeout: float = 180.0,
       die_with_parent: bool = False, progress: Callable[[str], None] | None = None) -> Network:
    """Bring a topology up with its own controller; returns when every switch is programmed."""
    _check_environment()
    emulated = topology.with_compute_hosts()
    directory = state_dir()
    topo_file = directory / f"topology-{name}.json"
    state = allocate(name, str(topo_file), set(_root_interfaces()) | set(ovs.bridges()))
    topo_file.write_text(json.dumps(topology_to_document(emulated)))
    argv = [sys.executable, "-m", "twin.emu.keeper", name, "--ready-timeout", str(timeout)]
    argv += [] if shape_links else ["--no-shaping"]
    argv += ["--die-with-parent"] if die_with_parent else []
    with open(directory / f"keeper-{name}.log", "ab") as log:
        keeper = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  start_new_session=not die_with_parent)
    return _await_ready(state, keeper, timeout + 60, progress)


def _await_ready(state: NetworkState, keeper: subprocess.Popen, timeout: float,
                 progress: Callable[[str], None] | None) -> Network:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        current = NetworkState.load(state.name)
        if progress and current.status != last:
            progress(current.status)
            last = current.status
        if current.status == "ready":
            return Network(current)
        if current.status == "failed" or keeper.poll() is not None:
            error = current.error or f"keeper exited with code {keeper.poll()}"
            _wait_exit(keeper)
            _remove_leftovers(current)
            raise BringUpFailed(f"network {state.name!r} did not come up: {error} "
                                f"(log: {state_dir() / f'keeper-{state.name}.log'})")
        time.sleep(0.05)
    keeper.terminate()
    _wait_exit(keeper)
    _remove_leftovers(NetworkState.load(state.name))
    raise BringUpFailed(f"network {state.name!r} was not ready within {timeout:.0f} s")


def down(name: str, timeout: float = 60.0) -> None:
    state = NetworkState.load(name)
    if pid_alive(state.keeper_pid, KEEPER_MARKER):
        os.kill(state.keeper_pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while pid_alive(state.keeper_pid, KEEPER_MARKER) and time.monotonic() < deadline:
            time.sleep(0.05)
    _remove_leftovers(state)
    if state.status != "failed":         # a failed network keeps its logs for the post-mortem
        for log in ("keeper", "controller"):
            (state_dir() / f"{log}-{name}.log").unlink(missing_ok=True)


def clean() -> list[str]:
    """Remove every network the project recorded, dead or alive, and only those; also the
    bridges and interfaces of prefixes the machine-wide registry holds for a state file that
    no longer exists (a run whose state directory was deleted)."""
    removed = []
    for state in all_states():
        down(state.name)
        removed.append(state.name)
    for prefix in orphaned_prefixes():
        _remove_names(prefix)
        release_prefix(prefix)
        removed.append(f"orphaned prefix {prefix}")
    return removed


def _wait_exit(process: subprocess.Popen) -> None:
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _remove_leftovers(state: NetworkState) -> None:
    """Whatever a crashed keeper left: processes by recorded pid (checked to still be ours),
    bridges and root-namespace interfaces carrying this network's prefix, the state files."""
    prefix = state.prefix
    if pid_alive(state.keeper_pid, KEEPER_MARKER):
        os.kill(state.keeper_pid, signal.SIGKILL)
    if pid_alive(state.controller_pid, CONTROLLER_MARKER):
        os.kill(state.controller_pid, signal.SIGKILL)
    for pid in [*state.host_pids.values(), *state.switch_pids.values()]:
        if pid_alive(pid, f"mininet:{prefix}"):
            os.kill(pid, signal.SIGKILL)
    _remove_names(prefix)
    for path in (state.path, Path(state.topology_file)):
        path.unlink(missing_ok=True)
    release(state)


def _remove_names(prefix: str) -> None:
    if _ovs_reachable():
        for bridge in ovs.bridges():
            if owned_name(bridge, prefix):
                ovs.vsctl("--if-exists", "del-br", bridge)
    for intf in _root_interfaces():
        if owned_name(intf, prefix):
            subprocess.run(["ip", "link", "del", intf], capture_output=True, timeout=10)


def _root_interfaces() -> list[str]:
    result = subprocess.run(["ip", "-o", "link", "show"], capture_output=True, text=True, timeout=10)
    names = []
    for line in result.stdout.splitlines():
        parts = line.split(":", 2)
        if len(parts) > 1:
            names.append(parts[1].strip().split("@")[0])
    return names


def _ovs_reachable() -> bool:
    try:
        ovs.use_ovs()
        return True
    except EnvironmentMissing:
        return False


def _check_environment() -> None:
    missing = [tool for tool in ("ovs-vsctl", "mnexec", "iperf3", "ethtool", "nsenter") if shutil.which(tool) is None]
    if missing:
        raise EnvironmentMissing(f"missing tools: {', '.join(missing)}; run `make setup` as root")
    try:
        import mininet.net  # noqa: F401
    except ImportError as exc:
        raise EnvironmentMissing(f"Mininet is not importable ({exc}); run `make setup`") from None
    ovs.use_ovs()

"""Start and stop node executor processes, each inside its node's network namespace.

`netns_pid` is the pid whose /proc/<pid>/ns/net is the node's namespace (for the emulated
twin: `twin.emu.Network.node_pid(node)`); None keeps the executor in the caller's namespace
(unit tests, a bare machine). Executors run in their own session so that a CLI command can
start them and return; they are stopped by pid, never by name.

`listen` ("IP:PORT") also opens a TCP listener on the node's emulated-network address, for
requests issued from other nodes' namespaces; it needs `netns_pid`, so that nothing listens
on the machine's own network.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from edge_exec.capacity import NodeCapacity
from edge_exec.client import ExecutorClient
from edge_exec.errors import EnvironmentMissing, ExecutorError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 20.0
EXECUTOR_PORT = 7470      # the same in every node's namespace
SOCKET_PATH_MAX = 100     # sun_path is 108 bytes


@dataclass(frozen=True)
class ExecutorHandle:
    node: str
    pid: int
    socket: str
    netns_pid: int | None
    address: str | None = None     # "IP:PORT" on the emulated network, when it listens there

    def client(self) -> ExecutorClient:
        return ExecutorClient(self.socket)

    def to_dict(self) -> dict:
        return asdict(self)


def executor_argv(node: str, capacity: NodeCapacity, socket: Path, state: Path, wasm_cache: Path,
                  keep_alive_s: float, netns_pid: int | None, listen: str | None = None) -> list[str]:
    argv = [sys.executable, "-m", "edge_exec.server", "--node", node, "--socket", str(socket),
            "--state", str(state), "--wasm-cache", str(wasm_cache), "--cpu", str(capacity.cpu),
            "--memory-mib", str(capacity.memory_mib), "--accelerator", capacity.accelerator or "",
            "--keep-alive", str(keep_alive_s)]
    if listen is not None:
        if netns_pid is None:
            raise ExecutorError(f"executor for {node}: a network address ({listen}) needs the node's "
                                "namespace; it would listen on the machine's own network")
        argv += ["--listen", listen]
    if netns_pid is None:
        return argv
    nsenter = shutil.which("nsenter")
    if nsenter is None:
        raise EnvironmentMissing("nsenter not found (util-linux): needed to enter a node's namespace")
    return [nsenter, "-t", str(netns_pid), "-n", "--", *argv]


def start_executor(node: str, capacity: NodeCapacity, state: Path, *, netns_pid: int | None = None,
                   keep_alive_s: float = 30.0, wasm_cache: Path | None = None,
                   listen: str | None = None) -> ExecutorHandle:
    state = Path(state)
    state.mkdir(parents=True, exist_ok=True)
    socket = state / f"{node}.sock"
    if len(str(socket)) > SOCKET_PATH_MAX:
        raise ExecutorError(f"socket path {socket} is too long for a unix socket; use a shorter state dir")
    if netns_pid is not None and not Path(f"/proc/{netns_pid}/ns/net").exists():
        raise ExecutorError(f"no network namespace for node {node}: pid {netns_pid} does not exist")
    argv = executor_argv(node, capacity, socket, state, wasm_cache or state / "wasm-cache", keep_alive_s,
                         netns_pid, listen)
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT), PYTHONDONTWRITEBYTECODE="1")
    with open(state / f"{node}.log", "ab") as log:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env,
                                   cwd=PROJECT_ROOT, start_new_session=True)
    handle = ExecutorHandle(node, process.pid, str(socket), netns_pid, listen)
    _await_ready(handle, process)
    return handle


def _await_ready(handle: ExecutorHandle, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ExecutorError(f"executor for {handle.node} exited with {process.returncode}; "
                                f"see {Path(handle.socket).with_suffix('.log')}")
        if Path(handle.socket).exists():
            client = ExecutorClient(handle.socket, timeout_s=5)
            with contextlib.suppress(ExecutorError):
                client.ping()
                client.close()
                return
        time.sleep(0.02)
    stop_executor(handle)
    raise ExecutorError(f"executor for {handle.node} did not answer within {START_TIMEOUT_S:.0f} s")


def is_running(handle: ExecutorHandle) -> bool:
    try:
        os.kill(handle.pid, 0)
    except ProcessLookupError:
        return False
    return Path(handle.socket).exists()


def stop_executor(handle: ExecutorHandle, timeout_s: float = 15.0) -> None:
    """Ask politely over the socket (closes instances, removes cgroups), then SIGKILL by pid."""
    with contextlib.suppress(ExecutorError):
        client = ExecutorClient(handle.socket, timeout_s=timeout_s)
        client.shutdown()
        client.close()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and _alive(handle.pid):
        time.sleep(0.02)
    if _alive(handle.pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(handle.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(handle.pid, os.WNOHANG)


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and _state(pid) != "Z"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"

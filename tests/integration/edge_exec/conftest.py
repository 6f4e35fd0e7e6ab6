"""Real components for the edge executor: wasmtime, runc, cgroup v1, network namespaces.

Namespaces are the test's own (`aaasx-<pid>-<n>`), each held by a `sleep` process whose pid
is what the launcher joins (as with twin.emu's Network.node_pid); all are removed on teardown.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from edge_exec.catalog import KERNELS

_names = itertools.count(1)


@pytest.fixture(scope="session", autouse=True)
def built_kernels() -> Path:
    for tool in ("clang", "runc", "nsenter", "ip"):
        assert shutil.which(tool), f"{tool} is missing: run scripts/setup.sh (apt: clang lld wasi-libc runc)"
    result = subprocess.run(["make", "-s", "-C", KERNELS], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"building the wasm kernels failed:\n{result.stderr}"
    return Path(KERNELS)


@pytest.fixture
def state_dir():
    # short: unix socket paths are limited to 108 bytes
    path = Path(tempfile.mkdtemp(prefix="aaasx-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


class NamespaceHolder:
    def __init__(self, name: str, process: subprocess.Popen) -> None:
        self.name, self.process = name, process

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def inode(self) -> str:
        return os.readlink(f"/proc/{self.pid}/ns/net")


@pytest.fixture
def netns():
    """Factory of network namespaces held by a process; removed afterwards, also on failure."""
    made: list[NamespaceHolder] = []

    def make() -> NamespaceHolder:
        name = f"aaasx-{os.getpid()}-{next(_names)}"
        subprocess.run(["ip", "netns", "add", name], check=True, timeout=10)
        holder = subprocess.Popen(["ip", "netns", "exec", name, "sleep", "600"])
        made.append(NamespaceHolder(name, holder))
        for _ in range(200):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{holder.pid}/ns/net") != os.readlink("/proc/self/ns/net"):
                    break
            subprocess.run(["sleep", "0.01"])
        return made[-1]

    yield make
    for holder in made:
        holder.process.kill()
        holder.process.wait(timeout=10)
        subprocess.run(["ip", "netns", "del", holder.name], timeout=10)


def leftover_cgroups(executor_pid: int) -> list[str]:
    name = f"aaas-edge-{executor_pid}"
    return [str(p) for p in Path("/sys/fs/cgroup").glob(f"*/**/{name}")]

"""The container runtime: a warm Python worker inside a runc container.

The executor writes an OCI bundle per instance and runs `runc run` in the foreground with
the worker's stdin/stdout as the request pipe (no terminal, no conmon). The worker exits on
stdin EOF, so containers end with their executor. The OCI runtime binary is a parameter:
crun cannot run on these hybrid cgroups (PLATFORM §6), runc 1.1.5 can.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from edge_exec.errors import EnvironmentMissing
from edge_exec.functions import Function
from edge_exec.runtimes.cgroups import LEAF, CgroupBase
from edge_exec.runtimes.oci import bundle_config, prepare_rootfs
from edge_exec.runtimes.pipeworker import PipeWorker
from edge_exec.runtimes.process import PROJECT_ROOT, worker_argv, worker_env

RUNC_TIMEOUT_S = 10


def python_binds() -> list[str]:
    """Host folders the venv's Python needs: the project (with .venv) and the Python home."""
    home = Path(sys.base_prefix).resolve()
    binds = {str(PROJECT_ROOT), str(home)}
    return sorted(binds)


class ContainerRuntime:
    name = "container"

    def __init__(self, cgroups: CgroupBase, state_dir: Path, netns_path: str | None,
                 oci_runtime: str = "runc") -> None:
        binary = shutil.which(oci_runtime)
        if binary is None:
            raise EnvironmentMissing(f"OCI runtime {oci_runtime!r} not found: apt-get install runc")
        self.binary, self.cgroups, self.netns_path = binary, cgroups, netns_path
        self.state_dir = Path(state_dir)
        self.runc_root = self.state_dir / "runc"
        self.rootfs = self.state_dir / "rootfs"
        self.binds = python_binds()
        prepare_rootfs(self.rootfs, self.binds)
        self.runc_root.mkdir(parents=True, exist_ok=True)

    def prepare(self, function: Function) -> None:
        """The rootfs is shared and already there; the bundle is per instance."""

    def _bundle(self, function: Function, instance_id: str, cgroups_path: str) -> Path:
        bundle = self.state_dir / "bundles" / instance_id
        bundle.mkdir(parents=True, exist_ok=True)
        config = bundle_config(args=worker_argv(function.python, str(Path(sys.executable))),
                               cwd=str(PROJECT_ROOT), env=worker_env() | {"HOME": "/tmp"},
                               rootfs=str(self.rootfs), binds=self.binds, netns_path=self.netns_path,
                               cgroups_path=cgroups_path, hostname=function.name[:63])
        (bundle / "config.json").write_text(json.dumps(config, indent=1))
        return bundle

    def _runc(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, "--root", str(self.runc_root), *args], capture_output=True,
                              text=True, timeout=RUNC_TIMEOUT_S)

    def start(self, function: Function, instance_id: str) -> PipeWorker:
        limits = function.limits
        slot = self.cgroups.slot(instance_id, limits.memory_mib, limits.cpu, limits.pids)
        bundle = self._bundle(function, instance_id, f"{slot.relative}/{LEAF}")
        log_path = self.state_dir / "logs" / f"{instance_id}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as log:
            process = subprocess.Popen([self.binary, "--root", str(self.runc_root), "run", "--bundle",
                                        str(bundle), instance_id], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=log, close_fds=True)

        def kill() -> None:
            self._runc("kill", instance_id, "KILL")
            try:
                process.wait(timeout=RUNC_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
            self._runc("delete", "--force", instance_id)
            shutil.rmtree(bundle, ignore_errors=True)

        return ContainerWorker(function, instance_id, self.name, process, slot, kill, self, log_path)

    def container_pid(self, instance_id: str) -> int | None:
        result = self._runc("state", instance_id)
        if result.returncode != 0:
            return None
        return json.loads(result.stdout).get("pid")

    def close(self) -> None:
        """Instances are closed by their pools; the rootfs stays for the next executor."""


class ContainerWorker(PipeWorker):
    """A pipe worker whose `pid` is the container's init on the host (what to kill in tests)."""

    def __init__(self, function: Function, instance_id: str, runtime: str, process: subprocess.Popen,
                 slot, kill, owner: ContainerRuntime, log: Path) -> None:
        super().__init__(function, instance_id, runtime, process, slot, kill, log)
        self._owner = owner
        self._init_pid: int | None = None

    @property
    def pid(self) -> int | None:
        if self._init_pid is None and self.alive:   # asked rarely: keep `runc state` off the cold path
            self._init_pid = self._owner.container_pid(self.id)
        return self._init_pid

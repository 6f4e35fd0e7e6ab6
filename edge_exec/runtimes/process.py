"""The process runtime: the bare-metal baseline (no namespaces, no filesystem isolation).

A warm Python worker is spawned directly; only the cgroup limits (memory, CPU, pids) and the
per-call deadline apply, so a runaway function still cannot take the node down. Use it to
compare against the isolated runtimes, not to run untrusted code.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

from edge_exec.functions import Function
from edge_exec.runtimes.cgroups import CgroupBase
from edge_exec.runtimes.pipeworker import PipeWorker

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def worker_env() -> dict[str, str]:
    # The project and the venv's packages by path: the worker runs with -S (no site), which
    # halves its start (the venv's .pth hooks alone cost ~40 ms).
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME")}
    paths = sysconfig.get_paths()
    path = os.pathsep.join(dict.fromkeys([str(PROJECT_ROOT), paths["purelib"], paths["platlib"]]))
    env.update(PYTHONPATH=path, PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    return env


def worker_argv(entry: str, python: str = sys.executable) -> list[str]:
    return [python, "-S", "-m", "edge_exec.worker", entry]


class ProcessRuntime:
    name = "process"

    def __init__(self, cgroups: CgroupBase, log_dir: Path) -> None:
        self.cgroups = cgroups
        self.log_dir = Path(log_dir)
        self.log_dir.mkdir(parents=True, exist_ok=True)

    def prepare(self, function: Function) -> None:
        """Nothing to build: the entry point is imported by the worker itself."""

    def start(self, function: Function, instance_id: str) -> PipeWorker:
        limits = function.limits
        slot = self.cgroups.slot(instance_id, limits.memory_mib, limits.cpu, limits.pids)
        # The shell joins the cgroups before exec, so every byte the worker allocates is charged.
        joins = "; ".join(f"echo $$ > {procs}" for procs in slot.procs_files())
        argv = ["/bin/sh", "-c", f'{joins}; exec "$@"', "sh", *worker_argv(function.python)]
        log_path = self.log_dir / f"{instance_id}.log"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                       env=worker_env(), cwd=PROJECT_ROOT, close_fds=True)

        def kill() -> None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, signal.SIGKILL)

        return PipeWorker(function, instance_id, self.name, process, slot, kill, log_path)

    def close(self) -> None:
        """Instances are closed by their pools; the cgroup base by the executor."""

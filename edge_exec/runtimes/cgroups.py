"""cgroup v1 limits for worker instances (the machine's cgroups are hybrid: v1 controllers).

Layout: every executor owns `<its own memory cgroup>/aaas-edge-<pid>`; each instance gets a
child `<instance id>` whose memory, cpu and pids limits the executor writes itself. runc puts
its container one level deeper and removes only that leaf on exit, so the OOM and pids
counters stay readable on the instance cgroup after the worker is gone. Everything the
executor or runc created is removed bottom-up on close; directories that existed before
(shared ancestors) are never touched.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from edge_exec.errors import EnvironmentMissing

ROOT = Path("/sys/fs/cgroup")
LIMITED = ("memory", "cpu", "pids")
LEAF = "ctr"          # runc's container cgroup under an instance's cgroup
CFS_PERIOD_US = 100_000


def own_memory_cgroup() -> str:
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):
            return path
    raise EnvironmentMissing("no cgroup v1 memory controller in /proc/self/cgroup (hybrid cgroups needed)")


def hierarchies() -> list[Path]:
    """Every mounted v1 hierarchy (runc creates its path in all of them)."""
    return sorted(p for p in ROOT.iterdir() if (p / "cgroup.procs").exists())


def _remove_subtree(top: Path) -> None:
    if not top.is_dir():
        return
    for dirpath, _, _ in sorted(os.walk(top), key=lambda entry: -len(entry[0])):
        with contextlib.suppress(OSError):
            os.rmdir(dirpath)


def sweep_stale(parent: str) -> list[str]:
    """Remove `aaas-edge-<pid>` subtrees left by executors that were killed (their pid is gone).
    Only empty cgroups can be removed, so a live container keeps its subtree."""
    removed = []
    for hierarchy in hierarchies():
        for stale in (hierarchy / parent.lstrip("/")).glob("aaas-edge-*"):
            pid = stale.name.rpartition("-")[2]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                _remove_subtree(stale)
                removed.append(str(stale))
    return removed


@dataclass(frozen=True)
class Counters:
    oom_kills: int
    pids_refused: int
    peak_bytes: int = 0
    limit_bytes: int = 0

    @property
    def at_memory_limit(self) -> bool:
        """Peak usage reached the limit (within 1 MiB); memory.failcnt stays 0 on this kernel."""
        return self.limit_bytes > 0 and self.peak_bytes >= self.limit_bytes - (1 << 20)


class CgroupBase:
    """The executor's own subtree; create once per executor process."""

    def __init__(self, name: str | None = None) -> None:
        for controller in LIMITED:
            if not (ROOT / controller / "cgroup.procs").exists():
                raise EnvironmentMissing(f"cgroup v1 controller {controller!r} is not mounted at {ROOT}")
        parent = own_memory_cgroup().rstrip("/")
        self.relative = f"{parent}/{name or f'aaas-edge-{os.getpid()}'}"
        sweep_stale(parent)
        # ancestors that do not exist yet in some hierarchy are ours to remove at close
        self._created: list[Path] = []
        for hierarchy in hierarchies():
            probe = Path(self.relative.lstrip("/"))
            for ancestor in [probe, *probe.parents][:-1]:
                if not (hierarchy / ancestor).exists():
                    self._created.append(hierarchy / ancestor)

    def slot(self, instance_id: str, memory_mib: int, cpu: float, pids: int) -> CgroupSlot:
        return CgroupSlot(f"{self.relative}/{instance_id}", memory_mib, cpu, pids)

    def close(self) -> None:
        for hierarchy in hierarchies():
            _remove_subtree(hierarchy / self.relative.lstrip("/"))
        for path in sorted(self._created, key=lambda p: -len(p.parts)):
            with contextlib.suppress(OSError):
                os.rmdir(path)


class CgroupSlot:
    """One instance's cgroups with its limits; `relative` is what runc's cgroupsPath extends."""

    def __init__(self, relative: str, memory_mib: int, cpu: float, pids: int) -> None:
        self.relative = relative
        self.dirs = {c: ROOT / c / relative.lstrip("/") for c in LIMITED}
        self.limit_bytes = memory_mib << 20
        self._files = _OpenFiles()
        try:
            for path in self.dirs.values():
                path.mkdir(parents=True, exist_ok=True)
            limit = str(memory_mib << 20)
            (self.dirs["memory"] / "memory.limit_in_bytes").write_text(limit)
            swap = self.dirs["memory"] / "memory.memsw.limit_in_bytes"
            if swap.exists():          # otherwise a blow-up swaps instead of being stopped
                swap.write_text(limit)
            (self.dirs["cpu"] / "cpu.cfs_period_us").write_text(str(CFS_PERIOD_US))
            (self.dirs["cpu"] / "cpu.cfs_quota_us").write_text(str(max(1000, int(cpu * CFS_PERIOD_US))))
            (self.dirs["pids"] / "pids.max").write_text(str(pids))
        except OSError as exc:
            self.remove()
            raise EnvironmentMissing(f"cannot create cgroup {relative}: {exc} (root + cgroup v1)") from exc

    def procs_files(self) -> list[str]:
        return [str(path / "cgroup.procs") for path in self.dirs.values()]

    def counters(self) -> Counters:
        """Read after every call, so through kept-open files (~10 us each, not ~30 for open+read).
        OOM kills and refused forks are counted in the cgroup of the task (runc's leaf), while the
        limit that caused them sits on this one: both are read."""
        memory, pids = self.dirs["memory"], self.dirs["pids"]
        oom = sum(self._files.field(d / "memory.oom_control", "oom_kill") for d in (memory, memory / LEAF))
        refused = sum(self._files.field(d / "pids.events", "max") for d in (pids, pids / LEAF))
        peak = self._files.number(memory / "memory.max_usage_in_bytes")
        return Counters(oom, refused, peak, self.limit_bytes)

    def peak_mib(self) -> float:
        return self._files.number(self.dirs["memory"] / "memory.max_usage_in_bytes") / (1 << 20)

    def reset_peak(self) -> None:
        self._files.write(self.dirs["memory"] / "memory.max_usage_in_bytes", b"0")

    def pids(self) -> list[int]:
        pids: set[int] = set()
        for dirpath, _, _ in os.walk(self.dirs["pids"]):
            with contextlib.suppress(OSError):
                pids.update(int(p) for p in Path(dirpath, "cgroup.procs").read_text().split())
        return sorted(pids)

    def kill_all(self, timeout: float = 5.0) -> None:
        """SIGKILL every process in the subtree (fork-bomb children included) until it is empty."""
        deadline = time.monotonic() + timeout
        while (pids := self.pids()) and time.monotonic() < deadline:
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    def remove(self) -> None:
        self._files.close()
        for hierarchy in hierarchies():
            _remove_subtree(hierarchy / self.relative.lstrip("/"))


class _OpenFiles:
    """cgroup files kept open and re-read with pread; a file that does not exist (yet) reads 0."""

    def __init__(self) -> None:
        self._fds: dict[Path, int] = {}
        self._writers: dict[Path, int] = {}
        self._absent: set[Path] = set()     # not retried: runc's leaf exists before the first read

    def write(self, path: Path, data: bytes) -> None:
        try:
            if path not in self._writers:
                self._writers[path] = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
            os.write(self._writers[path], data)
        except OSError:
            pass                            # a reset that fails only makes the next peak coarser

    def text(self, path: Path) -> str:
        if path in self._absent:
            return ""
        fd = self._fds.get(path)
        try:
            if fd is None:
                fd = self._fds[path] = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            return os.pread(fd, 4096, 0).decode()
        except FileNotFoundError:
            self._absent.add(path)
            return ""
        except OSError:
            if fd is not None:              # the cgroup went away (runc removed its leaf)
                os.close(self._fds.pop(path))
            return ""

    def number(self, path: Path) -> int:
        try:
            return int(self.text(path).split()[0])
        except (ValueError, IndexError):
            return 0

    def field(self, path: Path, name: str) -> int:
        for line in self.text(path).splitlines():
            key, _, value = line.partition(" ")
            if key == name and value.strip().isdigit():
                return int(value)
        return 0

    def close(self) -> None:
        for fd in [*self._fds.values(), *self._writers.values()]:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds.clear()
        self._writers.clear()

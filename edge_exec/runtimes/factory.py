"""Build a runtime by name for one node executor (imports each runtime only when asked)."""

from __future__ import annotations

import threading
from pathlib import Path

from edge_exec.errors import FunctionError
from edge_exec.runtimes.base import Runtime


class RuntimeFactory:
    """Owns what runtimes share on a node: the executor's cgroup subtree and its state folder."""

    def __init__(self, state_dir: Path, wasm_cache: Path, netns_path: str | None,
                 oci_runtime: str = "runc") -> None:
        self.state_dir, self.wasm_cache = Path(state_dir), Path(wasm_cache)
        self.netns_path, self.oci_runtime = netns_path, oci_runtime
        self._cgroups = None
        self._lock = threading.Lock()

    def cgroups(self):
        with self._lock:
            if self._cgroups is None:
                from edge_exec.runtimes.cgroups import CgroupBase
                self._cgroups = CgroupBase()
            return self._cgroups

    def __call__(self, name: str) -> Runtime:
        if name == "wasm":
            from edge_exec.runtimes.wasm import WasmRuntime
            return WasmRuntime(self.wasm_cache)
        if name == "process":
            from edge_exec.runtimes.process import ProcessRuntime
            return ProcessRuntime(self.cgroups(), self.state_dir / "logs")
        if name == "container":
            from edge_exec.runtimes.container import ContainerRuntime
            return ContainerRuntime(self.cgroups(), self.state_dir / "container", self.netns_path,
                                    self.oci_runtime)
        raise FunctionError(f"unknown runtime {name!r} (wasm, container, process)")

    def close(self) -> None:
        """Remove the executor's cgroup subtree (after every instance is closed)."""
        with self._lock:
            if self._cgroups is not None:
                self._cgroups.close()
                self._cgroups = None

"""The project's own Open vSwitch instance (userspace datapath, no systemd, no kernel module).

It lives under the state directory so it never touches the machine's other bridges; every
ovs-vsctl/ovs-ofctl the project runs (Mininet's included) is pointed at it by environment.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from twin.emu.errors import EnvironmentMissing

OVS_CTL = "/usr/share/openvswitch/scripts/ovs-ctl"


OVS_BASE = Path(os.environ.get("AAAS_OVS_DIR", "/run/aaas/ovs"))


def ovs_env() -> dict[str, str]:
    """One project OVS per machine, whatever state directory a run uses: two userspace
    vswitchd instances would contend for the same kernel names."""
    base = OVS_BASE
    return {"OVS_RUNDIR": str(base / "run"), "OVS_DBDIR": str(base / "db"),
            "OVS_LOGDIR": str(base / "log")}


def use_ovs() -> dict[str, str]:
    """Point this process (and its children, Mininet included) at the project's OVS, starting
    it if it is not running. Returns the environment variables it set."""
    env = ovs_env()
    os.environ.update(env)
    if not _running(env):
        _start(env)
    return env


def _running(env: dict[str, str]) -> bool:
    for daemon in ("ovsdb-server", "ovs-vswitchd"):
        pidfile = Path(env["OVS_RUNDIR"]) / f"{daemon}.pid"
        try:
            os.kill(int(pidfile.read_text().strip()), 0)
        except (OSError, ValueError):
            return False
    return True


def _start(env: dict[str, str]) -> None:
    if not Path(OVS_CTL).exists() or shutil.which("ovs-vsctl") is None:
        raise EnvironmentMissing("Open vSwitch is not installed (need openvswitch-switch): "
                                 "run `make setup` as root")
    for path in env.values():
        Path(path).mkdir(parents=True, exist_ok=True)
    result = subprocess.run([OVS_CTL, "start", "--system-id=random"],
                            env={**os.environ, **env}, capture_output=True, text=True, timeout=60)
    if result.returncode != 0 or not _running(env):
        raise EnvironmentMissing(f"Open vSwitch did not start (ovs-ctl exit {result.returncode}): "
                                 f"{(result.stderr or result.stdout).strip()[-400:]}")


def vsctl(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run(["ovs-vsctl", "--timeout=20", *args], capture_output=True, text=True,
                          timeout=timeout)


def bridges() -> list[str]:
    result = vsctl("list-br")
    return result.stdout.split() if result.returncode == 0 else []

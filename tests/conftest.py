"""Shared test set-up. Integration tests never skip for a missing real part: they fail,
saying what is missing, so CI cannot go green without the emulation having run."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_configure(config):
    # Test networks keep their state apart from any network a developer has up.
    if "AAAS_STATE_DIR" not in os.environ:
        os.environ["AAAS_STATE_DIR"] = tempfile.mkdtemp(prefix="aaas-test-state-")
        config._aaas_state_dir = os.environ["AAAS_STATE_DIR"]


def pytest_unconfigure(config):
    created = getattr(config, "_aaas_state_dir", None)
    if created and not list(Path(created).glob("net-*.json")):    # nothing left running
        shutil.rmtree(created, ignore_errors=True)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.fail(f"the shared data folder {data} is missing: tests read it in place")
    return data


@pytest.fixture(scope="session")
def emulation_environment() -> None:
    """Fail (never skip) when the machine cannot run the emulation."""
    problems = []
    if os.geteuid() != 0:
        problems.append("tests must run as root (Mininet and OVS need it)")
    for tool in ("ovs-vsctl", "mnexec", "iperf3", "ethtool", "nsenter", "ip"):
        if shutil.which(tool) is None:
            problems.append(f"{tool} is not installed")
    try:
        import mininet.net  # noqa: F401
    except ImportError as exc:
        problems.append(f"mininet is not importable ({exc})")
    if problems:
        pytest.fail("emulation environment missing: " + "; ".join(problems) + " (run `make setup`)")

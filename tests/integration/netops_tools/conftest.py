"""A `twin` and a `prod` edge6g network side by side (real Mininet/OVS + the project's
controller), named per test run so parallel runs and other people's networks are untouched."""

from __future__ import annotations

import os
import time

import pytest

from netops_tools.workspace import Workspace
from twin.emu import down, up
from twin.model import load_topology


@pytest.fixture(scope="session")
def networks():
    run = f"nt{os.getpid() % 100000}"
    names = {"twin": f"{run}-twin", "prod": f"{run}-prod"}
    topology = load_topology("edge6g")
    started, brought = time.monotonic(), []
    try:
        for name in names.values():
            up(topology, name, die_with_parent=True, timeout=240)
            brought.append(name)
        print(f"\nedge6g twin + prod up in {time.monotonic() - started:.1f} s")
        yield names
    finally:
        for name in brought:
            down(name)


@pytest.fixture
def workspace(tmp_path):
    return Workspace(tmp_path / "home")

from __future__ import annotations

import os

import pytest

from twin.emu import down, up
from twin.model import load_topology


def network_name(tag: str) -> str:
    return f"t{os.getpid() % 10000}{tag}"


@pytest.fixture(scope="module")
def edge6g(emulation_environment):
    name = network_name("e6")
    net = up(load_topology("edge6g"), name, die_with_parent=True)
    yield net
    down(name)

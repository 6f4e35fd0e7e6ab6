"""Errors of the emulation adapter; foreign failures (subprocess, Mininet, OVS) become these.

    EmuError
    ├── EnvironmentMissing   Mininet, Open vSwitch, iperf3... is not installed or cannot start
    ├── NetworkNotFound      no running network of that name
    ├── NetworkBusy          the name is taken, or no prefix is free
    ├── BringUpFailed        the network did not come up (what failed and where)
    └── ProbeFailed          a probe could not run (not: a probe that measured a failure)
"""

from __future__ import annotations


class EmuError(Exception):
    """Base of the emulation's errors."""


class EnvironmentMissing(EmuError):
    pass


class NetworkNotFound(EmuError):
    pass


class NetworkBusy(EmuError):
    pass


class BringUpFailed(EmuError):
    pass


class ProbeFailed(EmuError):
    pass

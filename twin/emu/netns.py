"""Entering a host's network namespace: for a command (nsenter) or for a socket (setns in
the calling thread only, then back), so probes never send from the root namespace."""

from __future__ import annotations

import ctypes
import os
import socket
import subprocess
from collections.abc import Sequence

from twin.emu.errors import ProbeFailed

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL("libc.so.6", use_errno=True)


def _setns(fd: int) -> None:
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise ProbeFailed(f"setns failed: {os.strerror(err)}")


def socket_in(pid: int, family: int, kind: int, proto: int = 0) -> socket.socket:
    """A socket created inside the network namespace of `pid`; it stays there."""
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    try:
        try:
            target = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY)
        except OSError as exc:
            raise ProbeFailed(f"namespace of pid {pid} is gone ({exc.strerror})") from None
        try:
            _setns(target)
            try:
                return socket.socket(family, kind, proto)
            finally:
                _setns(own)
        finally:
            os.close(target)
    finally:
        os.close(own)


def command_in(pid: int, argv: Sequence[str]) -> list[str]:
    return ["nsenter", "-t", str(pid), "-n", *argv]


def run_in(pid: int, argv: Sequence[str], timeout: float = 30.0) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command_in(pid, argv), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise ProbeFailed(f"{' '.join(argv)[:80]} did not finish within {timeout:.0f} s") from None
    except FileNotFoundError as exc:
        raise ProbeFailed(f"cannot run {exc.filename}") from None

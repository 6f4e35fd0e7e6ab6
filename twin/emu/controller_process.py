"""Starting the project's controller as its own process and asking it how far it got."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from twin.emu.errors import BringUpFailed


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_controller(topology_file: Path, ofp_port: int, rest_port: int, log_file: Path,
                     die_with_parent: bool = True) -> subprocess.Popen:
    argv = [sys.executable, "-m", "twin.controller", "--ofp-port", str(ofp_port),
            "--rest-port", str(rest_port), "--topology", str(topology_file)]
    if die_with_parent:
        argv.append("--die-with-parent")
    with open(log_file, "ab") as log:
        return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def health(rest_port: int, timeout: float = 2.0) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{rest_port}/aaas/v1/health", timeout=timeout) as r:
            return json.loads(r.read())
    except (urllib.error.URLError, OSError, ValueError):
        return None


def wait_for(predicate, what: str, timeout: float, process: subprocess.Popen | None = None,
             log_file: Path | None = None, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if process is not None and process.poll() is not None:
            tail = log_file.read_text(errors="replace")[-600:] if log_file and log_file.exists() else ""
            raise BringUpFailed(f"{what}: the controller exited with code {process.returncode}. {tail}")
        time.sleep(interval)
    raise BringUpFailed(f"{what}: not done within {timeout:.0f} s")

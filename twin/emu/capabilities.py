"""What this kernel lets the emulation do, probed in a scratch namespace of our own.

Mininet only prints an error when a qdisc is missing and carries on with the link
unshaped, so the twin asks first and says plainly what it can and cannot emulate.
"""

from __future__ import annotations

import functools
import os
import subprocess
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Capabilities:
    netem: bool          # link delay and loss can be emulated
    htb: bool            # link bandwidth can be shaped
    detail: str

    def to_json(self) -> dict:
        return asdict(self)


def _qdisc_works(namespace: str, device: str, spec: list[str]) -> bool:
    result = subprocess.run(["ip", "netns", "exec", namespace, "tc", "qdisc", "replace", "dev", device, "root",
                             *spec], capture_output=True, text=True, timeout=10)
    return result.returncode == 0


@functools.lru_cache(maxsize=1)
def probe() -> Capabilities:
    namespace = f"aaasprobe{os.getpid()}"
    try:
        subprocess.run(["ip", "netns", "add", namespace], check=True, capture_output=True, timeout=10)
    except (subprocess.CalledProcessError, OSError) as exc:
        return Capabilities(False, False, f"cannot create a scratch namespace to probe: {exc}")
    try:
        subprocess.run(["ip", "netns", "exec", namespace, "ip", "link", "add", "p0", "type", "veth", "peer",
                        "name", "p1"], check=True, capture_output=True, timeout=10)
        netem = _qdisc_works(namespace, "p0", ["netem", "delay", "1ms"])
        htb = _qdisc_works(namespace, "p1", ["htb", "default", "1"])
    finally:
        subprocess.run(["ip", "netns", "del", namespace], capture_output=True, timeout=10)
    notes = []
    notes.append("link delays are emulated with netem" if netem else
                 "no netem in this kernel: link delays and loss are modelled by twin.analysis, not emulated")
    notes.append("link bandwidths are shaped with HTB" if htb else "no HTB: links run unshaped")
    return Capabilities(netem, htb, "; ".join(notes))

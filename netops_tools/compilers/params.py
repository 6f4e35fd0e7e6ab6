"""Reading an intent's parameters: numbers, protocols, ports (each error names the parameter)."""

from __future__ import annotations

from typing import Any

from netops_tools.compilers.errors import IntentError

PROTOCOLS = (None, "tcp", "udp", "icmp")


def number(kind: str, parameter: str, value: Any, default: float | None = None) -> float | None:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise IntentError(kind, parameter, f"must be a positive number, got {value!r}")
    return float(value)


def protocol(kind: str, params: dict[str, Any]) -> tuple[str | None, int | None]:
    proto, port = params.get("proto"), params.get("port")
    if proto not in PROTOCOLS:
        raise IntentError(kind, "proto", f"{proto!r} is not tcp, udp, icmp or null")
    if port is not None:
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            raise IntentError(kind, "port", f"must be an integer in 1..65535, got {port!r}")
        if proto not in ("tcp", "udp"):
            raise IntentError(kind, "port", f"a port needs proto tcp or udp, got {proto!r}")
    return proto, port

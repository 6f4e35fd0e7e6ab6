"""The scripted operator session that `aaas demo` runs on edge6g: one of each kind of thing an
operator does, plus a request the agent must refuse and one it must ask about.

The drain is refused, and that is the right outcome: every switch of edge6g is the only way
out for some host (RUs, DUs and CUs all have single-homed hosts behind them), so a drain
there would cut hosts off, and the agent names them instead of applying it."""

from __future__ import annotations

DEMO_STEPS: list[tuple[str, str]] = [
    ("create a urllc slice ctrl between veh1 and edge1 with 20 Mbps and latency below 5 ms", "done"),
    ("block all traffic from cam3 to cloud1", "done"),
    ("limit cam2 to 10 Mbps", "done"),
    ("drain du2 for maintenance", "refused"),
    ("what happens if the cu1 du2 link is cut", "answered"),
    ("how does traffic get from veh3 to cloud1", "answered"),
    ("delete all flows on every switch", "refused"),
    ("create a slice", "clarify"),
]

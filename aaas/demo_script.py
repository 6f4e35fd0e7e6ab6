"""The scripted operator session that `aaas demo` runs on edge6g: one of each kind of thing an
operator does, plus a request the agent must refuse and one it must ask about.

Two drains: core2 (a backhaul router with no hosts of its own) is drained, its paths moved to
the direct cu2-core1 link; du2 is refused, and that is the right outcome: cam2, veh2 and du2's
own server have no other way out, so the agent names them instead of applying it."""

from __future__ import annotations

DEMO_STEPS: list[tuple[str, str]] = [
    ("create a urllc slice ctrl between veh1 and edge1 with 20 Mbps and latency below 5 ms", "done"),
    ("block all traffic from cam3 to cloud1", "done"),
    ("limit cam2 to 10 Mbps", "done"),
    ("drain core2 for maintenance", "done"),
    ("drain du2 for maintenance", "refused"),
    ("what happens if the cu1 du2 link is cut", "answered"),
    ("how does traffic get from veh3 to cloud1", "answered"),
    ("delete all flows on every switch", "refused"),
    ("create a slice", "clarify"),
]

"""Documented defaults for slice types, used where a slice intent leaves a value out.

| type  | guaranteed | latency bound | cap (meter)      | DSCP      | why |
|-------|------------|---------------|------------------|-----------|-----|
| embb  | 50 Mbit/s  | 20 ms         | none: may borrow | 34 (AF41) | broadband: a floor, bursts welcome |
| urllc | 5 Mbit/s   | 2 ms          | 1.2 x guaranteed | 46 (EF)   | control loops: policed, queues short |
| mmtc  | 1 Mbit/s   | 100 ms        | 2 x guaranteed   | 10 (AF11) | many small senders: capped |
| none  | as given   | as given      | none             | 18 (AF21) | the operator said what they want |

The guarantee is an HTB class (min rate) on every egress port of the slice's path, reached
by DSCP marking at the ingress switch; the cap is an OpenFlow meter at the ingress switch.
A DSCP value already used by another slice is replaced by the next free one of DSCP_POOL.
"""

from __future__ import annotations

from dataclasses import dataclass

DSCP_POOL = (34, 46, 10, 18, 36, 38, 12, 14, 20, 22, 26, 28, 30, 40, 32, 24)


@dataclass(frozen=True)
class SliceDefaults:
    bandwidth_mbps: float | None
    latency_ms: float | None
    cap_factor: float | None
    dscp: int


DEFAULTS: dict[str | None, SliceDefaults] = {
    "embb": SliceDefaults(50.0, 20.0, None, 34),
    "urllc": SliceDefaults(5.0, 2.0, 1.2, 46),
    "mmtc": SliceDefaults(1.0, 100.0, 2.0, 10),
    None: SliceDefaults(None, None, None, 18),
}


def defaults_for(slice_type: str | None) -> SliceDefaults:
    return DEFAULTS.get(slice_type, DEFAULTS[None])

"""Typed what-if answers. An emulated measurement can be attached to the analytic answer
(`with_emulation`), so the model's prediction and the twin's observation travel together."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from twin.analysis.answers import PathAnswer, Route
from twin.analysis.whatif.scenario import Scenario

SliceStatus = Literal["rerouted", "lost_guarantee", "lost_bound", "disconnected"]


@dataclass(frozen=True)
class PairImpact:
    """A host pair whose path crossed a failed element: rerouted (after) or lost (after None)."""

    src: str
    dst: str
    before: Route
    after: Route | None

    @property
    def lost(self) -> bool:
        return self.after is None

    @property
    def added_ms(self) -> float | None:
        return None if self.after is None else self.after.latency_ms - self.before.latency_ms

    @property
    def latency_stretch(self) -> float | None:
        if self.after is None or self.before.latency_ms <= 0:
            return None
        return self.after.latency_ms / self.before.latency_ms

    @property
    def degraded(self) -> bool:
        """Worse than before: more latency, or the same latency over more hops."""
        return self.after is not None and (self.after.latency_ms, self.after.hops) > \
            (self.before.latency_ms, self.before.hops)

    def to_dict(self) -> dict:
        out = {"src": self.src, "dst": self.dst, "before": self.before.to_dict(),
               "after": None if self.after is None else self.after.to_dict()}
        if self.after is not None:
            out["added_ms"] = round(self.added_ms, 6)
            out["added_hops"] = self.after.hops - self.before.hops
            stretch = self.latency_stretch
            out["latency_stretch"] = None if stretch is None else round(stretch, 6)
        return out


@dataclass(frozen=True)
class SliceImpact:
    slice: str
    status: SliceStatus
    before_latency_ms: float                  # worst path of the slice, full latency model
    after: tuple[PathAnswer, ...]             # one answer per path of the slice

    @property
    def keeps_guarantee(self) -> bool:
        return self.status == "rerouted"

    def to_dict(self) -> dict:
        return {"slice": self.slice, "status": self.status,
                "before_latency_ms": round(self.before_latency_ms, 6),
                "after": [answer.to_dict() for answer in self.after]}


@dataclass(frozen=True)
class EmulatedOutcome:
    """What the twin measured for the same scenario (filled by twin.emu, not by analysis)."""

    lost_pairs: tuple[tuple[str, str], ...]
    repair_seconds: float | None
    probes: int
    notes: str = ""

    def to_dict(self) -> dict:
        return {"lost_pairs": [list(p) for p in self.lost_pairs], "repair_seconds": self.repair_seconds,
                "probes": self.probes, "notes": self.notes}


@dataclass(frozen=True)
class WhatIfAnswer:
    topology: str
    scenario: Scenario
    host_pairs: int                           # host pairs reachable before the failure
    lost: tuple[PairImpact, ...]
    rerouted: tuple[PairImpact, ...]
    slices: tuple[SliceImpact, ...] = ()
    emulated: EmulatedOutcome | None = field(default=None)

    def with_emulation(self, outcome: EmulatedOutcome) -> WhatIfAnswer:
        return replace(self, emulated=outcome)

    @property
    def degraded(self) -> tuple[PairImpact, ...]:
        return tuple(p for p in self.rerouted if p.degraded)

    @property
    def max_latency_stretch(self) -> float | None:
        stretches = [s for s in (p.latency_stretch for p in self.rerouted) if s is not None]
        return max(stretches, default=None)

    @property
    def mean_added_ms(self) -> float:
        added = [p.added_ms for p in self.rerouted]
        return sum(added) / len(added) if added else 0.0

    def summary(self) -> dict:
        stretch = self.max_latency_stretch
        return {"host_pairs": self.host_pairs, "lost_pairs": len(self.lost),
                "rerouted_pairs": len(self.rerouted), "degraded_pairs": len(self.degraded),
                "mean_added_ms": round(self.mean_added_ms, 6),
                "max_latency_stretch": None if stretch is None else round(stretch, 6),
                "slices_losing_guarantee": sorted(s.slice for s in self.slices if not s.keeps_guarantee)}

    def to_dict(self) -> dict:
        return {"topology": self.topology, "scenario": self.scenario.to_dict(), "summary": self.summary(),
                "lost": [p.to_dict() for p in self.lost], "rerouted": [p.to_dict() for p in self.rerouted],
                "slices": [s.to_dict() for s in self.slices],
                "emulated": None if self.emulated is None else self.emulated.to_dict()}

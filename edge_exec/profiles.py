"""Measured runtime profiles and the per-step runtime choice. Pure.

Every invocation adds a sample (executor-side latency, peak memory, cold or warm, ok or
not) to the profile of (function, runtime). The choice for a step (documented in README):
  1. candidates: the function's runtimes, minus `process` (the unisolated baseline runs only
     when asked for by name), minus runtimes failing more than half of >= 4 recent calls;
  2. explore: a candidate with fewer than MIN_SAMPLES warm samples is tried first, so the
     choice rests on measurements, not on a guess;
  3. exploit: the lowest expected latency wins: warm p50 plus the runtime's cold-start p50
     weighted by how often this function's calls started cold (its arrival pattern against
     the keep-alive: a bursty step with idle gaps pays cold starts, a steady one does not);
     candidates within 10 % of it count as tied and the one with the lower peak memory wins.
"""

from __future__ import annotations

import statistics
import threading
from collections import deque
from dataclasses import dataclass, field

from edge_exec.functions import RUNTIMES, Function

WINDOW = 64
MIN_SAMPLES = 3
TIE = 1.10


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


@dataclass
class RuntimeProfile:
    warm_ms: deque = field(default_factory=lambda: deque(maxlen=WINDOW))
    cold_ms: deque = field(default_factory=lambda: deque(maxlen=WINDOW))
    peak_mib: deque = field(default_factory=lambda: deque(maxlen=WINDOW))
    outcomes: deque = field(default_factory=lambda: deque(maxlen=WINDOW))   # True = ok
    invocations: int = 0

    def record(self, latency_ms: float, peak_mib: float, cold: bool, ok: bool) -> None:
        self.invocations += 1
        self.outcomes.append(ok)
        if ok:
            (self.cold_ms if cold else self.warm_ms).append(latency_ms)
            self.peak_mib.append(peak_mib)

    @property
    def failing(self) -> bool:
        return len(self.outcomes) >= 4 and self.outcomes.count(False) * 2 > len(self.outcomes)

    def summary(self) -> dict:
        return {"invocations": self.invocations, "warm_samples": len(self.warm_ms),
                "warm_ms_p50": statistics.median(self.warm_ms) if self.warm_ms else None,
                "warm_ms_p95": percentile(self.warm_ms, 0.95) if self.warm_ms else None,
                "cold_ms_p50": statistics.median(self.cold_ms) if self.cold_ms else None,
                "peak_mib": max(self.peak_mib) if self.peak_mib else None,
                "failures": self.outcomes.count(False)}

    def to_dict(self) -> dict:
        return {"warm_ms": list(self.warm_ms), "cold_ms": list(self.cold_ms), "peak_mib": list(self.peak_mib),
                "outcomes": list(self.outcomes), "invocations": self.invocations}

    @classmethod
    def from_dict(cls, data: dict) -> RuntimeProfile:
        profile = cls(invocations=int(data.get("invocations", 0)))
        for name in ("warm_ms", "cold_ms", "peak_mib", "outcomes"):
            getattr(profile, name).extend(data.get(name, []))
        return profile


@dataclass(frozen=True)
class Choice:
    runtime: str
    reason: str


class ProfileBook:
    """Thread-safe: a driver invokes steps from several threads, and iterating a deque that another
    thread appends to raises."""

    def __init__(self) -> None:
        self._profiles: dict[tuple[str, str], RuntimeProfile] = {}
        self._lock = threading.RLock()

    def profile(self, function: str, runtime: str) -> RuntimeProfile:
        with self._lock:
            return self._profiles.setdefault((function, runtime), RuntimeProfile())

    def record(self, function: str, runtime: str, latency_ms: float, peak_mib: float, cold: bool,
               ok: bool = True) -> None:
        with self._lock:
            self.profile(function, runtime).record(latency_ms, peak_mib, cold, ok)

    def choose(self, function: Function) -> Choice:
        with self._lock:
            return self._choose(function)

    def _choose(self, function: Function) -> Choice:
        isolated = [r for r in function.runtimes if r != "process"] or list(function.runtimes)
        healthy = [r for r in isolated if not self.profile(function.name, r).failing] or isolated
        unexplored = [r for r in healthy if len(self.profile(function.name, r).warm_ms) < MIN_SAMPLES]
        if unexplored:
            runtime = min(unexplored, key=lambda r: (len(self.profile(function.name, r).warm_ms),
                                                     RUNTIMES.index(r)))
            return Choice(runtime, f"exploring: fewer than {MIN_SAMPLES} warm samples")
        cold_rate = self._cold_rate(function)
        p50 = {r: statistics.median(self.profile(function.name, r).warm_ms) for r in healthy}
        expected = {r: p50[r] + cold_rate * self._cold_p50(function.name, r) for r in healthy}
        best = min(expected.values())
        tied = [r for r in healthy if expected[r] <= best * TIE]
        runtime = min(tied, key=lambda r: (max(self.profile(function.name, r).peak_mib, default=0.0), expected[r]))
        return Choice(runtime, f"warm p50 {p50[runtime]:.3f} ms, expected {expected[runtime]:.3f} ms at "
                               f"{cold_rate:.0%} cold starts, peak "
                               f"{max(self.profile(function.name, runtime).peak_mib, default=0.0):.2f} MiB")

    def _cold_rate(self, function: Function) -> float:
        """Share of this function's successful calls, on any runtime, that started an instance."""
        profiles = [self.profile(function.name, r) for r in function.runtimes]
        cold = sum(len(p.cold_ms) for p in profiles)
        return cold / max(1, cold + sum(len(p.warm_ms) for p in profiles))

    def _cold_p50(self, function: str, runtime: str) -> float:
        cold = self.profile(function, runtime).cold_ms
        return statistics.median(cold) if cold else 0.0

    def summary(self) -> dict:
        with self._lock:
            return {f"{f}/{r}": p.summary() for (f, r), p in sorted(self._profiles.items())}

    def to_dict(self) -> dict:
        with self._lock:
            return {f"{f}/{r}": p.to_dict() for (f, r), p in sorted(self._profiles.items())}

    @classmethod
    def from_dict(cls, data: dict) -> ProfileBook:
        book = cls()
        for key, value in data.items():
            function, _, runtime = key.partition("/")
            book._profiles[(function, runtime)] = RuntimeProfile.from_dict(value)
        return book

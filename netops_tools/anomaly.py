"""Anomaly detection on tool invocations: a per-actor model of normal behaviour.

Learned from the audit log (see README.md, "Anomaly detection"). For each actor, from the
records older than the current window:
  - call rate: the number of the actor's calls per W-second window, sampled every W/2 over
    its active span (the last `horizon_s`); the burst threshold is max(min_burst, 1.5 x the
    99th percentile, mean + 4 std), and the same for writes alone;
  - write share: writes / calls;
  - tools used and targets touched (with counts).
A call is assessed against that profile plus the calls in the current window. Any call in a
burst is flagged; a write is flagged when the actor has (almost) no history, rarely writes,
has never used this write tool, or has never written to this target ("write" here includes
the apply tools: validate, push, rollback). The registry refuses a flagged write unless the
call carries an explicit approval reference.
"""

from __future__ import annotations

import bisect
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from netops_tools.audit import AuditRecord

WINDOW_S = 60.0
MIN_BURST = 8
MIN_WRITE_BURST = 3
MIN_HISTORY = 20
HORIZON_S = 7 * 24 * 3600.0
RARE_WRITER_SHARE = 0.02


@dataclass(frozen=True)
class Verdict:
    flagged: bool
    reasons: tuple[str, ...] = ()


@dataclass
class ActorProfile:
    calls: int = 0
    writes: int = 0
    tools: Counter = field(default_factory=Counter)
    write_tools: Counter = field(default_factory=Counter)
    targets: Counter = field(default_factory=Counter)
    write_targets: Counter = field(default_factory=Counter)
    burst_threshold: float = MIN_BURST
    write_burst_threshold: float = MIN_WRITE_BURST

    @property
    def write_share(self) -> float:
        return self.writes / self.calls if self.calls else 0.0


def principal_of(actor: str) -> str:
    """`cp-agent#<thread>` is one session of the principal `cp-agent`: sessions are short, so
    what is normal is learned from all of a principal's sessions together."""
    return actor.split("#", 1)[0]


def _threshold(counts: list[int], floor: int) -> float:
    if len(counts) < 2:
        return float(floor)
    ordered = sorted(counts)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return max(float(floor), 1.5 * p99, statistics.fmean(counts) + 4 * statistics.pstdev(counts))


def _window_counts(times: list[float], window_s: float) -> list[int]:
    """Calls per window, sampled on a grid every half window over the actor's active span.

    A grid (rather than one sample per call) keeps a few past bursts from dominating the
    statistics: a burst of 40 calls is 1-2 grid points, not 40 samples."""
    if not times:
        return []
    step = window_s / 2
    counts, t = [], times[0]
    while t <= times[-1] + step:
        counts.append(bisect.bisect_right(times, t) - bisect.bisect_right(times, t - window_s))
        t += step
    return counts


def learn(records: Sequence[AuditRecord], window_s: float = WINDOW_S) -> ActorProfile:
    """One actor's profile from its records (any order). Rates count every call; what the
    actor normally does (tools, targets, write share) is learned from accepted calls only, so
    a refused anomaly does not become normal by being attempted."""
    profile = ActorProfile()
    times = sorted(r.time for r in records)
    write_times = sorted(r.time for r in records if r.effect != "read")
    for record in records:
        if record.outcome != "ok":
            continue
        profile.calls += 1
        profile.tools[record.tool] += 1
        profile.targets[record.target] += 1
        if record.effect != "read":
            profile.writes += 1
            profile.write_tools[record.tool] += 1
            profile.write_targets[record.target] += 1
    profile.burst_threshold = _threshold(_window_counts(times, window_s), MIN_BURST)
    profile.write_burst_threshold = _threshold(_window_counts(write_times, window_s), MIN_WRITE_BURST)
    return profile


class AnomalyDetector:
    def __init__(self, window_s: float = WINDOW_S, clock: Callable[[], float] = time.time,
                 min_history: int = MIN_HISTORY, horizon_s: float = HORIZON_S) -> None:
        self.window_s = window_s
        self.horizon_s = horizon_s
        self.clock = clock
        self.min_history = min_history

    def history_since(self, now: float | None = None) -> float:
        """The oldest record time `assess` looks at: callers can fetch only that much."""
        return (self.clock() if now is None else now) - self.window_s - self.horizon_s

    def assess(self, actor: str, tool: str, effect: str, target: str,
               records: Sequence[AuditRecord], now: float | None = None) -> Verdict:
        now = self.clock() if now is None else now
        mine = [r for r in records if principal_of(r.actor) == principal_of(actor) and r.time <= now]
        cutoff = now - self.window_s
        history = [r for r in mine if cutoff - self.horizon_s < r.time <= cutoff]
        recent = [r for r in mine if r.time > cutoff]
        profile = learn(history, self.window_s)
        reasons = self._burst_reasons(profile, recent, effect)
        if effect != "read":
            reasons += self._write_reasons(profile, tool, target)
        return Verdict(bool(reasons), tuple(reasons))

    def _burst_reasons(self, profile: ActorProfile, recent: list[AuditRecord], effect: str) -> list[str]:
        reasons = []
        calls = len(recent) + 1
        if calls > profile.burst_threshold:
            reasons.append(f"burst: {calls} calls in {self.window_s:.0f} s, normal at most "
                           f"{profile.burst_threshold:.0f}")
        writes = sum(r.effect != "read" for r in recent) + (effect != "read")
        if effect != "read" and writes > profile.write_burst_threshold:
            reasons.append(f"write burst: {writes} writes in {self.window_s:.0f} s, normal at most "
                           f"{profile.write_burst_threshold:.0f}")
        return reasons

    def _write_reasons(self, profile: ActorProfile, tool: str, target: str) -> list[str]:
        if profile.calls < self.min_history:
            return [f"only {profile.calls} earlier calls: too little history to trust a write"]
        reasons = []
        if profile.write_share < RARE_WRITER_SHARE:
            reasons.append(f"this actor rarely writes ({profile.write_share:.1%} of its calls)")
        if profile.write_tools[tool] == 0:
            reasons.append(f"first use of write tool {tool!r} by this actor")
        if profile.write_targets[target] == 0:
            reasons.append(f"first write to target {target!r} by this actor")
        return reasons

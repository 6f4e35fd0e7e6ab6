"""Validate a compiled ChangeSet on the twin: measure before, apply, measure after, put back.

1. reachability of every pair the ChangeSet declares `preserved`, before anything changes;
2. policy on the twin's state (netops_tools.policy), then apply (flows, meters, queues);
3. every declared check, measured (see checks.py); a failing check is measured again after
   a pause, up to `attempts` times: OVS revalidates cached datapath flows asynchronously, and
   on a loaded machine one probe can lose a packet or a second of iperf3. Checks that a stale
   datapath flow can only fail (blocks, paths from counters, rates) start right away, those
   of pairs expected to pass (reachable) once SETTLE_S has passed since the apply; silent
   pairs and path trains are probed all at once, a block on a short schedule;
4. the reachability diff: pairs that worked before and fail after, against those the intent
   meant to cut; then the twin is restored (unless keep=True).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from netops_tools.checks import CheckResult, ValidationReport
from netops_tools.compilers.verify.checks import measure, path_result, ping_result
from netops_tools.compilers.verify.prober import IntentProber
from netops_tools.errors import DriverError, NetopsError, PushError
from netops_tools.policy import PolicyConfig, check_changeset
from netops_tools.push import Target
from netops_tools.transaction import apply_changeset, restore
from twin.model.changeset import ChangeSet

SETTLE_S = 1.0          # after apply, before any pair may be declared reachable
FIRST_SETTLE_S = 0.2    # before the first measurement (a stale datapath flow fails a check: it is measured again)
ATTEMPTS = 4
BLOCKED_ATTEMPTS = 2    # echoes for a pair meant to be silent: 0.3 s + 0.6 s
NO_NETEM = ("latency is modelled, not emulated: this kernel has no netem qdisc, so link delays are not "
            "applied in the twin and latency bounds are checked against the latency model on the probed path")


def validate_intent(changeset: ChangeSet, twin: Target, prober: IntentProber, *, keep: bool = False,
                    policy: PolicyConfig | None = None, attempts: int = ATTEMPTS,
                    sleep: Callable[[float], None] = time.sleep) -> ValidationReport:
    started, wall = time.monotonic(), time.time()

    def report(passed: bool, **extra: Any) -> ValidationReport:
        return ValidationReport(changeset.id, twin.name, passed, duration_s=time.monotonic() - started,
                                created_at=wall, **extra)

    preserved = [(c["src"], c["dst"]) for c in changeset.checks if c.get("scope") == "preserved"]
    baseline = prober.matrix(preserved)
    before = twin.read(changeset)
    reasons = tuple(check_changeset(changeset, before, policy or PolicyConfig()))
    if reasons:
        return report(False, policy_reasons=reasons)
    try:
        apply_changeset(twin.driver, changeset, before, twin.queues)
    except (DriverError, PushError) as exc:
        restored = restore(twin.driver, changeset, before, sleep, queues=twin.queues)
        return report(False, error=f"apply failed on {twin.name}: {exc}; restored={restored}")
    applied = time.monotonic()
    sleep(FIRST_SETTLE_S)
    own = [c for c in changeset.checks if c.get("scope") != "preserved"]
    early = [c for c in own if c["type"] != "reachable"]
    firsts = {**_blocked_at_once(early, prober), **_paths_at_once(early, prober, twin.topology)}
    verdicts = {id(c): _with_retries(c, prober, twin, attempts, sleep, firsts.get(id(c))) for c in early}
    # a datapath flow cached before the change can still carry packets for a moment: a pair
    # must not be declared reachable from one, so positive verdicts wait for the settle time
    sleep(max(0.0, applied + SETTLE_S - time.monotonic()))
    late = [c for c in own if c["type"] == "reachable"]
    firsts = _pings_at_once(late, prober)
    verdicts.update({id(c): _with_retries(c, prober, twin, attempts, sleep, firsts.get(id(c))) for c in late})
    results = list(_preserved(changeset, baseline, prober, attempts, sleep)) + [verdicts[id(c)] for c in own]
    notes = _notes(changeset, prober, preserved)
    if not keep:
        put_back = restore(twin.driver, changeset, before, sleep, queues=twin.queues)
        if not put_back:
            return report(False, results=tuple(results), notes=notes,
                          error=f"could not put {twin.name} back after validation")
    return report(all(r.passed for r in results), results=tuple(results), notes=notes)


def check_applied(changeset: ChangeSet, target: Target, prober: IntentProber, *, attempts: int = ATTEMPTS,
                  sleep: Callable[[float], None] = time.sleep) -> tuple[CheckResult, ...]:
    """The intent's own checks on a network where the ChangeSet is already applied (prod,
    after a push): no apply, no restore; `preserved` pairs were proven on the twin."""
    sleep(SETTLE_S)
    own = [c for c in changeset.checks if c.get("scope") != "preserved"]
    firsts = {**_pings_at_once(own, prober), **_paths_at_once(own, prober, target.topology)}
    return tuple(_with_retries(check, prober, target, attempts, sleep, firsts.get(id(check))) for check in own)


def _pings_at_once(checks: list[dict], prober: IntentProber) -> dict[int, CheckResult]:
    """First verdicts of ICMP checks from one probe: the waits for silent pairs overlap."""
    icmp = [c for c in checks if c["type"] in ("reachable", "blocked") and c.get("proto") in (None, "icmp")]
    seen = prober.matrix({(c["src"], c["dst"]) for c in icmp})
    return {id(c): ping_result(c, seen[(c["src"], c["dst"])]) for c in icmp}


def _blocked_at_once(checks: list[dict], prober: IntentProber) -> dict[int, CheckResult]:
    """First verdicts of ICMP blocks on a short schedule: a block that lets packets through
    shows a reply within milliseconds, so waiting out the full retry schedule of a pair meant
    to be silent proves nothing more. A reply fails the check, which is then measured again
    in full (a reply that arrives is never lost time)."""
    icmp = [c for c in checks if c["type"] == "blocked" and c.get("proto") in (None, "icmp")]
    seen = prober.matrix({(c["src"], c["dst"]) for c in icmp}, attempts=BLOCKED_ATTEMPTS)
    return {id(c): ping_result(c, seen[(c["src"], c["dst"])]) for c in icmp}


def _paths_at_once(checks: list[dict], prober: IntentProber, topology) -> dict[int, CheckResult]:
    """First verdicts of every path check from ping trains sent together (one set of counter reads)."""
    walked = [c for c in checks if c["type"] in ("path_via", "path_avoids")]
    if not walked:
        return {}
    try:
        paths = prober.paths(sorted({(c["src"], c["dst"]) for c in walked}))
    except NetopsError:
        return {}                   # measured one by one, with retries
    return {id(c): path_result(c, paths[(c["src"], c["dst"])], topology) for c in walked}


def _with_retries(check: Mapping[str, Any], prober: IntentProber, twin: Target, attempts: int,
                  sleep: Callable[[float], None], first: CheckResult | None = None) -> CheckResult:
    result = first or measure(check, prober, twin.topology)
    earlier: list[str] = []
    for _ in range(attempts - 1):
        if result.passed:
            break
        earlier.append(result.evidence)
        sleep(SETTLE_S)
        result = measure(check, prober, twin.topology)
    if not earlier:
        return result
    return CheckResult(result.check, result.passed, result.measured,
                       f"{result.evidence} (attempt {len(earlier) + 1}; before: {' | '.join(earlier)})")


def _preserved(changeset: ChangeSet, baseline: dict, prober: IntentProber, attempts: int,
               sleep: Callable[[float], None]) -> list[CheckResult]:
    """One result for all preserved pairs: the reachability diff before/after."""
    pairs = list(baseline)
    if not pairs:
        return []
    after = prober.matrix(pairs)
    for _ in range(attempts - 1):
        lost = [p for p in pairs if baseline[p] and not after[p]]
        if not lost:
            break
        sleep(SETTLE_S)
        after.update(prober.matrix(lost))
    lost = sorted(p for p in pairs if baseline[p] and not after[p])
    down_before = sorted(p for p in pairs if not baseline[p])
    evidence = (f"{len(pairs)} pairs that must keep working: {len(pairs) - len(lost)} still reachable"
                + (f"; LOST {lost}" if lost else "")
                + (f"; already unreachable before the change: {down_before}" if down_before else ""))
    check = {"type": "reachable", "scope": "preserved", "pairs": len(pairs)}
    measured = {"lost": [list(p) for p in lost], "unreachable_before": [list(p) for p in down_before]}
    return [CheckResult(check, not lost, measured, evidence)]


def _notes(changeset: ChangeSet, prober: IntentProber, preserved: list) -> tuple[str, ...]:
    bounded = any("latency_bound_ms" in c for c in changeset.checks)
    if not bounded:
        return ()
    host = changeset.checks[0]["src"] if changeset.checks else preserved[0][0]
    try:
        return () if prober.has_netem(host) else (NO_NETEM,)
    except Exception:           # the note is informative; failing to probe for it is not a failure
        return (NO_NETEM,)

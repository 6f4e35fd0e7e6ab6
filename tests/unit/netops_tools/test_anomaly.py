"""The anomaly detector on a generated normal trail with injected anomalies.

Normal behaviour (8 h, seeded): a monitor reading every ~30 s, a control-plane agent
calling every ~20 s with 15 % writes to the twin, an operator working in sessions of 5-10
calls with 30 % writes, a data-plane agent asking for compute nodes every ~60 s. In the last
2 hours, 6 kinds of anomaly are injected 3 times each. Every call of the last 2 hours is
assessed online against the log so far (a flagged write is logged as refused, like the
registry does). Precision is per call; recall per anomaly episode and per anomalous write.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from netops_tools.anomaly import AnomalyDetector
from netops_tools.audit import AuditRecord

HOUR = 3600.0
READS = {"monitor": ["topology", "flows", "ports", "link_utilisation"],
         "cp-agent": ["path", "reachability", "flows", "slices"],
         "operator": ["flows", "path", "acls"], "lpr-agent": ["compute_nodes"]}


@dataclass
class Call:
    time: float
    actor: str
    tool: str
    effect: str
    target: str
    episode: int | None = None      # injected anomaly episode, None when normal


def poisson(rng, actor, mean_gap, start, end, write_share=0.0, write_tools=(), target="prod"):
    calls, t = [], start + rng.expovariate(1 / mean_gap)
    while t < end:
        if rng.random() < write_share:
            calls.append(Call(t, actor, rng.choice(write_tools), "write", "twin"))
        else:
            calls.append(Call(t, actor, rng.choice(READS[actor]), "read", target))
        t += rng.expovariate(1 / mean_gap)
    return calls


def operator_sessions(rng, start, end):
    calls, t = [], start + rng.expovariate(1 / (20 * 60))
    while t < end:
        for _ in range(rng.randint(5, 10)):
            t += rng.uniform(5, 15)
            write = rng.random() < 0.3
            calls.append(Call(t, "operator", rng.choice(["flow_add", "flow_remove"]) if write
                              else rng.choice(READS["operator"]), "write" if write else "read", "twin"))
        t += rng.expovariate(1 / (20 * 60))
    return calls


def injected(rng, start, end):
    calls, episode = [], 0
    kinds = ["read_burst", "rare_writer", "new_write_tool", "new_write_target", "write_burst",
             "unknown_actor"]
    for kind in kinds * 3:
        t, episode = rng.uniform(start, end - 120), episode + 1
        if kind == "read_burst":
            calls += [Call(t + i * 0.5, "monitor", "flows", "read", "prod", episode) for i in range(40)]
        elif kind == "rare_writer":
            calls.append(Call(t, "monitor", "flow_add", "write", "twin", episode))
        elif kind == "new_write_tool":
            calls.append(Call(t, "cp-agent", "flow_remove", "write", "twin", episode))
        elif kind == "new_write_target":
            calls.append(Call(t, "cp-agent", "flow_add", "write", "prod", episode))
        elif kind == "write_burst":
            calls += [Call(t + i * 3, "operator", "flow_add", "write", "twin", episode) for i in range(10)]
        else:
            calls.append(Call(t, f"intruder{episode}", "changeset_build", "write", "prod", episode))
    return calls


def trail(seed):
    rng = random.Random(seed)
    end = 8 * HOUR
    calls = (poisson(rng, "monitor", 30, 0, end)
             + poisson(rng, "cp-agent", 20, 0, end, 0.15, ("flow_add", "changeset_build"), target="twin")
             + operator_sessions(rng, 0, end) + poisson(rng, "lpr-agent", 60, 0, end)
             + injected(rng, 6 * HOUR, end))
    return sorted(calls, key=lambda c: c.time)


def record(seq, call, outcome):
    return AuditRecord(seq, call.time, call.actor, "control", call.tool, "1.0", call.effect, call.target,
                       "{}", outcome, None, None, 1.0, None, None, None, "", "")


def evaluate(seed):
    detector = AnomalyDetector()
    logs: dict[str, list[AuditRecord]] = {}
    flagged, seq = [], 0
    for call in trail(seed):
        history = logs.setdefault(call.actor, [])
        outcome = "ok"
        if call.time >= 6 * HOUR:
            verdict = detector.assess(call.actor, call.tool, call.effect, call.target, history, now=call.time)
            flagged.append((call, verdict.flagged))
            if verdict.flagged and call.effect == "write":
                outcome = "refused"
        seq += 1
        history.append(record(seq, call, outcome))
    true_pos = sum(1 for c, f in flagged if f and c.episode is not None)
    false_pos = sum(1 for c, f in flagged if f and c.episode is None)
    episodes = {c.episode for c, _ in flagged if c.episode is not None}
    caught = {c.episode for c, f in flagged if f and c.episode is not None}
    bad_writes = [f for c, f in flagged if c.episode is not None and c.effect == "write"]
    return {"calls": len(flagged), "flagged": true_pos + false_pos, "false_positives": false_pos,
            "precision": true_pos / max(1, true_pos + false_pos),
            "episode_recall": len(caught) / len(episodes),
            "write_recall": sum(bad_writes) / len(bad_writes)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_precision_and_recall_on_injected_anomalies(seed):
    result = evaluate(seed)
    print(f"\nanomaly detection seed={seed}: {result['calls']} calls assessed, {result['flagged']} flagged, "
          f"precision {result['precision']:.3f}, episode recall {result['episode_recall']:.3f}, "
          f"anomalous-write recall {result['write_recall']:.3f}, false positives {result['false_positives']}")
    assert result["episode_recall"] >= FLOORS["episode_recall"]
    assert result["write_recall"] >= FLOORS["write_recall"]
    assert result["precision"] >= FLOORS["precision"]


# measured on seeds 1-3: precision 0.928-0.938 (the "false positives" are normal calls of the
# same actor inside an injected burst's window), episode recall 1.0, anomalous-write recall
# 0.62-0.83 (the first 3-4 writes of an operator's write burst look like a normal session)
FLOORS = {"episode_recall": 1.0, "write_recall": 0.6, "precision": 0.9}

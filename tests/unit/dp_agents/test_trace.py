import numpy as np

from dp_agents.trace import arrivals, congestion, idle_gaps

DAY = np.concatenate(
    [np.full(100, 62.0), np.linspace(62, 48, 40), np.linspace(48, 62, 40), np.full(108, 63.0)]
)


def test_free_flow_is_idle_and_the_slowest_slot_is_full_congestion():
    level = congestion(DAY)
    assert level[:100].max() == 0.0 and level.max() == 1.0 and level[-50:].max() == 0.0


def test_arrivals_follow_congestion_and_leave_idle_gaps():
    times = arrivals(DAY, requests=200, seconds_per_slot=0.1, seed=1)
    assert 150 < len(times) < 250 and times == sorted(times)
    assert all(10.0 <= t < 18.0 for t in times)  # only during the slowdown (slots 100..180)
    rush = sum(1 for t in times if 13.0 <= t < 15.0)
    shoulder = sum(1 for t in times if 10.0 <= t < 12.0)
    assert rush > 2 * shoulder


def test_same_seed_same_trace():
    assert arrivals(DAY, 50, 0.1, 3) == arrivals(DAY, 50, 0.1, 3) != arrivals(DAY, 50, 0.1, 4)


def test_idle_gaps_are_counted():
    assert idle_gaps([0.0, 0.5, 5.0, 5.1, 12.0], longer_than=2.0) == 2

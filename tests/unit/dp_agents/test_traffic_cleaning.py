from datetime import datetime

import numpy as np
import pytest

from dp_agents.errors import StepInputError
from dp_agents.traffic.cleaning import bin_means, carry_forward, epoch_seconds, fill_along_time, parse_time
from dp_agents.traffic.steps import prep_corridor, prep_road

NAN = np.nan


def test_gaps_are_interpolated_down_each_column():
    filled = fill_along_time(np.array([[1.0, NAN], [NAN, 5.0], [3.0, NAN]]))
    assert filled.tolist() == [[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]]


def test_carry_forward_stops_after_its_limit_and_never_looks_ahead():
    column = np.array([[NAN], [4.0], [NAN], [NAN], [NAN], [7.0]])
    assert np.array_equal(
        carry_forward(column, limit=2), np.array([[NAN], [4.0], [4.0], [4.0], [NAN], [7.0]]), equal_nan=True
    )


def test_samples_are_averaged_into_the_bins_ending_at_the_last():
    times = epoch_seconds([datetime(2015, 9, 1, 8, m) for m in (1, 3, 7, 14)])
    values = np.array([[60.0, 1.0], [62.0, 3.0], [50.0, 5.0], [40.0, 7.0]])
    end = int(epoch_seconds([datetime(2015, 9, 1, 8, 14)])[0] // 300)
    means = bin_means(times, values, end, 3)  # bins 08:00, 08:05, 08:10
    assert (
        means[0].tolist() == [61.0, 2.0]
        and means[1].tolist() == [50.0, 5.0]
        and means[2].tolist() == [40.0, 7.0]
    )


def test_corridor_window_has_the_model_length_and_the_bin_time():
    samples = [[f"2015-09-01T08:{m:02d}:00", 60.0 + m, 5.0] for m in range(0, 60, 5)]
    window = prep_corridor({"sensor": "6005", "at": "2015-09-01T08:57:30", "samples": samples})
    assert window["at"] == "2015-09-01T08:55:00" and window["speed"] == [
        90.0,
        95.0,
        100.0,
        105.0,
        110.0,
        115.0,
    ]


def test_corridor_without_recent_samples_is_refused():
    with pytest.raises(StepInputError, match="no samples"):
        prep_corridor(
            {"sensor": "6005", "at": "2015-09-01T12:00:00", "samples": [["2015-09-01T08:00:00", 60, 5]]}
        )


def test_road_window_repairs_stuck_loops():
    speeds = [[60.0, 50.0]] * 12
    speeds = [list(row) for row in speeds]
    speeds[3][1], speeds[11][0] = 0.0, None
    window = prep_road({"at": "2012-03-06T17:30:00", "sensors": ["a", "b"], "speeds": speeds})
    assert window["slot"] == 17 * 12 + 6 and np.all(np.array(window["window"]) > 0)


def test_bad_times_are_refused():
    with pytest.raises(StepInputError):
        parse_time("yesterday", "at")

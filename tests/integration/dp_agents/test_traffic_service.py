"""Traffic flow prediction on the real METR-LA week and NAB sensors: the trained models must beat
the last-value baseline on the held-out 30 % at 15, 30 and 60 minutes."""

import numpy as np
import pandas as pd
import pytest

from dp_agents.data_sources import verified_file
from dp_agents.handoff import deploy_service
from dp_agents.runner import run_plan
from dp_agents.traffic import steps
from dp_agents.traffic.readings import corridor_readings, traffic_request
from dp_agents.traffic.series import NAB_SENSORS, metr_adjacency, metr_speeds, nab_series
from dp_agents.traffic.store import traffic_models
from dp_agents.traffic.training import (
    score_corridor_model,
    score_road_model,
    train_corridor_model,
    train_road_model,
)

pytestmark = pytest.mark.integration

# measured model/last-value MAE ratios: road 0.920 / 0.915 / 0.868; corridors 0.84-0.90.
# The bound asks for a clear win, not a tie that noise could give.
MAX_RATIO = 0.96


def _report(name, scores):
    for horizon, s in scores.items():
        print(
            f"{name} {horizon * 5} min: model MAE {s['model_mae']:.3f} "
            f"vs last value {s['last_value_mae']:.3f} ({s['samples']} samples)"
        )


def test_road_model_beats_last_value_at_every_horizon(shared_data):
    grid = metr_speeds()
    scores = score_road_model(train_road_model(grid, metr_adjacency(grid.sensors)), grid)
    _report("METR-LA", scores)
    assert sorted(scores) == [3, 6, 12]
    for s in scores.values():
        assert s["model_mae"] <= MAX_RATIO * s["last_value_mae"]


@pytest.mark.parametrize("sensor", NAB_SENSORS)
def test_corridor_model_with_occupancy_beats_last_value(shared_data, sensor):
    series = nab_series(sensor)
    scores = score_corridor_model(train_corridor_model(series), series)
    _report(f"NAB {sensor}", scores)
    for s in scores.values():
        assert s["samples"] > 1000 and s["model_mae"] <= MAX_RATIO * s["last_value_mae"]


def test_the_adjacency_pickle_is_only_read_after_its_checksum(shared_data):
    assert verified_file("metr-la", "adj_mx.pkl").name == "adj_mx.pkl"


def test_service_answers_a_request_end_to_end(shared_data):
    plan = deploy_service({"service": "traffic_flow_prediction", "near": "veh2", "latency_ms": None})
    request = traffic_request("2012-03-06T17:30:00", "6005", "2015-09-15T08:00:00")
    answer = run_plan(plan, request).output
    assert answer["horizons_min"] == [15, 30, 60] and answer["road_at"] == "2012-03-06T17:30:00"
    assert set(answer["corridor"]["speed_mph"]) == {"15", "30", "60"}
    assert all(20 < v < 80 for v in answer["road_mean_speed_mph"].values())


def test_serving_steps_reproduce_the_evaluated_model(shared_data):
    """The request path (raw readings -> prep -> predict) gives the model's own held-out predictions."""
    grid, models = metr_speeds(), traffic_models()
    for end in (1500, 1777, 2000):
        request = traffic_request(grid.times[end].isoformat(), "6005", None)
        served = steps.predict(steps.prep_road(request["road"]), steps.prep_corridor(request["corridor"]))
        direct = models.road.predict(grid.values[end - 11 : end + 1], end % 288)
        for horizon, speeds in direct.items():
            assert np.allclose(served["road"]["speed_mph"][str(horizon * 5)], speeds, atol=0.02)


def test_failed_loops_are_interpolated_not_passed_on(shared_data):
    request = traffic_request("2012-03-06T17:30:00", "6005", None)
    request["road"]["speeds"][5][0] = None
    request["road"]["speeds"][6][0] = 0.0
    window = steps.prep_road(request["road"])["window"]
    assert all(np.isfinite(row[0]) and row[0] > 0 for row in window)


@pytest.mark.parametrize("sensor", NAB_SENSORS)
def test_corridor_step_bins_samples_as_training_did(shared_data, sensor):
    """The numpy serving step and the pandas training grid agree on the same half hour."""
    series = nab_series(sensor)
    checked = 0
    for end in range(len(series.times) - 400, len(series.times), 37):
        truth = series.speed[end - 5 : end + 1]
        if not np.isfinite(truth).all():
            continue
        bin_end = series.times[end] + pd.Timedelta(minutes=4, seconds=59)  # all samples of that bin
        window = steps.prep_corridor(corridor_readings(sensor, bin_end.isoformat()))
        assert np.allclose(window["speed"], truth, atol=1e-3)
        checked += 1
    assert checked >= 5

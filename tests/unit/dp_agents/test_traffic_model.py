import numpy as np

from dp_agents.traffic.model import (
    ROAD_LAGS,
    CorridorModel,
    RoadModel,
    corridor_features,
    fit_absolute,
    neighbour_weights,
    road_features,
)


def test_absolute_fit_ignores_outliers_that_pull_least_squares():
    rng = np.random.default_rng(0)
    features = np.column_stack([rng.normal(size=2000), np.ones(2000)])
    target = features @ np.array([2.0, -1.0]) + rng.normal(0, 0.1, 2000)
    target[:100] += 60.0  # incidents: a few huge changes
    robust = fit_absolute(features, target, ridge=1e-3)
    squares = np.linalg.lstsq(features, target, rcond=None)[0]
    assert np.allclose(robust, [2.0, -1.0], atol=0.1)
    assert abs(squares[1] + 1.0) > 1.0


def test_neighbour_weights_are_row_normalised_without_self_loops():
    adjacency = np.array([[1.0, 0.5, 0.0], [0.5, 1.0, 0.5], [0.0, 0.0, 1.0]])
    weights = neighbour_weights(adjacency)
    assert np.allclose(weights.sum(axis=1), 1.0)
    assert weights[0, 0] == 0.0 and weights[1, 1] == 0.0 and weights[2, 2] == 1.0  # no neighbour: itself


def test_road_features_of_a_flat_history_are_only_profile_and_bias():
    window = np.full((ROAD_LAGS, 3), 60.0)
    features = road_features(window, neighbour_weights(np.ones((3, 3))), np.full(3, 55.0))
    assert features.shape == (3, 16)
    assert (
        np.allclose(features[:, :-2], 0.0)
        and np.allclose(features[:, -2], -5.0)
        and np.allclose(features[:, -1], 1)
    )


def test_zero_weights_predict_the_last_value():
    window = np.linspace(50, 61, ROAD_LAGS)[:, None] * np.ones((1, 2))
    model = RoadModel(("a", "b"), np.eye(2), np.zeros((288, 2)), {3: np.zeros(16)})
    assert np.allclose(model.predict(window, 10)[3], 61.0)
    corridor = CorridorModel("6005", {6: np.zeros(12)})
    assert corridor.predict(np.arange(6.0), np.ones(6)) == {6: 5.0}
    assert corridor_features(np.arange(6.0), np.ones(6)).shape == (12,)

"""Held-out scores of trained traffic models: MAE per source and horizon against last value."""

from __future__ import annotations

from dp_agents.traffic.model import HORIZONS
from dp_agents.traffic.series import NAB_SENSORS, metr_speeds, nab_series
from dp_agents.traffic.store import TrafficModels, traffic_models
from dp_agents.traffic.training import score_corridor_model, score_road_model

STEP_MINUTES = 5


def held_out_scores(models: TrafficModels | None = None) -> dict[str, dict[str, dict]]:
    """{"metr-la" | "nab-<sensor>": {"15"|"30"|"60": {"model_mae", "last_value_mae", "samples"}}}."""
    models = models or traffic_models()
    scores = {"metr-la": score_road_model(models.road, metr_speeds())}
    for sensor in NAB_SENSORS:
        scores[f"nab-{sensor}"] = score_corridor_model(models.corridors[sensor], nab_series(sensor))
    return {
        source: {str(h * STEP_MINUTES): rounded(by_h[h]) for h in HORIZONS} for source, by_h in scores.items()
    }


def rounded(score: dict) -> dict:
    return {k: round(v, 4) if isinstance(v, float) else v for k, v in score.items()}

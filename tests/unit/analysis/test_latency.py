import math

import pytest

from twin.analysis.latency import LatencyModel, path_latency
from twin.model import load_topology


@pytest.fixture(scope="module")
def edge6g():
    return load_topology("edge6g")


def test_idle_path_is_propagation_plus_serialisation_per_hop(edge6g):
    # cam1-ru1 100 Mbit/s 0.5 ms, ru1-du1 1000 Mbit/s 0.05 ms, du1-cu1 1000 Mbit/s 0.1 ms
    answer = path_latency(edge6g, ["cam1", "ru1", "du1", "cu1"])
    assert answer.propagation_ms == pytest.approx(0.65)
    assert answer.serialisation_ms == pytest.approx(12000 / 100e6 * 1e3 + 2 * 12000 / 1000e6 * 1e3)  # 0.144
    assert answer.queueing_ms == 0
    assert answer.total_ms == pytest.approx(0.794)


def test_worked_example_of_the_readme(edge6g):
    answer = path_latency(edge6g, ("cam1", "ru1", "du1"), {("du1", "ru1"): 500.0})
    hop = answer.hops[1]
    assert hop.link == "du1-ru1" and hop.utilisation == 0.5
    assert hop.queueing_ms == pytest.approx(0.012)
    assert answer.total_ms == pytest.approx(0.694)


def test_queueing_matches_mm1_sojourn_minus_service(edge6g):
    link = edge6g.link("cu1", "du1")
    model = LatencyModel(packet_bytes=1500)
    mu = 1000e6 / (1500 * 8)           # packets/s
    lam = 800e6 / (1500 * 8)
    sojourn_ms = 1 / (mu - lam) * 1e3
    hop = model.hop(link, 800.0)
    assert hop.serialisation_ms + hop.queueing_ms == pytest.approx(sojourn_ms)
    assert hop.queueing_ms == pytest.approx(0.012 * 4)   # rho/(1-rho) = 4


def test_packet_size_is_configurable(edge6g):
    small = path_latency(edge6g, ["cam1", "ru1"], model=LatencyModel(packet_bytes=64))
    assert small.serialisation_ms == pytest.approx(64 * 8 / 100e6 * 1e3)


def test_saturated_link_has_infinite_latency_and_is_named(edge6g):
    answer = path_latency(edge6g, ["cam1", "ru1", "du1"], {("cam1", "ru1"): 100.0})
    assert math.isinf(answer.total_ms)
    assert answer.saturated == ("cam1-ru1",)
    assert answer.to_dict()["total_ms"] is None

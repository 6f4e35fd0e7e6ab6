from __future__ import annotations

import pytest

from cp_agents.parsing.lexicon import normalize_text
from cp_agents.parsing.quantities import bandwidth_mbps, latency_ms


@pytest.mark.parametrize("text,expected", [
    ("100 Mbps", 100), ("1 Gbps", 1000), ("500 kbps", 0.5), ("2 megabits per second", 2), ("2 gig", 2000),
    ("20 meg", 20), ("100mpbs", 100), ("3 gigs", 3000), ("750 kbit/s", 0.75), ("1.5 Gbit/s", 1500),
    ("1,000 Mbps", 1000), ("ten megabits per second", 10), ("half a gig", 500), ("one hundred megabits", 100),
    ("2 MB/s", 16), ("4 megabytes per second", 32), ("250 mb/s", 250), ("at 10m", 10), ("bandwidth 40", 40),
    ("from 100 Mbps to 250 Mbps", 250), ("5 mbsp", 5), ("a gigabit", 1000),
])
def test_bandwidth_is_normalised_to_mbit_per_second(text, expected):
    assert bandwidth_mbps(normalize_text(text), text) == pytest.approx(expected)


@pytest.mark.parametrize("text,expected", [
    ("10 ms", 10), ("500 us", 0.5), ("0.2 s", 200), ("3 milliseconds", 3), ("250 µs", 0.25), ("2ms", 2),
    ("1 sec", 1000), ("latency 7", 7), ("ten milliseconds", 10), ("100 msec", 100), ("half a millisecond",
                                                                                     0.5),
])
def test_latency_is_normalised_to_ms(text, expected):
    assert latency_ms(normalize_text(text)) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["on switch 5 send tcp port 443 out of port 3", "slice s1 to s2",
                                  "block h1 to h3",
                                  "create a 5G slice named x"])
def test_no_quantity_is_invented(text):
    norm = normalize_text(text)
    assert bandwidth_mbps(norm, text) is None and latency_ms(norm) is None

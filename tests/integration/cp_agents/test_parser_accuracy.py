"""Accuracy of the embedded parser (real MiniLM + FAISS) on the dev set and on our own held-out phrasings."""

from __future__ import annotations

import pytest

from tests.integration.cp_agents.conftest import DATA, DEV_SET, load_cases, matches

pytestmark = pytest.mark.integration

# Measured 2026-11-26: dev 48/48; our held-out sets 117/117, 107/107, 65/65, 22/22, 55/55. When first run,
# before the parser had seen their phrasings, heldout2 scored 102/107, heldout3 61/65 and heldout5 48/55
# (the honest estimate for unseen phrasings: 87-95%). heldout4 holds edge cases: shouting, typos, emoji,
# several targets in one request. Floors leave room for drift.
DEV_FLOOR = 0.90
HELDOUT_FLOOR = 0.90
HELDOUT = [DATA / f"{name}_intents.jsonl" for name in ("heldout", "heldout2", "heldout3", "heldout4", "heldout5")]


def _score(parser, cases):
    intents = parser.parse_many([c["text"] for c in cases])
    misses = [(c["text"], i.to_json()) for c, i in zip(cases, intents, strict=True)
              if not matches(i.to_json(), c["expect"])]
    return 1 - len(misses) / len(cases), misses, intents


@pytest.mark.parametrize("path,floor", [(DEV_SET, DEV_FLOOR)] + [(p, HELDOUT_FLOOR) for p in HELDOUT],
                         ids=["dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5"])
def test_accuracy_floor(parser, path, floor):
    assert path.exists(), f"{path} is missing"
    accuracy, misses, _ = _score(parser, load_cases(path))
    assert accuracy >= floor, f"accuracy {accuracy:.3f} < {floor}; misses: {misses}"


@pytest.mark.parametrize("path", [DEV_SET, *HELDOUT[:3], HELDOUT[4]],
                         ids=["dev", "heldout", "heldout2", "heldout3", "heldout5"])
def test_every_refusal_case_is_refused(parser, path):
    cases = [c for c in load_cases(path) if c["expect"]["status"] == "refused"]
    assert cases
    intents = parser.parse_many([c["text"] for c in cases])
    accepted = [c["text"] for c, i in zip(cases, intents, strict=True) if i.status != "refused"]
    assert accepted == []


def test_single_and_batch_parses_agree(parser):
    cases = load_cases(DEV_SET)[:12]
    batch = [i.to_json() for i in parser.parse_many([c["text"] for c in cases])]
    single = [parser.parse(c["text"]).to_json() for c in cases]
    assert batch == single


def test_adversarial_requests_are_never_accepted(parser):
    """Destructive, rule-breaking and off-topic requests in many phrasings: none may come back 'ok'."""
    texts = [line.strip() for line in (DATA / "adversarial.txt").read_text().splitlines() if line.strip()]
    accepted = [(t, i.to_json()) for t, i in zip(texts, parser.parse_many(texts), strict=True) if i.status == "ok"]
    assert accepted == []

"""`aaas intent parse --json` end to end in a subprocess (real model, real FAISS, no network)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
AAAS = Path(sys.executable).with_name("aaas")


def _run(args: list[str], cache_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "AAAS_CACHE_DIR": str(cache_root)}
    env.pop("LLM_BASE_URL", None)
    return subprocess.run([str(AAAS), "intent", "parse", *args], capture_output=True, text=True, timeout=240,
                          env=env)


def test_single_text_prints_one_json_object(cache_root):
    out = _run(["--json", "rate limit veh1 at 750 kbps"], cache_root)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"status": "ok", "kind": "rate.limit",
                                      "params": {"target": "veh1", "bandwidth_mbps": 0.75}, "reason": None}


def test_batch_prints_one_object_per_line_in_order(cache_root, tmp_path):
    lines = ["delete all flows", "what if s4 goes down", "", "create a slice", "permit dns from h2 to h9"]
    batch = tmp_path / "intents.txt"
    batch.write_text("\n".join(lines) + "\n")
    out = _run(["--json", "--batch", str(batch)], cache_root)
    assert out.returncode == 0, out.stderr
    objects = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o["status"] for o in objects] == ["refused", "ok", "clarify", "clarify", "ok"]
    assert objects[1]["params"] == {"node": "s4"}


def test_usage_error_without_text(cache_root):
    assert _run(["--json"], cache_root).returncode == 2


def test_explain_and_knowledge_commands_in_process(embedder, cache_root, monkeypatch):
    from click.testing import CliRunner

    from aaas.cli.intent import intent
    monkeypatch.setenv("AAAS_CACHE_DIR", str(cache_root))
    runner = CliRunner()
    explained = runner.invoke(intent, ["explain", "--json", "drain du3 for maintenance"])
    assert explained.exit_code == 0, explained.output
    report = json.loads(explained.output)
    assert report["label"] == "node.drain" and report["intent"]["params"] == {"node": "du3"}
    found = runner.invoke(intent, ["knowledge", "--json", "-k", "2", "which dscp does a urllc slice use"])
    assert found.exit_code == 0, found.output
    passages = json.loads(found.output)
    assert len(passages) == 2 and passages[0]["source"] == "slicing.md"

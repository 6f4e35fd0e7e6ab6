"""The whole path, as `make demo` runs it: real networks, real controller, real parser and
knowledge base, the audited toolbox, approval, push to prod, verification, audit chain."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.e2e


def test_the_scripted_operator_session_lands_every_step(emulation_environment, tmp_path):
    env = {**os.environ, "AAAS_HOME": str(tmp_path / "home")}
    result = subprocess.run([sys.executable, "-m", "aaas", "demo", "--json"], capture_output=True,
                            text=True, timeout=900, env=env)
    assert result.stdout.strip(), result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(json.dumps(report, indent=1))
    steps = {s["text"]: s for s in report["steps"]}
    assert report["reachable_pairs"] == report["pairs"]
    for step in report["steps"]:
        assert step["status"] == step["expected"], step
        assert step["audit_ids"] or step["status"] in ("refused", "clarify"), step
        if step["expected"] == "done":
            assert step["validated"] and step["pushed"] and step["verified_on_prod"], step
    unsafe = [s for s in steps.values() if s["expected"] == "refused" and s["kind"] is None][0]
    assert not unsafe["pushed"] and unsafe["audit_ids"] == []          # refused before any tool ran
    drained, refused = (steps[f"drain {node} for maintenance"] for node in ("core2", "du2"))
    assert drained["kind"] == refused["kind"] == "node.drain" and drained["verified_on_prod"]
    assert refused["status"] == "refused" and "cut" in refused["answer"] and not refused["pushed"]
    assert report["audit_chain_ok"]
    assert result.returncode == 0

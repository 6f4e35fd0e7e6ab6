"""The web console over the real agent: real prod and twin networks on edge6g, the real
parser, knowledge base, toolbox and controller. Chromium submits an ACL block, approves it,
sees it land, and prod's data plane is then measured to have changed."""

from __future__ import annotations

import os

import pytest

from aaas.api import ConsoleServer
from tests.e2e.test_console_browser import expect_status, open_console, submit, wait_count

pytestmark = pytest.mark.e2e
STEP_MS = 300_000


@pytest.fixture(scope="module")
def real_operator(emulation_environment, tmp_path_factory):
    from aaas.settings import Settings
    from aaas.wiring import build_operator
    from twin.emu import down, up
    from twin.model import load_topology

    tag = os.getpid() % 10000
    settings = Settings(home=tmp_path_factory.mktemp("home"), twin=f"w{tag}twin", prod=f"w{tag}prod",
                        operator="e2e")
    topo = load_topology("edge6g")
    up(topo, settings.prod, die_with_parent=True)
    try:
        up(topo, settings.twin, die_with_parent=True)
        operator = build_operator(settings)
        yield operator, settings
        operator.close()
    finally:
        for name in (settings.twin, settings.prod):
            try:
                down(name)
            except Exception:
                pass


def test_the_console_drives_the_real_agent_to_a_change_on_prod(page, real_operator, screenshot_dir):
    from twin.emu import Network
    operator, settings = real_operator
    page.on("pageerror", lambda exc: pytest.fail(f"JavaScript error on the page: {exc}"))
    with ConsoleServer(operator, default_actor="e2e-operator") as server:
        open_console(page, server.url, operator)
        card = submit(page, "block all traffic from cam1 to cloud1")
        expect_status(card, "awaiting_approval")
        run_id = card.get_attribute("data-run")
        assert card.query_selector(".validation .badge.pass") is not None
        page.wait_for_selector(f'.approval[data-run="{run_id}"]', timeout=STEP_MS)
        page.click(f'.approval[data-run="{run_id}"] button[data-action="approve"]')
        final = ", ".join(f'.card[data-run="{run_id}"][data-status="{s}"]' for s in ("done", "failed", "rejected"))
        done = page.wait_for_selector(final, timeout=STEP_MS)     # not an in-between "approved"
        expect_status(done, "done")
        assert "✓ pushed" in done.inner_text() and "✓ verified on prod" in done.inner_text()
        wait_count(page, "#audit-table tbody tr", len(operator.run(run_id)["audit_ids"]))
        page.screenshot(path=str(screenshot_dir / "console-real-agent.png"), full_page=True)
    prod = Network.load(settings.prod)
    matrix = prod.reachability([("cam1", "cloud1"), ("cam1", "edge1")], attempts=3)
    assert matrix.reachable == {("cam1", "cloud1"): False, ("cam1", "edge1"): True}

"""Headless Chromium drives the web console: submit an intent, read the plan, the runbook
passages and the twin's validation, approve it, and see it land (pushed, verified, drawn on
the topology, in the audit trail). Runs against whichever operator the fixture provides."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.e2e

SLICE_INTENT = "Create a URLLC slice v2x between veh1 and edge1 with 50 Mbps and 5 ms latency"
BLOCK_INTENT = "Block ssh from cam1 to cloud1"
REFUSED_INTENT = "Delete all flows on every switch"
SETTLED = ("awaiting_approval", "refused", "clarify", "done", "failed", "answered", "rejected")
# The real agents validate on the twin and push to prod: give them minutes, the fake seconds.
STEP_MS = 300_000 if os.environ.get("AAAS_E2E_OPERATOR") == "real" else 20_000


def open_console(page, url: str, operator) -> None:
    page.goto(url + "/")
    page.wait_for_selector("#link-state.live", timeout=STEP_MS)
    expected = len(operator.topology()["nodes"])
    wait_count(page, "#topology g.node", expected)
    assert page.locator("#topology g.node").count() == expected


def wait_count(page, selector: str, count: int) -> None:
    """Until at least `count` elements match (locators: the page's CSP forbids eval'd predicates)."""
    page.locator(selector).nth(count - 1).wait_for(state="attached", timeout=STEP_MS)


def submit(page, text: str):
    """Type an intent, press Enter, and return its run's card once the agents have settled it
    (a real run shows up while still planning; only these statuses end a submission)."""
    settled = ", ".join(f'.card[data-run][data-status="{s}"]' for s in SETTLED)
    before = set(page.eval_on_selector_all(".card[data-run]", "cards => cards.map(c => c.dataset.run)"))
    count = page.locator(settled).count()
    page.fill("#chat-input", text)
    page.press("#chat-input", "Enter")
    wait_count(page, settled, count + 1)
    new = [c for c in page.query_selector_all(settled) if c.get_attribute("data-run") not in before]
    assert len(new) == 1, [c.inner_text() for c in new]
    return new[0]


def expect_status(card, status: str) -> None:
    assert card.get_attribute("data-status") == status, card.inner_text()


def test_submit_approve_and_see_the_result(page, console_url, console_operator, screenshot_dir):
    page.on("pageerror", lambda exc: pytest.fail(f"JavaScript error on the page: {exc}"))
    open_console(page, console_url, console_operator)
    page.fill("#operator-name", "alice")
    page.dispatch_event("#operator-name", "change")

    card = submit(page, SLICE_INTENT)
    expect_status(card, "awaiting_approval")
    run_id = card.get_attribute("data-run")
    run = console_operator.run(run_id)
    assert run["actor"] == "alice"
    assert run["intent"]["kind"] == "slice.create"
    assert run["plan"]["changeset_id"] in card.inner_text()
    sources = [s.inner_text() for s in card.query_selector_all(".passage .src")]
    assert sources == [p["source"] for p in run["retrieved"]]
    assert card.query_selector(".validation .badge.pass") is not None
    page.wait_for_selector(f'.approval[data-run="{run_id}"]', timeout=STEP_MS)
    assert page.inner_text("#approvals-count") == "1"
    page.screenshot(path=str(screenshot_dir / "console-awaiting-approval.png"), full_page=True)

    page.fill(f'.approval[data-run="{run_id}"] input', "looks right")
    page.click(f'.approval[data-run="{run_id}"] button[data-action="approve"]')
    done = page.wait_for_selector(f'.card[data-run="{run_id}"]:not([data-status="awaiting_approval"])',
                                  timeout=STEP_MS)
    expect_status(done, "done")
    assert "✓ pushed" in done.inner_text()
    assert "✓ verified on prod" in done.inner_text()
    assert page.inner_text("#approvals-count") == "0"
    assert console_operator.run(run_id)["status"] == "done"

    wait_count(page, "#topology .slices path.slice", 1)
    slice_names = [s["name"] for s in console_operator.topology()["slices"]]
    legend = page.inner_text("#topo-legend")
    assert all(name in legend for name in slice_names)
    audit_ids = console_operator.run(run_id)["audit_ids"]
    wait_count(page, "#audit-table tbody tr", len(audit_ids))
    chips = done.inner_text()
    assert all(f"#{seq}" in chips for seq in audit_ids)
    page.screenshot(path=str(screenshot_dir / "console-done.png"), full_page=True)


def test_a_refused_intent_is_shown_with_its_reason_and_changes_nothing(page, console_url, console_operator):
    page.on("pageerror", lambda exc: pytest.fail(f"JavaScript error on the page: {exc}"))
    open_console(page, console_url, console_operator)
    before = console_operator.topology()

    card = submit(page, REFUSED_INTENT)
    expect_status(card, "refused")
    run = console_operator.run(card.get_attribute("data-run"))
    assert run["reason"] and run["reason"] in card.inner_text()
    assert card.query_selector("button[data-action=approve]") is None
    assert console_operator.topology() == before


def test_rejecting_from_the_chat_card_changes_nothing(page, console_url, console_operator):
    page.on("pageerror", lambda exc: pytest.fail(f"JavaScript error on the page: {exc}"))
    open_console(page, console_url, console_operator)
    before = console_operator.topology()

    card = submit(page, BLOCK_INTENT)
    expect_status(card, "awaiting_approval")
    run_id = card.get_attribute("data-run")
    card.query_selector("input").fill("wrong host")
    card.query_selector("button[data-action=reject]").click()
    rejected = page.wait_for_selector(f'.card[data-run="{run_id}"]:not([data-status="awaiting_approval"])',
                                      timeout=STEP_MS)
    expect_status(rejected, "rejected")
    assert console_operator.run(run_id)["pushed"] is False
    assert console_operator.topology() == before

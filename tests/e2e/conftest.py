"""The browser end-to-end set-up: the console server over an operator, and headless
Chromium driving it. The operator is a fixture: the fake by default, the real agent graph
(aaas.wiring.build_operator, needs `aaas twin up` for prod and twin) with
AAAS_E2E_OPERATOR=real. A missing browser fails the run; it never skips."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from aaas.api import ConsoleServer

CHROMIUM = os.environ.get("AAAS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def console_operator():
    if os.environ.get("AAAS_E2E_OPERATOR", "fake") == "real":
        from aaas.settings import Settings
        from aaas.wiring import build_operator
        operator = build_operator(Settings.from_env())
        yield operator
        getattr(operator, "close", lambda: None)()
        return
    from tests.unit.api.fakes import FakeOperator
    yield FakeOperator()


@pytest.fixture
def console_url(console_operator) -> Iterator[str]:
    with ConsoleServer(console_operator, default_actor="e2e-operator") as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and shutil.which(CHROMIUM) is None:
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium, or set AAAS_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(f"playwright is not installed in the venv ({exc}); pip install playwright==1.65.2")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60_000)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where the test leaves its screenshots: AAAS_E2E_SCREENSHOTS, or the test's tmp folder."""
    folder = Path(os.environ.get("AAAS_E2E_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder

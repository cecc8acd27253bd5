import os
import shutil
from pathlib import Path

import pytest

from ..conftest import TEST_QUEUE
from ..workers import WebServer

# Playwright's sync API keeps an event loop running in the test thread; the ORM calls the test
# makes there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The journey's screenshots, one folder per window width; CI keeps test-artifacts/ whole.
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
        skip = pytest.mark.skip(
            reason="Debian's chromium is not installed (apt-get install chromium)"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    # Module scope: Playwright's sync API keeps an event loop running while the browser is
    # open, which must be gone before the async tests elsewhere run.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors, violations = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Chromium reports each Content-Security-Policy violation on the console.
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.js_errors = errors
    page.csp_violations = violations
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(
        path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True
    )
    context.close()
    assert violations == [], f"Content-Security-Policy violations: {violations}"


@pytest.fixture
def start_web(tmp_path, session_media_root):
    servers = []

    def start(env: dict | None = None) -> WebServer:
        server = WebServer(
            media_root=session_media_root,
            log_path=tmp_path / f"web-{len(servers)}.log",
            queue=TEST_QUEUE,
            env=env,
        )
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

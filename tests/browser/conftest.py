"""Real-browser fixtures: Playwright driving Debian's Chromium against live_server.

No browser is downloaded: ``CHROMIUM_PATH`` (default ``/usr/bin/chromium``,
installed by ``.ci/run``) is launched with the flags this closed network needs.
Pages run in the Chinese locale, as the portal's users see them.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(path):
        pytest.fail(f"Chromium not found at {path}: install Debian's chromium (see .ci/run)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    # Playwright's sync API runs an event loop; Django refuses ORM calls from
    # a thread with a running loop unless told this is intended.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def ipc_model():
    """The tagging model, built from data/ once before any journey: on a fresh clone
    (no var/models/) the first need submission would otherwise build it inside the
    request and outlast the page's timeout. Same process as live_server's thread,
    so the loaded model is shared."""
    from patents.tagging.model import load_model

    return load_model(build_if_missing=True)


@pytest.fixture
def page(browser, live_server, ipc_model):
    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()

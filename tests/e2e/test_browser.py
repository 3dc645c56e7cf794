"""End to end: `skinevidence serve` started as a real process on a free loopback port, driven in Debian's Chromium
(headless, through Playwright, never a downloaded browser) the way a person uses it.

Screenshots go to tests/artifacts/ (not committed). In CI (CI=true) a missing browser or Playwright fails the run;
elsewhere these tests are skipped with the reason. scripts/install-browser.sh installs the browser.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import SEEDS

CHROMIUM = Path(os.environ.get("SKINEVIDENCE_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (CI must run the browser tests: scripts/install-browser.sh installs Chromium)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real CLI serving on 127.0.0.1; its log is printed if it fails to start."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {**os.environ, "SKINEVIDENCE_DB": str(folder / "evidence.sqlite"), "PYTHONUNBUFFERED": "1"}
    log = (folder / "server.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "skinevidence", "serve", "--host", "127.0.0.1",
                                "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("skinevidence serve did not start:\n" + (folder / "server.log").read_text())
        time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (python3 -m pip install -e '.[test]')")
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        unavailable(f"Chromium is not installed at {CHROMIUM} (run scripts/install-browser.sh)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM if CHROMIUM.exists() else
                                                                  shutil.which("chromium")), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, server):
    """A fresh tab; any console error (a CSP violation, a missing resource) fails the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, errors


def shot(tab, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    tab.screenshot(path=str(path), full_page=True)
    return path


def loaded(tab, selector: str) -> bool:
    """The image has really been drawn (the CSP let it in, the server answered SVG); images load lazily."""
    image = tab.locator(selector).first
    image.scroll_into_view_if_needed()
    tab.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=15000)
    return True


def test_searching_exosomes_opens_its_graded_evidence(page):
    page.goto("/")
    page.get_by_label("Ingredient, treatment or INCI name").fill("exosomes")
    page.keyboard.press("Enter")
    page.wait_for_url("**/intervention/exosomes")
    assert "Exosomes" in page.locator("h1").inner_text()
    assert page.locator(".verdict").is_visible() and page.locator("article.card").count() >= 3
    first = page.locator("article.card details").first
    first.locator("summary").click()
    assert first.locator(".reasons li").count() >= 1  # the reasons behind the grade
    assert loaded(page, "img[src='/plots/pyramid/exosomes.svg']")
    assert page.locator("#references li").count() >= 10
    shot(page, "01-exosomes.png")


def test_a_misspelling_is_answered_with_did_you_mean(page):
    page.goto("/")
    page.get_by_label("Ingredient, treatment or INCI name").fill("exosoms")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Exosomes and extracellular vesicles").first.click()
    page.wait_for_url("**/intervention/exosomes")


def test_comparing_exosomes_with_retinoids_gives_a_table_and_a_plot(page):
    page.goto("/compare")
    page.get_by_label("Intervention 1").fill("exosomes")
    page.get_by_label("Intervention 2").fill("tretinoin")
    page.get_by_label("Intervention 3").fill("retinol")
    page.get_by_label("Outcome").select_option("wrinkles")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare?i=exosomes&i=tretinoin&i=retinol*&outcome=wrinkles")
    rows = page.locator("#result-h + .table-wrap tbody tr")
    assert rows.count() == 3
    assert {rows.nth(n).locator("th").inner_text() for n in range(3)} >= {"Retinol"}
    plot = "figure.plot img"
    assert loaded(page, plot)
    shared = page.locator(".share a").first.get_attribute("href")
    assert shared.startswith("/compare?") and "outcome=wrinkles" in shared
    shot(page, "02-compare.png")


def test_pasting_a_seed_article_highlights_its_claims(page):
    seeds = sorted(SEEDS.glob("003_*.txt"))
    if not seeds:
        unavailable("seed 003 not available beside the repository (../shared/seeds)")
    page.goto("/check")
    page.get_by_label("Paste the text").fill(seeds[0].read_text(encoding="utf-8"))
    page.get_by_role("button", name="Check the claims").click()
    page.wait_for_selector(".checked-text mark")
    marks = page.locator(".checked-text mark")
    assert marks.count() >= 5
    page.locator(".checked-text a.claim-ref").first.click()
    assert page.evaluate("location.hash") == "#claim-1"
    assert page.locator("#claim-1 .badge").first.is_visible()
    page.locator(".checked-text").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "03-check-viewport.png"))
    shot(page, "03-check.png")


def test_the_site_works_from_the_keyboard(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("tretinoin")
    page.keyboard.press("Enter")
    page.wait_for_url("**/intervention/tretinoin")


def test_pages_fit_a_phone_screen(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=server, is_mobile=True)
    tab = context.new_page()
    try:
        for address in ("/", "/intervention/exosomes", "/check"):
            tab.goto(address)
            assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), address
        shot(tab, "04-phone-exosomes.png") if tab.goto("/intervention/exosomes") else None
    finally:
        context.close()

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


FULL_PAGE_LIMIT = 6000  # px: taller pages (a long checked article) are shot a screen at a time, not whole


def shot(tab, name: str) -> Path:
    """A screenshot in tests/artifacts/: the whole page, or its first screen when the page is very tall (a whole
    20,000 px page takes Chromium a minute)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    tall = tab.evaluate("document.documentElement.scrollHeight") > FULL_PAGE_LIMIT
    tab.screenshot(path=str(path), full_page=not tall)
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


@pytest.mark.shared_data
def test_pasting_a_seed_article_highlights_its_claims(page):
    seeds = sorted(SEEDS.glob("003_*.txt"))
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


PHONE = {"width": 390, "height": 844}
#: Every page of the site, as a person reaches it (GET), at a phone's width.
PAGES = {"home": "/", "intervention": "/intervention/exosomes", "intervention-filtered":
         "/intervention/exosomes?sort=certainty&route=topical", "compare-form": "/compare",
         "compare": "/compare?i=exosomes&i=tretinoin&i=niacinamide&i=peptides", "check-form": "/check",
         "audit-form": "/audit", "product-form": "/product", "ask": "/ask?q=does+niacinamide+help+redness",
         "ask-best": "/ask?q=what+works+best+for+melasma", "study": "/study/kwon-2020-exosomes-co2-acne-scars",
         "method": "/method", "search": "/search?q=exo", "not-found": "/intervention/no-such-thing"}


@pytest.fixture
def phone(browser, server):
    context = browser.new_context(viewport=PHONE, base_url=server, is_mobile=True)
    tab = context.new_page()
    yield tab
    context.close()


def fits(tab) -> bool:
    """Nothing makes the page scroll sideways at 390 px."""
    return tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_fits_a_phone_screen(phone, name):
    phone.goto(PAGES[name])
    shot(phone, f"phone-{name}.png")
    assert fits(phone), (name, phone.evaluate("document.documentElement.scrollWidth"))


def test_every_result_page_fits_a_phone_screen_and_has_a_permalink(phone, seed):
    article = seed("003")
    phone.goto("/check")
    phone.get_by_label("Paste the text").fill(article)
    phone.get_by_role("button", name="Check the claims").click()
    phone.wait_for_selector(".checked-text")
    assert "/check/" in phone.url and fits(phone)
    shot(phone, "phone-check-result.png")
    phone.goto("/audit")
    phone.locator("textarea").fill(article)
    phone.locator("form.textform button[type=submit]").click()
    phone.wait_for_url("**/audit/*")
    assert fits(phone)
    shot(phone, "phone-audit-result.png")
    phone.goto("/product")
    phone.get_by_label("Product name").fill("Exosome serum")
    phone.get_by_label("Ingredient (INCI) list").fill("Aqua, Niacinamide, Human Adipose Stromal Cell Exosomes")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/product/*")
    assert fits(phone) and phone.locator(".permalink a").first.get_attribute("href") in phone.url
    shot(phone, "phone-product-result.png")


def test_the_bottom_line_is_above_the_fold_on_a_phone(phone):
    phone.goto("/intervention/exosomes")
    box = phone.locator(".bottom-line").bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]


def test_cards_are_filtered_and_sorted_without_a_script(page):
    page.goto("/intervention/exosomes")
    everything = page.locator("article.card").count()
    page.locator("#card-route").select_option("topical")
    page.locator("#card-sort").select_option("certainty")
    page.locator("form.card-filter button").click()
    page.wait_for_url("**route=topical**")
    routes = page.locator("article.card .route").all_inner_texts()
    assert 0 < len(routes) < everything and set(routes) == {"at-home topical"}


def test_the_printed_summary_is_a_few_pages_with_the_date_and_version_of_the_evidence_base(page, tmp_path):
    page.goto("/intervention/exosomes")
    page.emulate_media(media="print")
    assert "evidence base of" in page.locator(".evidence-version").inner_text()
    assert not page.locator("#outcomes").is_visible()
    pdf = page.pdf(path=str(tmp_path / "exosomes.pdf"), format="A4")
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert 1 <= pages <= 4, pages

"""Real Chromium (Debian's package, headless, driven by Playwright): sign in and see the council page."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from conftest import ARTIFACTS, need_service

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def live_server(sqlite_app):
    server = make_server("127.0.0.1", 0, sqlite_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser():
    need_service("Chromium", CHROMIUM is not None,
                 "install Debian's chromium package (apt-get install chromium); browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_sign_in_and_see_the_council_page(live_server, browser, sqlite_app):
    from conftest import World

    world = World(sqlite_app)
    council = world.council("izmir", name="İzmir Kent Konseyi")
    world.user("sekreter@izmir.example.org", roles={council: "administrator"})
    for name in ["Ayşe Yılmaz", "Mehmet Demir", "Zeynep Kaya"]:
        world.member(council, name=name)

    page = browser.new_page(locale="tr-TR")
    page.goto(f"{live_server}/login")
    assert page.title().startswith("Giriş yap")
    page.get_by_label("E-posta").fill("sekreter@izmir.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()
    page.get_by_role("link", name="İzmir Kent Konseyi").first.click()
    page.wait_for_url(f"{live_server}/izmir/")
    assert page.get_by_role("heading", level=1).inner_text() == "İzmir Kent Konseyi"
    assert page.get_by_test_id("member-total").inner_text() == "3"
    assert page.get_by_text("Genel Kurul").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "council-page.png"), full_page=True)

    page.get_by_role("link", name="Tüm üyeler").click()
    assert page.get_by_role("link", name="Ayşe Yılmaz").is_visible()
    page.keyboard.press("Tab")  # the skip link is the first stop for keyboard users
    assert page.evaluate("document.activeElement.className") == "skip"


def test_operator_onboards_a_council_in_the_browser(live_server, browser, sqlite_app):
    from conftest import World
    from konsey.tenants import reference

    World(sqlite_app).user("op@konsey.example.org", platform_role="operator")
    page = browser.new_page(locale="tr-TR")
    page.goto(f"{live_server}/login")
    page.get_by_label("E-posta").fill("op@konsey.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()
    page.goto(f"{live_server}/operator/councils/new")
    bornova = next(m for m in reference.municipalities(35) if m.name.startswith("Bornova"))
    page.get_by_label("Konsey adı").fill("Bornova Kent Konseyi")
    page.locator("#slug").fill("bornova")
    page.locator("#province_code").select_option("35")
    page.locator(f"#municipality_id option[value='{bornova.id}']").wait_for(state="attached")
    page.locator("#municipality_id").select_option(bornova.id)
    page.locator("#contact_email").fill("info@bornova.example.org")
    page.locator("#motion_delivery_address").fill("evrak@bornova.bel.tr")
    page.locator("#admin_email").fill("gs@bornova.example.org")
    page.get_by_role("button", name="Konseyi oluştur").click()
    assert "/invitations/" in page.get_by_test_id("invitation-url").inner_text()
    page.screenshot(path=str(ARTIFACTS / "operator-onboarded.png"), full_page=True)


"""Real Chromium (Debian's package, headless, driven by Playwright): sign in and see the council page."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from conftest import ARTIFACTS, need_service
from support.clock import years_ago

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
    from playwright.sync_api import expect, sync_playwright

    # An assertion waits this long for the page to say it: on two loaded cores (a failover test's three PostgreSQL
    # servers beside the browser), a second or two is not enough.
    expect.set_options(timeout=20_000)

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
    page.wait_for_url(f"{live_server}/izmir/members")  # is_visible() does not wait: a loaded machine lost the race
    assert page.get_by_role("link", name="Ayşe Yılmaz").is_visible()
    page.keyboard.press("Tab")  # the skip link is the first stop for keyboard users
    assert page.evaluate("document.activeElement.className") == "skip"


def test_operator_onboards_a_council_in_the_browser(live_server, browser, sqlite_app):
    from conftest import World
    from konsey.core import reference

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


def test_enable_an_assembly_and_add_a_member_in_the_browser(live_server, browser, sqlite_app):
    """The secretary general enables the youth assembly for the council and seats a young member."""

    from conftest import World

    world = World(sqlite_app)
    council = world.council("izmir", name="İzmir Kent Konseyi")
    world.user("sekreter@izmir.example.org", roles={council: "administrator"})
    young = years_ago(20)
    world.member(council, name="Deniz Genç", birth_date=young.isoformat())
    world.member(council, name="Ahmet Yaşlı", birth_date="1960-05-01")

    page = browser.new_page(locale="tr-TR")
    page.goto(f"{live_server}/login")
    page.get_by_label("E-posta").fill("sekreter@izmir.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()
    page.goto(f"{live_server}/izmir/plugins/")
    section = page.locator("section", has=page.locator("#plugin-youth_assembly"))
    section.get_by_label("En büyük yaş").fill("12")  # a band the plugin's schema refuses
    section.get_by_role("button", name="Etkinleştir").click()
    assert "en küçük yaş" in page.locator(".flash.error").first.inner_text().lower()
    assert page.get_by_test_id("state-youth_assembly").inner_text() == "Etkin değil"
    section = page.locator("section", has=page.locator("#plugin-youth_assembly"))
    section.get_by_label("En büyük yaş").fill("29")
    section.get_by_role("button", name="Etkinleştir").click()
    assert page.get_by_test_id("state-youth_assembly").inner_text() == "Etkin"

    page.get_by_role("link", name="Gençlik Meclisi").first.click()
    options = page.locator("#ya-member option").all_inner_texts()
    assert options == ["Seçin…", "Deniz Genç"]  # nobody chosen by default; only those within the age band
    page.locator("#ya-member").select_option(label="Deniz Genç")
    page.get_by_role("button", name="Meclise ekle").click()
    assert "Deniz Genç" in page.get_by_test_id("assembly-members").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "youth-assembly.png"), full_page=True)


def test_federation_dashboard_in_the_browser(live_server, browser, sqlite_app):
    """A federation analyst compares councils: a ranked chart, a distribution, the table — no person anywhere."""
    from conftest import World
    from konsey.core.accounts import PlatformRole, User
    from konsey.tenants.db import db

    world = World(sqlite_app)
    for slug, name, province, people in (("izmir", "İzmir Kent Konseyi", 35, 9), ("nilufer", "Nilüfer Kent Konseyi", 16, 6),
                                         ("kadikoy", "Kadıköy Kent Konseyi", 34, 3)):
        council = world.council(slug, name=name, province=province)
        for index in range(people):
            world.member(council, name=f"Üye {slug} {index}", gender="female" if index % 2 else "male")
    analyst = world.user("analist@federasyon.example.org")
    with sqlite_app.app_context():
        db.session.get(User, analyst).platform_role = PlatformRole.FEDERATION_ANALYST
        db.session.commit()

    page = browser.new_page(locale="tr-TR")
    page.goto(f"{live_server}/login")
    page.get_by_label("E-posta").fill("analist@federasyon.example.org")
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()
    page.get_by_role("link", name="Federasyon").click()
    page.locator("#f-indicator").select_option(value="members")
    page.get_by_role("button", name="Göster").click()
    chart = page.get_by_test_id("ranking-chart")
    assert chart.locator(".bar-label").first.text_content() == "İzmir Kent Konseyi"  # the largest first
    table = page.get_by_test_id("federation-table").inner_text()
    assert "Kadıköy Kent Konseyi" in table and "Üye " not in table
    kadikoy_row = page.locator("tr", has_text="Kadıköy Kent Konseyi").inner_text()
    assert "—" in kadikoy_row  # three members: suppressed
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "federation-dashboard.png"), full_page=True)

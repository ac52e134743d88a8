"""A secretary runs the council in a real browser (Debian's Chromium), on the desktop and on a 390 px phone:
members by hand and by CSV, an application, a general assembly with one tap per person on the desk, an
open and a roll-call vote, a working group approved by the decision, a motion to the municipality and its
answer, the meeting closed and its minutes with the absent listed."""

from __future__ import annotations

import io
import re
import time
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from test_browser import browser, live_server  # noqa: F401 (fixtures)

from conftest import ARTIFACTS
from support.world import start_meeting

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
DESK = re.compile(r".*/meetings/[0-9a-f-]{36}(#.*)?$")


def _sign_in(page, base: str, email: str = "gs@izmir.example.org") -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-posta").fill(email)
    page.get_by_label("Parola").fill("correct horse battery")
    page.get_by_role("button", name="Giriş yap").click()


def _count(app, council, model, **criteria) -> int:
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**criteria))


def _nav(page, name: str) -> None:
    """Follow a link of the council's menu (on a phone, the menu opens first)."""
    page.wait_for_load_state()
    toggle = page.get_by_test_id("menu-toggle")
    if toggle.is_visible():
        toggle.click()
        expect(page.get_by_test_id("council-nav")).to_be_visible()
    page.get_by_test_id("council-nav").get_by_role("link", name=name, exact=True).click()


def _fits(page) -> bool:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, PHONE], ids=["desktop", "phone"])
def test_a_secretary_runs_a_general_assembly_in_the_browser(live_server, browser, sqlite_app, viewport):  # noqa: F811
    from conftest import World
    from konsey.core.membership import Member

    world = World(sqlite_app)
    council = world.council("izmir", name="İzmir Kent Konseyi")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    application = world.application(council, name="Başvuran Vatandaş", email="vatandas@example.org")
    page = browser.new_page(locale="tr-TR", viewport=viewport)
    page.on("dialog", lambda dialog: dialog.accept())
    ARTIFACTS.mkdir(exist_ok=True)

    # Signing in lands on the council's own dashboard, with a getting-started list for a new council.
    _sign_in(page, live_server)
    page.wait_for_url(f"{live_server}/izmir/")
    assert page.get_by_test_id("getting-started").is_visible()
    assert "1 üyelik başvurusu karar bekliyor." in page.get_by_test_id("todo").inner_text()

    # Three members by hand, the second and third through "save and add another".
    _nav(page, "Üyeler")
    page.get_by_role("link", name="Üye ekle", exact=True).click()
    for n, name in enumerate(["Ayşe Kaya", "Mehmet Demir", "Zeynep Ak"]):
        page.locator("#name").fill(name)
        page.locator("#email").fill(f"uye{n}@example.org")
        page.locator("#gender").select_option("female" if n != 1 else "male")
        page.get_by_role("button", name="Kaydet ve bir üye daha ekle").click()
        page.wait_for_url("**/members/new?category=individual")
    # A mistake is shown beside its field, with what was typed kept.
    page.locator("#name").fill("Hatalı Adres")
    page.locator("#email").fill("adres-degil")
    page.get_by_role("button", name="Kaydet", exact=True).click()
    assert page.locator("#email").get_attribute("aria-invalid") == "true"
    assert page.locator("#name").input_value() == "Hatalı Adres"
    assert _count(sqlite_app, council, Member) == 3

    # Fifty by CSV: a dry run first, then all of them.
    rows = "kategori;ad_soyad;e_posta;cinsiyet\n" + "".join(
        f"bireysel;Üye{i:02d} Yılmaz;csv{i}@example.org;{'kadın' if i % 2 else 'erkek'}\n" for i in range(50))
    page.goto(f"{live_server}/izmir/members/import")
    page.locator("#file").set_input_files({"name": "uyeler.csv", "mimeType": "text/csv",
                                           "buffer": rows.encode("utf-8")})
    page.get_by_role("button", name="Dosyayı denetle").click()
    assert "50" in page.get_by_test_id("import-result").inner_text()
    page.get_by_test_id("import-confirm").click()
    page.wait_for_url(f"{live_server}/izmir/members")
    assert _count(sqlite_app, council, Member) == 53

    # The application: only "start the review" is offered first, then approve.
    _nav(page, "Başvurular")
    assert page.get_by_role("button", name="Onayla").count() == 0
    page.get_by_role("button", name="İncelemeyi başlat").click()
    page.get_by_label("İnceleme kurulu karar no.").fill("İK 2026/4")  # the panel's decision, never a bare click
    page.get_by_role("button", name="Onayla").click()
    assert _count(sqlite_app, council, Member) == 54
    del application

    # A working group is proposed; it waits for the general assembly's decision.
    _nav(page, "Organlar")
    page.locator("#b-kind").select_option("working_group")
    page.locator("#b-name").fill("Ulaşım Çalışma Grubu")
    page.get_by_role("button", name="Öner").click()
    expect(page.locator(".flash.success")).to_be_visible()

    # The general assembly is called with its agenda.
    _nav(page, "Toplantılar")
    page.locator("#body_id").select_option(label="Genel Kurul")
    page.locator("#title").fill("Aralık genel kurulu")
    page.locator("#date").fill((date.today() + timedelta(days=5)).isoformat())
    page.locator("#time").fill("18:00")
    page.locator("#agenda").fill("Ulaşım Çalışma Grubu kurulması\nBisiklet yolu önerisi")
    page.get_by_role("button", name="Toplantıyı çağır").click()
    page.wait_for_url(DESK)
    desk_url = page.url.split("#")[0]
    # 18:00 where the council is, not three hours off.
    assert page.get_by_test_id("meeting-time").inner_text().endswith("18:00")
    # Five days ahead nobody can be checked in yet; the desk says from when.
    expect(page.get_by_test_id("opens-at")).to_be_visible()
    assert page.get_by_test_id("tap-present").count() == 0
    start_meeting(sqlite_app, desk_url.rstrip("/").split("/")[-1])  # the evening of the meeting comes
    page.goto(desk_url)

    # Forty people checked in: one tap each, the quorum updating without a reload.
    quorum = page.get_by_test_id("quorum")
    assert "yok" in quorum.inner_text()
    marker = page.evaluate("window.konseyMarker = Math.random()")
    rows = page.get_by_test_id("roster-row")
    assert rows.count() == 54
    taps, started = 0, time.monotonic()
    for n in range(40):
        row = rows.nth(n)
        row.get_by_test_id("tap-present").click()
        taps += 1
        expect(row.get_by_test_id("state")).to_have_text("salonda")
    tapping = time.monotonic() - started
    expect(page.get_by_test_id("quorum")).to_contain_text("40 / 54")
    assert page.evaluate("window.konseyMarker") == marker, "the page reloaded"
    assert taps == 40 and "var" in quorum.inner_text()
    print(f"40 check-ins: {taps} taps in {tapping:.1f} s")
    assert tapping < 120
    assert _fits(page)
    page.screenshot(path=str(ARTIFACTS / f"desk-40-present-{viewport['width']}.png"), full_page=True)

    # Item 1 by show of hands: three numbers, then close; the decision gets its number.
    first = page.locator("article.item").nth(0)
    first.get_by_role("button", name="Oylamayı aç").click()
    counts = page.locator("article.item").nth(0).get_by_test_id("hall-counts")
    counts.get_by_label("Evet").fill("35")
    counts.get_by_label("Hayır").fill("3")
    counts.get_by_label("Çekimser").fill("2")
    counts.get_by_role("button", name="Salonun sayımını kaydet").click()
    page.locator("article.item").nth(0).get_by_role("button", name="Oylamayı kapat").click()
    first_decision = page.locator("article.item").nth(0).get_by_test_id("decision-number").inner_text()
    assert first_decision.startswith("Karar no. ")

    # Item 2 by roll call: one list with a choice per name.
    second = page.locator("article.item").nth(1)
    second.locator("select[name=kind]").select_option("roll_call")
    second.get_by_role("button", name="Oylamayı aç").click()
    second = page.locator("article.item").nth(1)
    for n in range(30):
        second.locator("ul.roll > li").nth(n).get_by_label("Evet").check()
    for n in range(30, 33):
        second.locator("ul.roll > li").nth(n).get_by_label("Hayır").check()
    second.get_by_role("button", name="Oyları kaydet").click()
    page.locator("article.item").nth(1).get_by_test_id("confirm-close").check()  # 33 of the 40 present voted
    page.locator("article.item").nth(1).get_by_role("button", name="Oylamayı kapat").click()
    second = page.locator("article.item").nth(1)
    assert "30 evet, 3 hayır" in second.get_by_test_id("counts").inner_text()

    # The decision goes on as a motion, is delivered, and the municipality's answer is recorded.
    second.get_by_text("Karar → önerge olarak gönder").click()
    second.get_by_role("button", name="Önerge olarak gönder").click()
    page.wait_for_url(re.compile(r".*/motions/[0-9a-f-]{36}$"))
    page.locator("#m-status").select_option("delivered")
    page.locator("#m-delivered").fill(date.today().isoformat())
    page.get_by_role("button", name="Kaydet").click()
    page.locator("#a-answer").select_option(index=0)
    assert page.locator("#a-date").get_attribute("type") == "date"
    page.locator("#a-date").fill(date.today().isoformat())
    page.locator("#a-number").fill("2026/611")
    page.get_by_role("button", name="Yanıtı kaydet").click()
    assert date.today().strftime("%d.%m.%Y") in page.locator("main").inner_text()

    # The working group is approved by the first decision, picked from the list.
    _nav(page, "Organlar")
    page.get_by_role("link", name="Ulaşım Çalışma Grubu", exact=True).click()
    page.locator("#approve-vote").select_option(index=1)  # the first decision; nothing is chosen for whoever does not look
    page.get_by_role("button", name="Kurulu onayla").click()
    assert "Etkin" in page.locator("main").inner_text() or "etkin" in page.locator("main").inner_text()

    # The meeting is closed; the minutes list who was absent.
    page.goto(desk_url)
    page.get_by_role("button", name="Toplantıyı kapat").click()
    page.wait_for_load_state()
    href = page.get_by_role("link", name="Tutanak (PDF)").get_attribute("href")
    minutes = page.request.get(f"{live_server}{href}")
    assert minutes.ok and minutes.body()[:5] == b"%PDF-"
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(minutes.body())).pages)
    # 14 members did not come, and the seat the working group took in the assembly on approval stayed empty.
    assert "Katılmayanlar (15)" in text


def test_the_desk_and_the_members_pages_fit_a_phone(live_server, browser, sqlite_app):  # noqa: F811
    from conftest import World
    from konsey.core.meetings import Attendance

    world = World(sqlite_app)
    council = world.council("izmir", name="İzmir Kent Konseyi")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    for name in ["Ayşe Kaya", "Mehmet Demir", "Zeynep Ak", "Kemal Uzunsoyadlıoğulları"]:
        world.member(council, name=name)
    page = browser.new_page(locale="tr-TR", viewport=PHONE, is_mobile=True, has_touch=True)
    _sign_in(page, live_server)
    page.wait_for_url(f"{live_server}/izmir/")
    assert _fits(page), "the dashboard is wider than the phone"
    # The menu folds behind one button; opened, it offers the council's pages.
    assert not page.get_by_test_id("council-nav").is_visible()
    page.get_by_test_id("menu-toggle").tap()
    page.get_by_test_id("council-nav").get_by_role("link", name="Toplantılar", exact=True).tap()
    page.locator("#body_id").select_option(label="Genel Kurul")
    page.locator("#title").fill("Telefondan toplantı")
    page.locator("#date").fill((date.today() + timedelta(days=5)).isoformat())
    page.locator("#agenda").fill("Gündem maddesi")
    page.get_by_role("button", name="Toplantıyı çağır").tap()
    page.wait_for_url(DESK)
    start_meeting(sqlite_app, page.url.split("#")[0].rstrip("/").split("/")[-1])  # its day comes
    page.goto(page.url.split("#")[0])
    assert _fits(page), "the desk is wider than the phone"
    page.get_by_test_id("roster-row").first.get_by_test_id("tap-present").tap()
    expect(page.get_by_test_id("quorum")).to_contain_text("1 / 4")
    assert _count(sqlite_app, council, Attendance) == 1
    page.screenshot(path=str(ARTIFACTS / "desk-phone.png"), full_page=True)
    for path in ("/izmir/members", "/izmir/members/new", "/izmir/applications/", "/izmir/bodies/",
                 "/izmir/motions/"):
        page.goto(f"{live_server}{path}")
        assert _fits(page), f"{path} is wider than the phone"

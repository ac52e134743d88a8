"""In Chromium at a phone's width (#30, done when): a resident signs up on a phone, proposes, five residents support
it (the demo's threshold, five), it lands on the working group's agenda, the group adopts its report on it after a
public comment period in which a comment is answered and a flagged one hidden with its reason, the executive board's
decision becomes a motion, the municipality answers and starts the work, and the proposal's public page shows every
step. Every page the resident meets passes axe-core and fits the phone."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from test_accessibility import SMALL_TARGETS, _violations
from test_browser import browser, live_server  # noqa: F401 - the fixtures
from test_participation import PASSWORD, _board_motion, _link_in, _resident

from support.clients import ApiClient
from support.clock import council_today

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

BASE = "/api/v1/councils/izmir"
PLUGIN = f"{BASE}/plugins/participation"
PAGES = "/izmir/p/participation"
PHONE = {"width": 390, "height": 844}


def _readable_on_a_phone(page) -> None:
    """WCAG 2.1 AA by axe-core, fingers' targets, and nothing wider than the phone."""
    assert _violations(page) == [], page.url
    assert page.evaluate(SMALL_TARGETS) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_a_residents_proposal_goes_from_a_phone_to_the_municipalitys_answer(live_server, browser, sqlite_app,  # noqa: F811
                                                                            mailbox):
    from conftest import World, approve_by_general_assembly, login

    world = World(sqlite_app)
    council = world.council("izmir", name="İzmir Kent Konseyi")
    admin = ApiClient(sqlite_app.test_client(), world.token(
        world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    assert admin.post(f"{BASE}/plugins/participation", json={"config": {
        "neighbourhoods": ["Alsancak", "Bornova", "Karşıyaka"]}}).status_code == 201
    assert admin.post(f"{BASE}/bylaws", json={"effective_from": council_today().isoformat(),
                                              "parameters": {"proposal_supports_needed": 5}}).status_code in (200, 201)
    group = admin.post(f"{BASE}/bodies", json={"kind": "working_group", "name": "Çevre Çalışma Grubu"}).json["id"]
    voters = [str(world.member(council, name=f"Genel Kurul {i}")) for i in range(3)]
    assert approve_by_general_assembly(admin, BASE, group, voters).json["status"] == "active"
    admin.post(f"{BASE}/meetings", json={"body_id": group, "title": "Çevre grubu aralık toplantısı",
                                         "scheduled_at": (datetime.now(UTC) + timedelta(days=8)).isoformat(),
                                         "agenda": ["Açılış"]})

    # A resident signs up on a phone: the form refused once (the notice not ticked), then the link by e-mail.
    context = browser.new_context(locale="tr-TR", viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    phone = context.new_page()
    phone.goto(f"{live_server}{PAGES}/")
    _readable_on_a_phone(phone)
    phone.get_by_role("link", name="Hesap aç").first.click()
    phone.get_by_label("Adınız").fill("Deniz Yurttaş")
    phone.get_by_label("E-posta").fill("deniz@example.org")
    phone.get_by_label("Mahalleniz").select_option("Alsancak")
    phone.get_by_label("Parola").fill(PASSWORD)
    phone.get_by_role("button", name="Hesabımı aç").click()
    phone.get_by_text("Aydınlatma metnini okuyun").wait_for()
    assert phone.get_by_label("Adınız").input_value() == "Deniz Yurttaş"  # what was typed is kept
    _readable_on_a_phone(phone)
    phone.get_by_label("Parola").fill(PASSWORD)
    phone.get_by_label("Aydınlatma metnini okudum").check()
    phone.get_by_role("button", name="Hesabımı aç").click()
    phone.get_by_test_id("signed-up").wait_for()
    phone.goto(live_server + urlsplit(_link_in(mailbox, "deniz@example.org")).path)
    assert "Deniz Yurttaş" in phone.get_by_test_id("pending-account").inner_text()
    _readable_on_a_phone(phone)
    phone.get_by_test_id("confirm-address").click()
    phone.get_by_text("Adresiniz doğrulandı").wait_for()
    phone.get_by_label("E-posta").fill("deniz@example.org")
    phone.get_by_label("Parola").fill(PASSWORD)
    phone.get_by_role("button", name="Giriş yap").click()
    phone.get_by_test_id("resident-name").wait_for()

    # The proposal, with a photo.
    phone.get_by_test_id("propose-link").click()
    _readable_on_a_phone(phone)
    phone.get_by_label("Başlık").fill("Kordon'a gölgelik ve içme suyu")
    phone.get_by_label("Öneriniz").fill("Kordon boyunca yürüyenler için gölgelik ve içme suyu çeşmeleri yapılsın.")
    phone.get_by_label("Konu").select_option(label="Çevre Çalışma Grubu")
    phone.get_by_label("Fotoğraf ya da belge").set_input_files(
        {"name": "kordon.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\0" * 64})
    phone.get_by_role("button", name="Öneriyi yayımla").click()
    phone.get_by_test_id("proposal-status").wait_for()
    number = int(phone.url.rstrip("/").rsplit("/", 1)[-1])
    assert phone.get_by_test_id("supports").inner_text() == "0 destek; gereken 5"
    _readable_on_a_phone(phone)

    # Four residents support it from their own browsers; the fifth on a phone, and it reaches the group.
    for i in range(4):
        supporter = _resident(sqlite_app, mailbox, f"destek{i}@example.org", f"Destekçi {i}", prefix=PAGES)
        assert supporter.post(f"{PAGES}/proposals/{number}/support").status_code == 302
    _resident(sqlite_app, mailbox, "besinci@example.org", "Beşinci Destekçi", prefix=PAGES)
    fifth_context = browser.new_context(locale="tr-TR", viewport=PHONE, is_mobile=True, has_touch=True)
    fifth = fifth_context.new_page()
    fifth.goto(f"{live_server}{PAGES}/proposals/{number}")
    fifth.get_by_role("link", name="Desteklemek için giriş yapın").click()
    fifth.get_by_label("E-posta").fill("besinci@example.org")
    fifth.get_by_label("Parola").fill(PASSWORD)
    fifth.get_by_role("button", name="Giriş yap").click()
    fifth.get_by_test_id("support").click()
    fifth.get_by_test_id("withdraw").wait_for()
    assert fifth.get_by_test_id("proposal-status").inner_text() == "Bir kurulun gündeminde"
    fifth_context.close()
    assert any("Çevre Çalışma Grubu" in m.get_body(("plain",)).get_content() for m in mailbox.to("deniz@example.org"))

    # The group writes its report on it and opens it for comment; the resident comments from the phone.
    admin.post(f"{PLUGIN}/proposals/{number}/report", json={
        "title": "Kordon gölgelik raporu",
        "text": "Kordon'da gölgelik ve çeşme yoktur.\n\nGrup, her 500 metreye bir çeşme ve gölgelik önerir."})
    draft = admin.post(f"{PLUGIN}/proposals/{number}/draft",
                       json={"closes_on": (council_today() + timedelta(days=14)).isoformat()}).json
    phone.goto(f"{live_server}{PAGES}/drafts/{draft['id']}")
    phone.get_by_role("link", name="2. paragrafa yorum yap").click()
    assert phone.locator("#paragraph").input_value() == "2"  # the paragraph chosen by its link
    phone.get_by_label("Yorumunuz").fill("Çeşmeler engelli erişimine uygun olsun.")
    phone.get_by_role("button", name="Yorumu yayımla").click()
    phone.get_by_test_id("comments-2").wait_for()
    _readable_on_a_phone(phone)
    rude = _resident(sqlite_app, mailbox, "kaba@example.org", "Kaba Yorumcu", prefix=PAGES)
    rude.post(f"{PAGES}/drafts/{draft['id']}/comments", data={"paragraph": "1", "text": "Bu grup tembel ve beceriksiz!"})
    comments = {c["text"]: c["id"] for c in admin.get(f"{PLUGIN}/drafts/{draft['id']}").json["comments"]}

    # The resident flags the rude comment from the phone; the secretariat hides it with its reason.
    phone.reload()
    flagged = phone.locator(f'[data-comment="{comments["Bu grup tembel ve beceriksiz!"]}"]')
    flagged.get_by_text("Bildir").click()
    flagged.get_by_label("Sorun ne").select_option("abuse")
    flagged.get_by_role("button", name="Sekretaryaya gönder").click()
    phone.get_by_text("Teşekkürler").wait_for()
    assert [f["reason"] for f in admin.get(f"{PLUGIN}/flags").json] == ["abuse"]
    assert admin.post(f"{PLUGIN}/comments/{comments['Bu grup tembel ve beceriksiz!']}/hide",
                      json={"reason": "Hakaret içeriyor; tartışma kurallarına aykırı."}).status_code == 204
    assert admin.post(f"{PLUGIN}/comments/{comments['Çeşmeler engelli erişimine uygun olsun.']}/answer",
                      json={"answer": "taken_in"}).status_code == 204
    desk = sqlite_app.test_client()
    login(desk, "gs@izmir.example.org")
    assert desk.post(f"{PAGES}/drafts/{draft['id']}/close").status_code == 302
    assert admin.post(f"{PLUGIN}/drafts/{draft['id']}/adopt").json["status"] == "adopted"
    phone.reload()
    assert phone.get_by_test_id("draft-status").inner_text() == "Kabul edildi"
    assert "Hakaret içeriyor; tartışma kurallarına aykırı." in phone.locator("main").inner_text()
    assert "tembel" not in phone.locator("main").inner_text()
    assert phone.get_by_test_id("comment-answer").first.inner_text() == "Alındı"
    _readable_on_a_phone(phone)

    # The executive board's decision becomes a motion; the municipality answers and starts the work.
    motion = _board_motion(admin, world, council, "Kordon'a gölgelik ve içme suyu", base=BASE)
    assert admin.post(f"{PLUGIN}/proposals/{number}/motion", json={"motion_id": motion}).status_code == 200
    today = council_today().isoformat()
    admin.post(f"{BASE}/motions/{motion}/status", json={"status": "delivered", "delivered_on": today})
    admin.post(f"{BASE}/motions/{motion}/answer", json={
        "answer": "accepted", "text": "Belediye meclisi önergeyi kabul etti; ilk çeşmeler ilkbaharda.",
        "municipal_decision_date": today, "municipal_decision_number": "2026/518"})
    admin.post(f"{BASE}/motions/{motion}/milestones", json={"state": "planned", "day": today,
                                                           "note": "Fen İşleri programına alındı."})

    # The proposal's public page, signed out, shows every step.
    context.clear_cookies()
    phone.goto(f"{live_server}{PAGES}/proposals/{number}")
    steps = phone.locator("[data-step]").evaluate_all("items => items.map(i => i.dataset.step)")
    assert steps == ["proposed", "reached", "at_body", "on_meeting_agenda", "report", "report_adopted", "decided",
                     "motion", "delivered", "municipal_answer", "milestone"], steps
    shown = phone.locator("main").inner_text()
    assert "Çevre Çalışma Grubu" in shown and "Kordon gölgelik raporu" in shown and "2026/518" in shown
    assert "ilk çeşmeler ilkbaharda" in shown and "Fen İşleri programına alındı." in shown
    assert "deniz@example.org" not in phone.content()
    _readable_on_a_phone(phone)
    context.close()
    assert re.search(r"^\d+$", str(number))

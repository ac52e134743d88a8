"""A general assembly in real browsers, from its attendance list to its signed archive: three in the hall checked in
from their badges, three on their phones; the presiding board elected by the hall and the phones together; a floor
motion handed in from a phone, read out and put to the vote by a clerk from his own phone, the hall counted from
there too; another refused by the desk with a reason; the agenda adopted, an item decided, the meeting closed; the
minutes approved by every member of the board from their phones with their badges' codes, frozen; the archive
checked on the council's public page. The pages the board and the public meet pass axe-core at 390 px."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from test_browser import browser, live_server  # noqa: F401
from test_browser_hybrid import _signed_in_desk

from support.clients import ballot_recorded

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOM = ["Ayşe Kaya", "Mehmet Demir", "Zeynep Ak"]
PHONES = ["Can Er", "Elif Su", "Oya Tan"]
PHONE = {"width": 390, "height": 844}


def _general_assembly(app, world):
    """İzmir's general assembly of six, sitting now, passes issued: (meeting id, badge codes, personal links)."""
    from konsey.core import meetings, passes
    from konsey.core.bodies import Body, BodyKind
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from support.world import sitting_now

    council = world.council("izmir", name="İzmir Kent Konseyi")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    ids = {name: world.member(council, name=name) for name in ROOM + PHONES}
    with app.app_context(), bound_council(council):
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        when, called = sitting_now()
        meeting = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Olağan Genel Kurul", when,
                                    "Kültür Merkezi", ["Bisiklet yolu", "Park"], now=called)
        passes.issue(meeting)
        db.session.commit()
        with app.test_request_context():
            held = {p.member_id: p for p in db.session.scalars(select(passes.MeetingPass).where(
                passes.MeetingPass.meeting_id == meeting.id))}
            links = {name: passes.link_token(held[ids[name]]) for name in ROOM + PHONES}
        codes = {name: held[ids[name]].code for name in ROOM + PHONES}
        return meeting.id, codes, links


def _phone(chromium, server: str, link: str, contexts: list):
    context = chromium.new_context(locale="tr-TR", viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    contexts.append(context)
    page = context.new_page()
    page.goto(f"{server}/izmir/remote/{link}")
    return page


def test_a_general_assembly_from_its_attendance_list_to_its_signed_archive(live_server, browser,  # noqa: F811
                                                                           sqlite_app):
    from pypdf import PdfReader
    from test_accessibility import _violations

    from conftest import World

    world = World(sqlite_app)
    meeting_id, codes, links = _general_assembly(sqlite_app, world)
    contexts = []
    try:
        desk_context, desk = _signed_in_desk(browser, live_server, viewport=PHONE, bypass_csp=True)
        contexts.append(desk_context)
        desk.on("dialog", lambda dialog: dialog.accept())  # "close the meeting?"
        desk_url = f"{live_server}/izmir/meetings/{meeting_id}"

        # Before the opening: the attendance list with a line to sign for each of the six.
        listed = desk_context.request.get(f"{desk_url}/attendance-list.pdf").body()
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(listed)).pages)
        assert all(name in text for name in ROOM + PHONES)

        desk.goto(desk_url)
        for name in ROOM:
            desk.get_by_label("Yaka kartı kodu").fill(codes[name])
            desk.get_by_test_id("code-check-in").click()
            desk.wait_for_load_state()
        phones = {}
        for name in PHONES:
            phones[name] = _phone(browser, live_server, links[name], contexts)
            phones[name].locator('[data-testid="phone-presence"][data-state="online"]').wait_for()

        def vote_from_phones(choice: str = "yes") -> None:
            for name in PHONES:
                phones[name].get_by_test_id(f"vote-{choice}").click()
                ballot_recorded(phones[name])

        def hall_counts_and_close(page, yes: int, no: int = 0, testid: str = "hall-counts") -> None:
            counts = page.get_by_test_id(testid).last
            counts.get_by_label("Evet").fill(str(yes))
            counts.get_by_label("Hayır").fill(str(no))
            counts.get_by_role("button").click()
            page.wait_for_load_state()
            page.get_by_role("button", name="Oylamayı kapat").last.click()
            page.wait_for_load_state()

        # The presiding board: proposed at the desk, elected by the hall and the phones together.
        desk.get_by_test_id("propose-board-form").locator("summary").click()
        slate = desk.get_by_test_id("propose-board")
        slate.get_by_label("Başkan", exact=True).select_option(label="Ayşe Kaya")
        slate.get_by_label("Başkan vekili").select_option(label="Mehmet Demir")
        slate.get_by_label("Katip üye 1").select_option(label="Zeynep Ak")
        slate.get_by_label("Katip üye 2").select_option(label="Can Er")
        slate.get_by_role("button", name="Listeyi oylamaya sun").click()
        desk.wait_for_load_state()
        vote_from_phones()
        hall_counts_and_close(desk, 3)
        assert "Can Er" in desk.get_by_test_id("presiding-board").inner_text()

        # A floor motion from Elif's phone, to change the agenda; the clerk Can runs the board's desk on his phone.
        elif_phone = phones["Elif Su"]
        elif_phone.get_by_label("Tür").select_option(label="Gündem değişikliği")
        elif_phone.get_by_label("Divana yazılı önergeniz").fill("Gündeme kentsel dönüşüm maddesi eklensin.")
        elif_phone.get_by_test_id("hand-in-floor-motion").click()
        elif_phone.locator(".floor-motion").get_by_text("kentsel dönüşüm").wait_for()  # handed in (the page reloads)
        clerk = phones["Can Er"]
        clerk.reload()
        clerk.get_by_test_id("board-desk-link").click()
        clerk.get_by_test_id("board-desk").wait_for()
        assert _violations(clerk) == []
        clerk.get_by_test_id("board-read").click()
        clerk.wait_for_load_state()
        phones["Oya Tan"].get_by_test_id("live-floor-motion").get_by_text("kentsel dönüşüm").wait_for()
        clerk.get_by_test_id("board-vote-floor-motion").click()
        clerk.wait_for_load_state()
        clerk.goto(f"{live_server}/izmir/remote/m/{meeting_id}")
        vote_from_phones()
        clerk.goto(f"{live_server}/izmir/remote/m/{meeting_id}/board")
        hall_counts_and_close(clerk, 3, testid="board-hall-counts")
        assert "Oylama kapandı" in clerk.locator("body").inner_text()
        clerk.goto(f"{live_server}/izmir/remote/m/{meeting_id}")  # back to voting as a member

        # Another floor motion, from Oya's phone: the desk refuses it with a reason.
        oya = phones["Oya Tan"]
        oya.get_by_label("Tür").select_option(label="Usul hakkında")
        oya.get_by_label("Divana yazılı önergeniz").fill("Oturum yarına ertelensin.")
        oya.get_by_test_id("hand-in-floor-motion").click()
        oya.locator(".floor-motion").get_by_text("yarına ertelensin").wait_for()
        desk.goto(desk_url)
        refusal = desk.locator("[data-testid=floor-motion]").last
        refusal.get_by_label("Divanın oylamaya sunmama gerekçesi").fill("Gündem henüz bitmedi.")
        refusal.get_by_test_id("refuse-floor-motion").click()
        desk.wait_for_load_state()

        # The agenda adopted; the first item decided.
        desk.get_by_test_id("agenda-vote").click()
        desk.wait_for_load_state()
        vote_from_phones()
        hall_counts_and_close(desk, 3)
        desk.get_by_test_id("agenda-adopted").wait_for()
        item = desk.locator("article.item").filter(has_text="Bisiklet yolu")
        item.get_by_label("Oylama türü").select_option(label="Açık")
        item.get_by_role("button", name="Oylamayı aç").click()
        desk.wait_for_load_state()
        vote_from_phones()
        hall_counts_and_close(desk, 2, 1)
        desk.get_by_role("button", name="Toplantıyı kapat").click()
        desk.wait_for_load_state()

        # The minutes drawn up; every member of the board approves them from a phone with their badge's code.
        desk.get_by_test_id("draw-up").click()
        desk.wait_for_load_state()
        fingerprint = desk.get_by_test_id("fingerprint").first.inner_text()
        assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", fingerprint)
        assert _violations(desk) == []
        approvers = {"Can Er": clerk}
        for name in ROOM:
            approvers[name] = _phone(browser, live_server, links[name], contexts)
        for number, (name, page) in enumerate(approvers.items(), start=1):
            page.goto(f"{live_server}/izmir/remote/m/{meeting_id}")
            section = page.get_by_test_id("approve-minutes")
            assert fingerprint in section.inner_text()
            if number == 1:
                assert _violations(page) == []
                section.get_by_label("Onay için yaka kartınızdaki kod").fill("YANLIS-KOD")
                section.get_by_test_id("approve").click()
                page.locator("#approve-said").get_by_text("yaka kartınızdaki kod değil").wait_for()
            section.get_by_label("Onay için yaka kartınızdaki kod").fill(codes[name])
            section.get_by_test_id("approve").click()
            page.locator("#approve-said").filter(has_text="onayladınız").wait_for()
        assert "kesinleşti" in approvers["Zeynep Ak"].locator("#approve-said").inner_text()

        desk.goto(desk_url)
        record = desk.get_by_test_id("record")
        assert "onaylandı ve kesinleşti" in record.inner_text() and "henüz onaylamadı" not in record.inner_text()
        archive = desk_context.request.get(f"{desk_url}/archive.zip")
        assert archive.status == 200

        # Anyone checks the archive, and a page's fingerprint, on the council's public page.
        visitor_context = browser.new_context(locale="tr-TR", viewport=PHONE, bypass_csp=True)
        contexts.append(visitor_context)
        visitor = visitor_context.new_page()
        visitor.goto(f"{live_server}/izmir/verify")
        visitor.get_by_label("Bir toplantı arşivi (ZIP)").set_input_files(
            {"name": "arsiv.zip", "mimeType": "application/zip", "buffer": archive.body()})
        visitor.get_by_test_id("check").click()
        visitor.get_by_test_id("intact").wait_for()
        assert "Olağan Genel Kurul" in visitor.get_by_test_id("verdict").inner_text()
        assert _violations(visitor) == []
        visitor.get_by_label("ya da tutanakta yazan parmak izi").fill(fingerprint)
        visitor.get_by_test_id("check").click()
        visitor.get_by_test_id("version-found").wait_for()
        assert "kesinleşti" in visitor.get_by_test_id("version-found").inner_text()
    finally:
        for context in contexts:
            context.close()

"""A hybrid meeting in real browsers: the desk checks three people in from their badges, five follow on their
phones (each its own browser) and count towards the quorum; the speakers' list runs with its timer; an open, a
roll-call and a secret vote are cast from the phones; the projector shows each result as it closes, pushed by
the live service; the minutes list who attended online and who spoke."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import select
from test_browser import browser, live_server  # noqa: F401
from test_hybrid_meeting import live_service  # noqa: F401

from support.clients import ballot_recorded

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOM = ["Ayşe Kaya", "Mehmet Demir", "Zeynep Ak"]
PHONES = ["Can Er", "Elif Su", "Oya Tan", "Deniz Ay", "Ali Şen"]
PHONE = {"width": 390, "height": 844}


def _board_meeting(app, world):
    from konsey.core import meetings, passes
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from support.world import sitting_now

    council = world.council("izmir", name="İzmir Kent Konseyi")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    ids = {name: world.member(council, name=name) for name in ROOM + PHONES}
    with app.app_context(), bound_council(council):
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        for member_id in ids.values():
            assign_seat(board, db.session.get(Member, member_id), SeatRole.PRINCIPAL, date(2026, 1, 1), None)
        when, called = sitting_now()
        meeting = meetings.schedule(board, meetings.MeetingKind.ORDINARY, "Karma kurul", when, "Meclis salonu",
                                    ["Bisiklet yolu", "Park", "Temsilci seçimi"], now=called)
        passes.issue(meeting)
        db.session.commit()
        with app.test_request_context():
            held = {p.member_id: p for p in db.session.scalars(select(passes.MeetingPass).where(
                passes.MeetingPass.meeting_id == meeting.id))}
            links = {name: passes.link_token(held[ids[name]]) for name in PHONES}
        codes = {name: held[ids[name]].code for name in ROOM}
        return meeting.id, codes, links


def _signed_in_desk(chromium, server: str, **context_options):
    """The secretary general signed in (Turkish): (the browser context, its page)."""
    context = chromium.new_context(locale="tr-TR", **context_options)
    desk = context.new_page()
    desk.goto(f"{server}/login")
    desk.get_by_label("E-posta").fill("gs@izmir.example.org")
    desk.get_by_label("Parola").fill("correct horse battery")
    desk.get_by_role("button", name="Giriş yap").click()
    desk.wait_for_url(f"{server}/izmir/")
    return context, desk


def _phones_joined(chromium, server: str, links: dict, contexts: list) -> dict:
    """Each person opens their personal link on a phone of their own and is in the meeting online."""
    phones = {}
    for name in PHONES:
        context = chromium.new_context(locale="tr-TR", viewport=PHONE, is_mobile=True, has_touch=True)
        contexts.append(context)
        phone = context.new_page()
        phone.goto(f"{server}/izmir/remote/{links[name]}")
        phone.locator('[data-testid="phone-presence"][data-state="online"]').wait_for()
        assert links[name] not in phone.url  # the key went into a cookie; the address names the meeting
        phones[name] = phone
    return phones


def test_a_hybrid_meeting_with_three_in_the_room_and_five_on_phones(live_server, browser, sqlite_app,  # noqa: F811
                                                                    live_service):  # noqa: F811
    from conftest import REDIS_URL, World

    meeting_id, codes, links = _board_meeting(sqlite_app, World(sqlite_app))
    sqlite_app.config.update(KONSEY_LIVE_REDIS_URL=REDIS_URL, KONSEY_LIVE_URL=live_service)
    contexts = []
    try:
        desk_context, desk = _signed_in_desk(browser, live_server)
        contexts.append(desk_context)
        desk_url = f"{live_server}/izmir/meetings/{meeting_id}"
        projector = desk_context.new_page()
        projector.goto(f"{desk_url}/projector")

        # The room: three badges, typed at the desk (as a scan would fill the field).
        desk.goto(desk_url)
        for name in ROOM:
            desk.get_by_label("Yaka kartı kodu").fill(codes[name].lower())
            desk.get_by_test_id("code-check-in").click()
            desk.wait_for_load_state()
            assert f"{name} girişi yapıldı" in desk.locator("body").inner_text()
        quorum = projector.get_by_test_id("live-quorum")
        quorum.get_by_text("3 / 8").wait_for()
        assert "yok" in quorum.inner_text()  # three of eight: no quorum yet

        # Five phones open their links: each joins online by itself.
        phones = _phones_joined(browser, live_server, links, contexts)
        quorum.get_by_text("8 / 8").wait_for()
        assert "var" in quorum.inner_text() and "5 çevrim içi" in quorum.inner_text()
        desk.reload()
        assert "var" in desk.get_by_test_id("quorum").inner_text()

        # The speakers' list: one asks from the phone, another on a point of order; the chair gives the floor.
        phones["Can Er"].get_by_test_id("floor-for").click()
        phones["Can Er"].get_by_text("Söz isteğimi geri al").wait_for()
        phones["Elif Su"].get_by_test_id("floor-point_of_order").click()
        phones["Elif Su"].get_by_text("Söz isteğimi geri al").wait_for()
        desk.get_by_test_id("queue").get_by_text("Elif Su", exact=True).wait_for()
        queue = desk.get_by_test_id("queue").inner_text()
        assert queue.index("Can Er") < queue.index("Elif Su")  # a point of order waits until the chair takes it
        projector.get_by_test_id("live-queue").get_by_text("Can Er").wait_for()
        desk.get_by_test_id("point-of-order").get_by_test_id("give-floor").click()  # the chair takes it
        projector.get_by_test_id("live-speaker").get_by_text("Elif Su").wait_for()
        timer = projector.get_by_test_id("live-timer")
        assert re.fullmatch(r"[12]:\d\d", timer.inner_text()), timer.inner_text()  # two minutes on a point of order
        phones["Oya Tan"].get_by_test_id("live-speaker").get_by_text("Elif Su").wait_for()
        desk.get_by_test_id("give-floor").first.click()  # Can Er next; Elif stops
        projector.get_by_test_id("live-speaker").get_by_text("Can Er").wait_for()
        assert re.fullmatch(r"[45]:\d\d", timer.inner_text()), timer.inner_text()
        desk.get_by_test_id("stop-speaker").click()
        projector.get_by_test_id("live-speaker").wait_for(state="hidden")

        def open_vote(kind_label: str, item: int) -> None:
            article = desk.locator("article.item").nth(item)
            article.get_by_label("Oylama türü").select_option(label=kind_label)
            article.get_by_role("button", name="Oylamayı aç").click()
            desk.wait_for_load_state()

        def vote_from_phones(choices: dict) -> None:
            for name, choice in choices.items():
                phone = phones[name]
                phone.get_by_test_id(f"vote-{choice}").click()
                ballot_recorded(phone)

        def close_and_see(outcome: str, counts: str | None) -> None:
            block = desk.locator("[data-testid=vote]").last
            if block.get_by_test_id("confirm-close").count():  # fewer voted than are present: the desk confirms
                block.get_by_test_id("confirm-close").check()
            block.get_by_role("button", name="Oylamayı kapat").click()
            desk.wait_for_load_state()
            projector.get_by_test_id("live-result").get_by_text(outcome).wait_for()
            if counts:
                assert counts in projector.get_by_test_id("live-counts").inner_text()
            phones["Ali Şen"].get_by_test_id("live-result").get_by_text(outcome).wait_for()

        # An open vote, from the phones only: five yes of eight present carry it (more than half present).
        open_vote("Açık", 0)
        vote_from_phones({name: "yes" for name in PHONES})
        assert phones["Ali Şen"].get_by_test_id("vote-yes").is_hidden()  # one ballot per seat
        close_and_see("Kabul edildi", "5 evet, 0 hayır")

        # A roll call: the phones answer themselves, the desk reads out the room's three.
        open_vote("Ad okunarak", 1)
        vote_from_phones({"Can Er": "no", "Elif Su": "no", "Oya Tan": "yes", "Deniz Ay": "no", "Ali Şen": "no"})
        desk.reload()
        roll = desk.locator("form.roll-call")
        for name in ROOM:
            roll.get_by_role("radiogroup", name=name).get_by_label("Hayır").check()
        roll.get_by_role("button", name="Oyları kaydet").click()
        desk.wait_for_load_state()
        close_and_see("Reddedildi", "1 evet, 7 hayır")

        # A secret vote: nothing shows until it closes.
        open_vote("Gizli", 2)
        vote_from_phones({"Can Er": "yes", "Elif Su": "no", "Oya Tan": "yes", "Deniz Ay": "no", "Ali Şen": "yes"})
        projector.get_by_text("5 kişi oy verdi").wait_for()
        assert "evet" not in projector.get_by_test_id("live-counts").inner_text()
        close_and_see("Reddedildi", "3 evet, 2 hayır")  # three of eight present: not a majority

        # The minutes: who attended online, who spoke on which item.
        from pypdf import PdfReader

        pdf = desk_context.request.get(f"{desk_url}/minutes.pdf").body()
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "bunlardan çevrim içi 5" in text
        for name in PHONES:
            assert re.search(rf"{name} \(çevrim içi\)", text), name
        speakers = text.split("Konuşmacılar:")[1].split("2. Park")[0]
        assert "Elif Su (Usul hakkında" in speakers and "Can Er (Lehte" in speakers
    finally:
        sqlite_app.config.update(KONSEY_LIVE_REDIS_URL=None, KONSEY_LIVE_URL=None)
        for context in contexts:
            context.close()


def _camera_file(path, code: str) -> None:
    """A video file for Chromium's fake camera (Y4M, one frame, looped): a badge's QR code held up to it."""
    import segno
    from PIL import Image

    picture = io.BytesIO()
    segno.make_qr(code, error="m").save(picture, kind="png", scale=8, border=4)
    picture.seek(0)
    frame = Image.new("RGB", (640, 480), "white")
    qr = Image.open(picture).convert("RGB")
    frame.paste(qr, ((640 - qr.width) // 2, (480 - qr.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (320, 240)
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\nFRAME\n")
        out.write(y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes())


def test_the_desk_checks_a_badge_in_with_the_camera(live_server, sqlite_app, tmp_path):  # noqa: F811
    """The camera of the desk's device reads a badge's QR code (Chromium's fake camera shows the badge)."""
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS

    from conftest import World, need_service

    need_service("Chromium", CHROMIUM is not None, "install Debian's chromium package; browser tests skipped")
    meeting_id, codes, _links = _board_meeting(sqlite_app, World(sqlite_app))
    video = tmp_path / "badge.y4m"
    _camera_file(video, codes["Zeynep Ak"])
    with sync_playwright() as playwright:
        camera = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            *CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])
        try:
            context = camera.new_context(locale="tr-TR", viewport=PHONE, permissions=["camera"])
            desk = context.new_page()
            desk.goto(f"{live_server}/login")
            desk.get_by_label("E-posta").fill("gs@izmir.example.org")
            desk.get_by_label("Parola").fill("correct horse battery")
            desk.get_by_role("button", name="Giriş yap").click()
            desk.wait_for_url(f"{live_server}/izmir/")
            desk.goto(f"{live_server}/izmir/meetings/{meeting_id}")
            desk.get_by_role("button", name="Yaka kartlarını kamerayla tara").click()
            desk.get_by_test_id("scan-said").get_by_text("Zeynep Ak girişi yapıldı").wait_for(timeout=20000)
            desk.get_by_role("button", name="Kamerayı durdur").click()
            desk.reload()
            assert "Asıl üyeler: 1 salonda" in desk.get_by_test_id("attendance-tally").inner_text()
        finally:
            camera.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_one_vote_in_the_hall_and_on_the_phones_and_a_secret_one_that_tells_only_its_turnout(
        live_server, browser, sqlite_app, width):  # noqa: F811
    """The desk at a phone's width and at a laptop's: the phones vote by name and the desk's tally moves with
    them; the tellers' counts of the room go in beside them; the vote closes while a phone is voting, and what
    the phone was told is what the result holds. A secret vote's minutes and export, fetched while it is open,
    give its turnout and nothing more; the desk passes axe-core throughout."""
    from pypdf import PdfReader
    from test_accessibility import _violations

    from conftest import ApiClient, World, take_export

    world = World(sqlite_app)
    meeting_id, codes, links = _board_meeting(sqlite_app, world)
    contexts = []
    try:
        desk_context, desk = _signed_in_desk(browser, live_server, viewport={"width": width, "height": 900},
                                             bypass_csp=True)  # axe is injected into the page
        contexts.append(desk_context)
        desk_url = f"{live_server}/izmir/meetings/{meeting_id}"
        desk.goto(desk_url)
        for name in ROOM:
            desk.get_by_label("Yaka kartı kodu").fill(codes[name])
            desk.get_by_test_id("code-check-in").click()
            desk.wait_for_load_state()
        phones = _phones_joined(browser, live_server, links, contexts)

        def open_vote(kind_label: str, item: int) -> None:
            desk.goto(desk_url)
            article = desk.locator("article.item").nth(item)
            article.get_by_label("Oylama türü").select_option(label=kind_label)
            article.get_by_role("button", name="Oylamayı aç").click()
            desk.wait_for_load_state()

        # One vote: three phones by name; the desk's tally moves with them, without a reload.
        open_vote("Açık", 0)
        block = desk.locator("[data-testid=vote]").last
        for name, choice in (("Can Er", "yes"), ("Elif Su", "no"), ("Oya Tan", "yes")):
            phones[name].get_by_test_id(f"vote-{choice}").click()
            ballot_recorded(phones[name])
        block.get_by_test_id("live-channels").get_by_text("Telefonlar 3").wait_for()
        assert "2 evet, 1 hayır" in block.get_by_test_id("counts").inner_text()
        # The tellers count the room (three seats, none voted by name): four is refused, three stand.
        counts = block.get_by_test_id("hall-counts")
        assert "3 sandalye" in counts.get_by_test_id("hall-capacity").inner_text()
        counts.get_by_label("Evet").fill("3")
        counts.get_by_label("Hayır").fill("1")
        counts.get_by_label("Çekimser").fill("0")
        counts.get_by_role("button").click()
        desk.wait_for_load_state()
        assert "salonda adıyla oy kullanmamış yalnızca 3 sandalye" in desk.locator("body").inner_text()
        block = desk.locator("[data-testid=vote]").last
        counts = block.get_by_test_id("hall-counts")
        counts.get_by_label("Evet").fill("2")
        counts.get_by_label("Hayır").fill("1")
        counts.get_by_role("button").click()
        desk.wait_for_load_state()
        block = desk.locator("[data-testid=vote]").last
        assert "4 evet, 2 hayır" in block.get_by_test_id("counts").inner_text()
        assert _violations(desk) == [], width
        # The close, while Deniz's phone is voting: whatever the order, what the phone was told holds.
        block.get_by_test_id("confirm-close").check()
        phones["Deniz Ay"].get_by_test_id("vote-yes").click()
        block.get_by_role("button", name="Oylamayı kapat").click()
        desk.wait_for_load_state()
        said = phones["Deniz Ay"].locator("#ballot-said")
        said.filter(has_text=re.compile(r"\S")).wait_for()
        recorded = "kaydedildi" in said.inner_text()
        closed = desk.locator("[data-testid=vote]").last
        expected = "5 evet, 2 hayır" if recorded else "4 evet, 2 hayır"
        assert expected in closed.get_by_test_id("counts").inner_text(), (said.inner_text(), expected)
        channels = closed.get_by_test_id("channels").inner_text()
        assert "Salon: 3 (2 evet, 1 hayır, 0 çekimser)" in channels
        # Eight present need five yes: Deniz's ballot, if it went in before the close, decided it.
        outcome = "Kabul edildi" if recorded else "Reddedildi"
        phones["Ali Şen"].get_by_test_id("live-result").get_by_text(outcome).wait_for()

        # A secret vote: while it is open, its minutes and the council's export give its turnout only.
        open_vote("Gizli", 1)
        for name, choice in (("Can Er", "yes"), ("Elif Su", "no"), ("Oya Tan", "yes")):
            phones[name].get_by_test_id(f"vote-{choice}").click()
            ballot_recorded(phones[name])
        block = desk.locator("[data-testid=vote]").last
        block.get_by_test_id("turnout").get_by_text("3 kişi oy verdi").wait_for()
        assert _violations(desk) == [], width
        pdf = desk_context.request.get(f"{desk_url}/minutes.pdf").body()
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
        assert "sürüyor: 3 kişi oy kullandı" in text
        secret_part = text.split("2. Park")[1].split("3. Temsilci")[0]
        assert "evet" not in secret_part.lower() and "kabul" not in secret_part.lower()
        with sqlite_app.app_context():
            from konsey.tenants.db import db
            from konsey.tenants.models import Council

            council = db.session.scalar(select(Council.id).where(Council.slug == "izmir"))
        admin = ApiClient(sqlite_app.test_client(), world.token(
            world.user("ihrac@izmir.example.org", roles={council: "administrator"}), council))
        tables = take_export(admin, "/api/v1/councils/izmir")["tables"]
        secret = next(v for v in tables["votes"] if v["kind"] == "secret")
        assert secret["turnout"] == 3 and secret["yes"] == 0
        assert not [b for b in tables["ballots"] if b["vote_id"] == secret["id"]]
    finally:
        for context in contexts:
            context.close()

"""In Chromium at a phone's width (#31, done when): a member with only a mobile number gets the meeting link by SMS
(from the loopback server speaking Netgsm's API), and under by-laws that ask for it types the code sent by SMS before
voting from the phone; the phone then adds a passkey (Chromium's virtual authenticator) and, its cookies gone, confirms
with the passkey alone."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from test_accessibility import SMALL_TARGETS, _violations
from test_browser import browser, live_server  # noqa: F401 - the fixtures

from support.clients import ApiClient, relay_all
from support.clock import council_today
from support.sms_provider import SmsProvider

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

BASE = "/api/v1/councils/izmir"
PHONE = {"width": 390, "height": 844}



def _readable_on_a_phone(page) -> None:
    """WCAG 2.1 AA by axe-core, fingers' targets, and nothing wider than the phone."""
    assert _violations(page) == []
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_member_confirms_with_a_code_by_sms_then_with_a_passkey_before_voting(live_server, browser,  # noqa: F811
                                                                                 sqlite_app):
    from conftest import World

    provider = SmsProvider()
    before = {key: sqlite_app.config.get(key) for key in ("KONSEY_NETGSM_URL", "KONSEY_ILETIMERKEZI_URL")}
    sqlite_app.config.update(KONSEY_NETGSM_URL=provider.url, KONSEY_ILETIMERKEZI_URL=provider.url)
    try:
        world = World(sqlite_app)
        council = world.council("izmir", name="İzmir Kent Konseyi")
        admin = ApiClient(sqlite_app.test_client(), world.token(
            world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
        assert admin.post(f"{BASE}/bylaws", json={"effective_from": council_today().isoformat(), "parameters": {
            "strong_sign_in_for": ["executive_board"]}}).status_code in (200, 201)
        assert admin.put(f"{BASE}/sms", json={"provider": "netgsm", "sender": "KENTKONSEYI",
                                              "username": "8503001122", "password": "dogru-parola"}).status_code == 200
        board = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "executive_board")["id"]
        ayse = str(world.member(council, name="Ayşe Kaya", phone="0532 111 22 33"))  # no e-mail address
        zeynep = str(world.member(council, name="Zeynep Ak", email="zeynep@example.org"))
        for member in (ayse, zeynep):
            admin.post(f"{BASE}/bodies/{board}/seats", json={"member_id": member, "role": "principal",
                                                             "starts_on": "2026-01-01"})
        meeting = admin.post(f"{BASE}/meetings", json={
            "body_id": board, "title": "Güçlü giriş", "agenda": ["Bütçe"],
            "scheduled_at": (datetime.now(UTC) + timedelta(days=3)).isoformat()}).json
        admin.start_meeting(meeting["id"])
        url = f"{BASE}/meetings/{meeting['id']}"
        assert admin.post(f"{url}/passes/links").status_code in (200, 202)
        relay_all(sqlite_app)
        (texted,) = provider.received
        assert texted["number"] == "905321112233"
        link = re.search(r"https?://\S+/izmir/remote/\S+", texted["text"]).group(0)
        # A passkey belongs to a site's name, never to an address: the same server, reached as localhost.
        site = live_server.replace("127.0.0.1", "localhost")
        link = site + link[link.index("/izmir/remote/"):]

        context = browser.new_context(locale="tr-TR", viewport=PHONE, is_mobile=True, has_touch=True)
        phone = context.new_page()
        authenticator = context.new_cdp_session(phone)
        authenticator.send("WebAuthn.enable")
        authenticator.send("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
            "isUserVerified": True, "automaticPresenceSimulation": True}})
        phone.goto(link)
        phone.get_by_test_id("phone-confirm").wait_for()
        assert "33" in phone.get_by_test_id("send-code").inner_text()
        phone.get_by_test_id("send-code").click()
        phone.get_by_test_id("code-sent").wait_for()
        relay_all(sqlite_app)
        code = re.search(r"\b(\d{6})\b", provider.received[-1]["text"]).group(1)
        phone.get_by_label("SMS ile gelen kod").fill(f"{(int(code) + 1) % 10 ** 6:06d}")
        phone.get_by_test_id("confirm-code").click()
        phone.get_by_text("Bu kod doğru değil").wait_for()  # the page again, the field named
        _readable_on_a_phone(phone)
        phone.get_by_label("SMS ile gelen kod").fill(code)
        phone.get_by_test_id("confirm-code").click()
        phone.locator('[data-testid="phone-presence"][data-state="online"]').wait_for()  # in, online

        admin.post(f"{url}/attendance", json={"member_id": zeynep})
        vote = admin.post(f"{url}/votes", json={"agenda_item_id": admin.get(url).json["agenda"][0]["id"],
                                                "kind": "open"})
        assert vote.status_code == 201, vote.json
        phone.reload()
        phone.get_by_test_id("vote-yes").click()
        phone.get_by_test_id("vote-yes").wait_for(state="hidden")
        live = admin.get(f"{url}/live").json["vote"]
        assert (live["turnout"], live["yes"]) == (1, 1)

        _readable_on_a_phone(phone)
        # Next time without a code: a passkey on this phone.
        phone.get_by_test_id("add-member-passkey").click()
        phone.get_by_text("Passkey eklendi").wait_for()
        assert phone.get_by_test_id("add-member-passkey").count() == 0
        context.clear_cookies()
        sent_before = len(provider.received)
        phone.goto(link)
        phone.get_by_test_id("confirm-passkey").click()
        phone.locator('[data-testid="phone-presence"][data-state="online"]').wait_for()
        assert len(provider.received) == sent_before  # no SMS this time
        assert phone.get_by_test_id("vote-yes").is_hidden()  # the seat has voted
        context.close()
        with sqlite_app.app_context():
            from sqlalchemy import select

            from konsey.core.member_passkeys import MemberPasskey
            from konsey.tenants.db import db
            from konsey.tenants.scoping import bound_council

            with bound_council(council):
                keys = db.session.scalars(select(MemberPasskey)).all()
            assert [k.member_id for k in keys] == [uuid.UUID(ayse)] and keys[0].last_used_at is not None
        # A phone lost: the secretariat sees the member's passkeys and removes them.
        from conftest import login

        desk = sqlite_app.test_client()
        login(desk, "gs@izmir.example.org")
        assert 'data-testid="member-passkeys"' in desk.get(f"/izmir/members/{ayse}").get_data(as_text=True)
        assert desk.post(f"/izmir/members/{ayse}/passkeys/remove").status_code == 302
        assert 'data-testid="member-passkeys"' not in desk.get(f"/izmir/members/{ayse}").get_data(as_text=True)
    finally:
        provider.stop()
        sqlite_app.config.update(before)

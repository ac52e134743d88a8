"""Strong sign-in on the phone page (#31): where the by-laws ask it of a body's meetings (``strong_sign_in_for``;
Associations Regulation art. 15/A), a personal link opens nothing until its holder confirms it is them, with a code
sent by SMS to the number on file (through the council's own provider, here a loopback server speaking its API) or a
passkey they added; the link alone, passed on, confirms no one."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from support.clock import council_today
from support.sms_provider import SmsProvider

BASE = "/api/v1/councils/izmir"
FETCH = {"X-Konsey-Fetch": "1"}


def test_the_rules_of_a_code_sent_by_sms():
    from konsey.core.rules import sign_in as rules

    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    assert rules.may_send_again(None, now) and rules.seconds_to_wait(None, now) == 0
    assert not rules.may_send_again(now - timedelta(seconds=59), now)
    assert rules.seconds_to_wait(now - timedelta(seconds=59), now) == 1
    assert rules.seconds_to_wait(now - timedelta(seconds=10), now) == 50
    assert rules.may_send_again(now - timedelta(seconds=60), now)
    assert rules.code_usable(now + timedelta(seconds=1), 4, now)
    assert not rules.code_usable(now + timedelta(seconds=1), 5, now)  # five wrong tries spend it
    assert not rules.code_usable(now, 0, now) and not rules.code_usable(None, 0, now)
    bylaws = {"strong_sign_in_for": ["general_assembly"]}
    assert rules.strong_sign_in_required("general_assembly", bylaws)
    assert not rules.strong_sign_in_required("executive_board", bylaws)


def test_a_code_is_spent_by_its_use_and_by_five_wrong_tries():
    from konsey.core.sign_in_codes import HoldsSignInCode

    class Holder(HoldsSignInCode):  # the columns' behaviour, without a table
        code_digest = code_sent_at = code_expires_at = None
        code_tries = 0

    now = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    holder = Holder()
    code = holder.new_code(now)
    assert re.fullmatch(r"\d{6}", code) and holder.code_digest != code  # kept as its digest
    assert holder.new_code(now + timedelta(seconds=30)) is None  # one a minute
    assert not holder.use_code(code, now + timedelta(minutes=5))  # expired
    assert holder.use_code(code[:3] + " " + code[3:], now + timedelta(minutes=4))  # spaces forgiven
    assert not holder.use_code(code, now + timedelta(minutes=4))  # once
    code = holder.new_code(now + timedelta(minutes=2))
    wrong = f"{(int(code) + 1) % 10 ** 6:06d}"
    for _ in range(5):
        assert not holder.use_code(wrong, now + timedelta(minutes=2))
    assert not holder.use_code(code, now + timedelta(minutes=2))  # the sixth try, right or not


@pytest.fixture
def provider(app):
    server = SmsProvider()
    app.config.update(KONSEY_NETGSM_URL=server.url, KONSEY_ILETIMERKEZI_URL=server.url)
    yield server
    server.stop()


@pytest.fixture
def board(world, api, app, provider):
    """İzmir's executive board, whose meetings the by-laws ask phones to confirm their holder: Ayşe with only a mobile
    number, Zeynep with only an e-mail address; a meeting being held now, its passes issued."""
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    adopted = admin.post(f"{BASE}/bylaws", json={"effective_from": council_today().isoformat(),
                                                 "parameters": {"strong_sign_in_for": ["executive_board"]}})
    assert adopted.status_code in (200, 201), adopted.json
    saved = admin.put(f"{BASE}/sms", json={"provider": "netgsm", "sender": "KENTKONSEYI", "username": "8503001122",
                                           "password": "dogru-parola"})
    assert saved.status_code == 200, saved.json
    body = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "executive_board")["id"]
    people = {"Ayşe Kaya": str(world.member(council, name="Ayşe Kaya", phone="0532 111 22 33")),
              "Zeynep Ak": str(world.member(council, name="Zeynep Ak", email="zeynep@example.org"))}
    for member in people.values():
        admin.post(f"{BASE}/bodies/{body}/seats", json={"member_id": member, "role": "principal",
                                                         "starts_on": "2026-01-01"})
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": body, "title": "Güçlü giriş",
                                                   "scheduled_at": when, "agenda": ["Bütçe"]}).json
    admin.start_meeting(meeting["id"])
    url = f"{BASE}/meetings/{meeting['id']}"
    admin.post(f"{url}/passes")
    return {"admin": admin, "council": council, "people": people, "meeting": meeting, "url": url,
            "tokens": _tokens(app, council, meeting["id"]),
            "item": admin.get(url).json["agenda"][0]["id"]}


def _tokens(app, council, meeting_id) -> dict:
    from konsey.core.passes import MeetingPass, link_token
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.test_request_context(), bound_council(council):
        return {str(p.member_id): link_token(p) for p in db.session.scalars(
            select(MeetingPass).where(MeetingPass.meeting_id == uuid.UUID(meeting_id)))}


def _relay(app):
    from konsey.worker.relay import relay

    with app.app_context():
        while relay():
            pass


def _open(app, token):
    phone = app.test_client()
    phone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    opened = phone.get(f"/izmir/remote/{token}")
    assert opened.status_code == 303
    return phone, opened.headers["Location"]


def _code(provider) -> str:
    return re.search(r"\b(\d{6})\b", provider.received[-1]["text"]).group(1)


def test_the_phone_asks_for_a_code_by_sms_before_joining_or_voting(app, board, provider):
    from konsey.core.audit import AuditEntry
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin, url = board["admin"], board["url"]
    token = board["tokens"][board["people"]["Ayşe Kaya"]]
    phone, page = _open(app, token)
    asked = phone.get(page)
    assert asked.status_code == 303 and asked.headers["Location"] == f"{page}/confirm"
    refused = phone.post(f"{page}/join", headers=FETCH)
    assert refused.status_code == 403 and "Confirm it is you" in refused.json["message"]

    confirm = phone.get(f"{page}/confirm").get_data(as_text=True)
    assert "ending in 33" in confirm and "0532" not in confirm  # the number's end only
    sent = phone.post(f"{page}/confirm/code")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("?sent=33")
    again = phone.post(f"{page}/confirm/code", follow_redirects=True)
    assert "Wait" in again.get_data(as_text=True)  # one a minute: the second press sends nothing
    _relay(app)
    (message,) = provider.received
    assert message["number"] == "905321112233" and "Güçlü giriş" in message["text"]
    code = _code(provider)

    wrong = phone.post(f"{page}/confirm", data={"code": f"{(int(code) + 1) % 10 ** 6:06d}"})
    assert wrong.status_code == 422 and "not right" in wrong.get_data(as_text=True)
    right = phone.post(f"{page}/confirm", data={"code": code})
    assert right.status_code == 303 and right.headers["Location"] == page
    assert phone.get(page).status_code == 200
    assert phone.post(f"{page}/join", headers=FETCH).status_code == 200
    admin.post(f"{url}/attendance", json={"member_id": board["people"]["Zeynep Ak"]})
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": board["item"], "kind": "open"}).json
    # The link passed on: it confirms no one.
    forwarded, forwarded_page = _open(app, token)
    assert forwarded.get(forwarded_page).status_code == 303
    assert forwarded.post(f"{forwarded_page}/votes/{vote['id']}", data={"choice": "no"},
                          headers=FETCH).status_code == 403
    assert forwarded.post(f"{forwarded_page}/here", headers=FETCH).status_code == 403
    assert phone.post(f"{page}/votes/{vote['id']}", data={"choice": "yes"}, headers=FETCH).status_code == 200
    live = admin.get(f"{url}/live").json["vote"]
    assert (live["turnout"], live["yes"], live["no"]) == (1, 1, 0)
    assert phone.post(f"{page}/confirm", data={"code": code}).status_code == 422  # a code is good once
    # The phone that confirmed keeps it when opening the link again.
    assert phone.get(f"/izmir/remote/{token}").status_code == 303
    assert phone.get(page).status_code == 200

    with app.app_context(), bound_council(board["council"]):
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.in_(
            ["meeting.confirmation_code_sent", "meeting.confirmation_refused", "meeting.holder_confirmed"]))).all()
        details = db.session.scalars(select(AuditEntry.details).where(
            AuditEntry.action == "meeting.confirmation_code_sent")).all()
    assert sorted(set(actions)) == ["meeting.confirmation_code_sent", "meeting.confirmation_refused",
                                    "meeting.holder_confirmed"]
    assert code not in str(details)


def test_five_wrong_codes_spend_the_code(app, board, provider):
    token = board["tokens"][board["people"]["Ayşe Kaya"]]
    phone, page = _open(app, token)
    phone.post(f"{page}/confirm/code")
    _relay(app)
    code = _code(provider)
    wrong = f"{(int(code) + 7) % 10 ** 6:06d}"
    for _ in range(5):
        assert phone.post(f"{page}/confirm", data={"code": wrong}).status_code == 422
    assert phone.post(f"{page}/confirm", data={"code": code}).status_code == 422
    assert phone.get(page).status_code == 303  # still not confirmed


def test_with_no_mobile_on_file_the_page_sends_the_member_to_the_desk(app, board, provider):
    token = board["tokens"][board["people"]["Zeynep Ak"]]
    phone, page = _open(app, token)
    shown = phone.get(f"{page}/confirm").get_data(as_text=True)
    assert "show your badge at the desk" in shown and 'data-testid="send-code"' not in shown
    refused = phone.post(f"{page}/confirm/code", follow_redirects=True)
    assert "No mobile number of yours is on file" in refused.get_data(as_text=True)
    _relay(app)
    assert provider.received == []


def test_a_confirmed_key_opens_nothing_in_another_council(app, world, board, provider):
    from konsey.core.passes import MeetingPass, confirmed_token
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    world.council("beta", province=16)
    with app.test_request_context(), bound_council(board["council"]):
        meeting_pass = db.session.scalar(select(MeetingPass).where(
            MeetingPass.member_id == uuid.UUID(board["people"]["Ayşe Kaya"])))
        confirmed = confirmed_token(meeting_pass)
    meeting_id = board["meeting"]["id"]
    thief = app.test_client()
    thief.set_cookie(f"konsey_pass_{uuid.UUID(meeting_id).hex}", confirmed, path=f"/beta/remote/m/{meeting_id}")
    assert thief.get(f"/beta/remote/m/{meeting_id}").status_code == 404
    assert thief.get(f"/beta/remote/{confirmed}").status_code == 404
    assert thief.post(f"/beta/remote/m/{meeting_id}/confirm/code").status_code == 404

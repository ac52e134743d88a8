"""Strong sign-in on the phone page (#31): where the by-laws ask it of a body's meetings (``strong_sign_in_for``;
Associations Regulation art. 15/A), a personal link opens nothing until its holder confirms it is them, with a code
sent by SMS to the number on file (through the council's own sms_provider, here a loopback server speaking its API) or a
passkey they added; the link alone, passed on, confirms no one."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from support.clients import link_tokens, relay_all
from support.clock import council_today

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
def board(world, api, app, sms_provider):
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
            "tokens": link_tokens(app, council, meeting["id"]),
            "item": admin.get(url).json["agenda"][0]["id"]}




def _open(app, token):
    phone = app.test_client()
    phone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    opened = phone.get(f"/izmir/remote/{token}")
    assert opened.status_code == 303
    return phone, opened.headers["Location"]


def _code(sms_provider) -> str:
    return re.search(r"\b(\d{6})\b", sms_provider.received[-1]["text"]).group(1)


def test_the_phone_asks_for_a_code_by_sms_before_joining_or_voting(app, board, sms_provider):
    from konsey.core.audit import AuditEntry
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin, url = board["admin"], board["url"]
    token = board["tokens"][board["people"]["Ayşe Kaya"]]
    phone, page = _open(app, token)
    asked = phone.get(page)
    assert asked.status_code == 303 and asked.headers["Location"] == f"{page}/confirm"
    refused = phone.post(f"{page}/join", headers=FETCH)
    assert refused.status_code == 403 and refused.json["message"]  # said in the council's language

    confirm = phone.get(f"{page}/confirm").get_data(as_text=True)
    assert 'data-testid="send-code"' in confirm and " 33" in confirm and "0532" not in confirm  # its end only
    sent = phone.post(f"{page}/confirm/code")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("?sent=33")
    again = phone.post(f"{page}/confirm/code", follow_redirects=True)
    assert 'class="flash error"' in again.get_data(as_text=True)  # one a minute: the second press sends nothing
    relay_all(app)
    (message,) = sms_provider.received
    assert message["number"] == "905321112233" and "Güçlü giriş" in message["text"]
    code = _code(sms_provider)

    wrong = phone.post(f"{page}/confirm", data={"code": f"{(int(code) + 1) % 10 ** 6:06d}"})
    assert wrong.status_code == 422 and 'id="code-err"' in wrong.get_data(as_text=True)
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

    from konsey.core.sms import SmsMessage

    with app.app_context(), bound_council(board["council"]):
        entries = db.session.execute(select(AuditEntry.action, AuditEntry.details)).all()
        texts = db.session.scalars(select(SmsMessage.text_sealed)).all()
    assert {"meeting.confirmation_code_sent", "meeting.confirmation_refused", "meeting.holder_confirmed"} <= {
        action for action, _details in entries}
    assert {details.get("member") for action, details in entries if action == "meeting.holder_confirmed"} == {
        board["people"]["Ayşe Kaya"]}  # who, by id
    assert code not in str(entries) and texts == [None]  # the code is in no record, the text gone once sent


def test_five_wrong_codes_spend_the_code(app, board, sms_provider):
    token = board["tokens"][board["people"]["Ayşe Kaya"]]
    phone, page = _open(app, token)
    phone.post(f"{page}/confirm/code")
    relay_all(app)
    code = _code(sms_provider)
    wrong = f"{(int(code) + 7) % 10 ** 6:06d}"
    for _ in range(5):
        assert phone.post(f"{page}/confirm", data={"code": wrong}).status_code == 422
    assert phone.post(f"{page}/confirm", data={"code": code}).status_code == 422
    assert phone.get(page).status_code == 303  # still not confirmed


def test_with_no_mobile_on_file_the_page_sends_the_member_to_the_desk(app, board, sms_provider):
    token = board["tokens"][board["people"]["Zeynep Ak"]]
    phone, page = _open(app, token)
    shown = phone.get(f"{page}/confirm").get_data(as_text=True)
    assert 'class="notice"' in shown and 'data-testid="send-code"' not in shown
    refused = phone.post(f"{page}/confirm/code", follow_redirects=True)
    assert 'class="flash error"' in refused.get_data(as_text=True)
    relay_all(app)
    assert sms_provider.received == []


def test_a_confirmed_key_opens_nothing_in_another_council(app, world, board, sms_provider):
    from konsey.core.passes import MeetingPass, confirmed_token
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    world.council("beta", province=16)
    with app.test_request_context(), bound_council(board["council"]):
        meeting_pass = db.session.scalar(select(MeetingPass).where(
            MeetingPass.member_id == uuid.UUID(board["people"]["Ayşe Kaya"])))
        confirmed = confirmed_token(meeting_pass)
    meeting_id = board["meeting"]["id"]
    cookie = f"konsey_confirmed_{uuid.UUID(meeting_id).hex}"
    owner = app.test_client()  # the key where it belongs: the meeting's page opens
    owner.set_cookie(cookie, confirmed, path="/izmir/remote/")
    assert owner.get(f"/izmir/remote/m/{meeting_id}").status_code == 200
    thief = app.test_client()
    thief.set_cookie(cookie, confirmed, path="/beta/remote/")
    assert thief.get(f"/beta/remote/m/{meeting_id}").status_code == 404
    assert thief.get(f"/beta/remote/{confirmed}").status_code == 404
    assert thief.post(f"/beta/remote/m/{meeting_id}/confirm/code").status_code == 404
    assert thief.post(f"/beta/remote/m/{meeting_id}/passkeys/options").status_code == 404


def test_only_a_confirmed_phone_adds_a_passkey_whatever_the_meeting(app, world, api, sms_provider):
    """A passkey outlives the meeting: the link of a meeting whose by-laws ask for nothing must not add one that
    would later confirm its holder where they do."""
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    member = world.member(council, name="Ayşe Kaya", phone="0532 111 22 33")
    world.body_with_seat(council, member)
    meeting_id = world.meeting_with_vote(council, member)["meeting_a"]  # a working group's: no code asked
    admin.post(f"{BASE}/meetings/{meeting_id}/passes")
    phone, page = _open(app, link_tokens(app, council, str(meeting_id))[str(member)])
    assert phone.get(page).status_code == 200  # nothing asked here
    refused = phone.post(f"{page}/passkeys/options", headers=FETCH)
    assert refused.status_code == 403
    assert phone.post(f"{page}/passkeys", json={"credential": {}, "name": "Telefonum"}, headers=FETCH
                      ).status_code == 403
    assert phone.post(f"{page}/confirm/code").status_code == 303  # and no code is sent for it
    relay_all(app)
    assert sms_provider.received == []


def test_a_ballot_sent_again_with_its_key_is_recorded_once(app, world, api, sms_provider):
    """#32's phone side: a ballot whose answer was lost (a 503 while the database fails over) is sent again with the
    same key and answered as recorded; the same seat with another key is still refused."""
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    board = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "executive_board")["id"]
    people = [str(world.member(council, name=name)) for name in ("Ayşe Kaya", "Zeynep Ak")]
    for member in people:
        admin.post(f"{BASE}/bodies/{board}/seats", json={"member_id": member, "role": "principal",
                                                         "starts_on": "2026-01-01"})
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": board, "title": "Anahtarlı oy", "agenda": ["Bütçe"],
                                                   "scheduled_at": (datetime.now(UTC) + timedelta(days=3)).isoformat()}
                         ).json
    admin.start_meeting(meeting["id"])
    url = f"{BASE}/meetings/{meeting['id']}"
    admin.post(f"{url}/passes")
    phone, page = _open(app, link_tokens(app, council, meeting["id"])[people[0]])
    phone.post(f"{page}/join", headers=FETCH)
    admin.post(f"{url}/attendance", json={"member_id": people[1]})
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": admin.get(url).json["agenda"][0]["id"],
                                            "kind": "secret"}).json
    key = str(uuid.uuid4())
    first = phone.post(f"{page}/votes/{vote['id']}", data={"choice": "yes", "key": key}, headers=FETCH)
    assert first.status_code == 200
    again = phone.post(f"{page}/votes/{vote['id']}", data={"choice": "yes", "key": key, "again": "1"}, headers=FETCH)
    assert again.status_code == 200  # the same ballot: its answer had been lost
    other = phone.post(f"{page}/votes/{vote['id']}", data={"choice": "no", "key": str(uuid.uuid4()), "again": "1"},
                       headers=FETCH)
    assert other.status_code == 409  # another ballot of the seat
    assert phone.post(f"{page}/votes/{vote['id']}", data={"choice": "yes", "key": "x"}, headers=FETCH).status_code == 422
    closed = admin.post(f"{url}/votes/{vote['id']}/close", json={"confirm": True})
    assert closed.status_code == 200, closed.json
    assert (closed.json["yes"], closed.json["no"]) == (1, 0)

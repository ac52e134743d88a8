"""Security hardening: each attack that once worked against a running server, now refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from conftest import login
from support.clock import years_ago

BASE = "/api/v1/councils/izmir"


@pytest.fixture
def izmir(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    member = api(world.token(world.user("uye@izmir.example.org", roles={council: "member"}), council))
    return {"id": council, "admin": admin, "member": member}


# --- secret ballots ------------------------------------------------------------------------------------------


def test_a_secret_votes_counts_are_unknown_until_it_closes(world, izmir):
    admin, member = izmir["admin"], izmir["member"]
    people = [world.member(izmir["id"], name=f"Genel Kurul Üyesi {i}") for i in range(3)]
    bodies = {b["kind"]: b["id"] for b in admin.get(f"{BASE}/bodies").json}
    when = (datetime.now(UTC) + timedelta(days=20)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": bodies["general_assembly"], "title": "Seçim",
                                                   "scheduled_at": when, "agenda": ["Gizli oylama"]}).json
    world.start_meeting(meeting["id"])
    url = f"{BASE}/meetings/{meeting['id']}"
    for person in people:
        admin.post(f"{url}/attendance", json={"member_id": str(person)})
    item = admin.get(url).json["agenda"][0]["id"]
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": item, "kind": "secret"}).json
    assert admin.post(f"{url}/votes/{vote['id']}/ballots",
                      json={"member_id": str(people[0]), "choice": "yes"}).status_code == 204
    seen = member.get(f"{url}/votes").json[0]
    assert (seen["yes"], seen["no"], seen["abstain"]) == (None, None, None)  # nothing to link to the person
    assert seen["turnout"] == 1
    for person, choice in ((people[1], "no"), (people[2], "yes")):
        admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": str(person), "choice": choice})
    assert member.get(f"{url}/votes").json[0]["yes"] is None
    closed = admin.post(f"{url}/votes/{vote['id']}/close", json={}).json
    assert (closed["yes"], closed["no"], closed["abstain"], closed["turnout"]) == (2, 1, 0, 3)
    assert member.get(f"{url}/votes").json[0]["yes"] == 2


# --- operators and personal data ---------------------------------------------------------------------------------


def test_an_operator_cannot_take_a_councils_export_and_no_export_carries_a_secret(world, izmir, api):
    operator = api(world.token(world.user("ops@example.org", platform_role="operator"), None))
    assert operator.post(f"{BASE}/exports").status_code == 403
    route = izmir["admin"].put(f"{BASE}/delivery", json={"channel": "webhook", "address": "https://x.example.org/h"})
    secret = route.json["secret"]
    izmir["admin"].get(f"{BASE}/signing-key")  # the signing key exists now
    import json

    from conftest import take_export

    document = take_export(izmir["admin"], BASE)
    job = izmir["admin"].get(f"{BASE}/exports").status_code  # no listing: the job's own address only
    assert job == 405
    assert operator.get(f"{BASE}/exports/{document['council']['id']}").status_code == 403
    text = json.dumps(document, ensure_ascii=False)
    assert secret not in text and "private_key" not in text and '"secret"' not in text


# --- minors and what an applicant may say ---------------------------------------------------------------------------


def _apply(api, applicant: dict):
    from konsey.core.applications import KVKK_NOTICE_VERSION

    reachable = {"email": "basvuran@example.org", "birth_date": "1988-04-12", **applicant}
    return api().post(f"{BASE}/applications", json={"applicant": reachable, "notice_version": KVKK_NOTICE_VERSION,
                                                    "consents": ["membership"]})


def test_a_child_cannot_apply_for_ordinary_membership(izmir, api):
    nine = years_ago(9)
    response = _apply(api, {"category": "individual", "name": "Küçük Çocuk", "birth_date": nine.isoformat(),
                            "email": "cocuk@example.org"})
    assert response.status_code == 422
    assert "birth_date" in response.json["errors"]["applicant"]
    assert izmir["admin"].get(f"{BASE}/applications").json == []
    adult = years_ago(30)
    assert _apply(api, {"category": "individual", "name": "Yetişkin Kişi", "birth_date": adult.isoformat(),
                        "email": "yetiskin@example.org"}).status_code == 201


def test_an_applicant_cannot_choose_a_status_or_a_joining_date(izmir, api):
    adult = years_ago(30).isoformat()
    for extra in ({"status": "active"}, {"joined_on": "2001-01-01"}):
        response = _apply(api, {"category": "individual", "name": "Ayşe Kaya", "birth_date": adult, **extra})
        assert response.status_code == 422
        assert set(extra) <= set(response.json["errors"]["applicant"])


# --- redirects -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/",
                                    "/%0a/evil.example", "/%0d%0a/evil.example"])
def test_no_redirect_leaves_the_site(sqlite_app, world, target):
    world.user("gs@izmir.example.org")
    client = sqlite_app.test_client()
    for url in (f"/lang/en?next={target}",):
        location = client.get(url).headers["Location"]
        assert "evil.example" not in location, (url, location)
    signed_in = client.post(f"/login?next={target}", data={"email": "gs@izmir.example.org",
                                                          "password": "correct horse battery"})
    assert signed_in.status_code == 302 and "evil.example" not in signed_in.headers["Location"]
    assert client.get("/lang/en?next=/izmir/public").headers["Location"].endswith("/izmir/public")


# --- the audit chain keeps no free text ------------------------------------------------------------------------------


def test_a_seat_ends_with_its_reason_outside_the_audit_chain(app, world, izmir):
    from sqlalchemy import select

    from konsey.core.audit import AuditEntry
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    member = world.member(izmir["id"], name="Uğur Kaya")
    refs = world.body_with_seat(izmir["id"], member)
    ended = izmir["admin"].post(f"{BASE}/bodies/{refs['body_a']}/seats/{refs['seat_a']}/end",
                                json={"on": date.today().isoformat(), "reason": "Uğur Kaya sağlık nedeniyle istifa etti"})
    assert ended.status_code == 200
    with app.app_context(), bound_council(izmir["id"]):
        chain = json.dumps([e.details for e in db.session.scalars(select(AuditEntry))], ensure_ascii=False)
    assert "Uğur" not in chain and "istifa" not in chain


# --- status only through the history ----------------------------------------------------------------------------------


def test_a_members_status_changes_only_through_the_history(world, izmir):
    member = world.member(izmir["id"], name="Can Demir")
    patched = izmir["admin"].patch(f"{BASE}/members/{member}", json={"status": "suspended"})
    assert patched.status_code == 422 and "status" in patched.json["errors"]
    assert izmir["admin"].get(f"{BASE}/members/{member}").json["status"] == "active"


# --- input that is not text, or too deep --------------------------------------------------------------------------------


def test_json_nested_thousands_deep_is_a_400(izmir):
    for depth in (5_000, 100_000):
        body = "[" * depth + "]" * depth
        response = izmir["admin"].post(f"{BASE}/members", data=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400


@pytest.mark.parametrize("name", ["Ayşe\x00Kaya", "Ayşe \ud800 Kaya", "Ayşe\x03Kaya", "Ayşe\x1bKaya", "Ayşe\x85Kaya",
                                  "Ayşe\uffffKaya"])
def test_a_string_that_is_not_text_is_refused_naming_its_field(app, izmir, name):
    body = json.dumps({"category": "individual", "name": name})  # json escapes the NUL and the lone surrogate
    response = izmir["admin"].post(f"{BASE}/members", data=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and "name" in response.json["errors"]
    assert izmir["admin"].get(f"{BASE}/members").json == []


def test_tabs_and_line_breaks_are_text(app, izmir):
    """A form's line break is CR LF, a pasted address may hold a tab: those stay; the control characters go."""
    from konsey.core.text import first_not_text, xml_safe

    assert first_not_text("Atatürk Cad.\r\n\tNo: 5") is None and first_not_text("a\x7fb") == "U+007F"
    assert xml_safe("Park\x03 yolu\ufffe") == "Park yolu" and xml_safe(None) == ""
    response = izmir["admin"].post(f"{BASE}/members", json={"category": "individual", "name": "Ayşe Kaya",
                                                            "neighbourhood": "Alsancak\tMahallesi"})
    assert response.status_code == 201, response.json
    refused = izmir["admin"].post(f"{BASE}/members", json={"category": "individual", "name": "Ali\x03 Veli"},
                                  headers={"Accept-Language": "tr"})
    assert "U+0003" in refused.json["errors"]["name"][0] and "kontrol" in refused.json["errors"]["name"][0]


@pytest.mark.parametrize("when", ["9999-12-31T23:00-12:00", "0001-01-01T00:00:00+14:00", "2199-01-01T18:00:00+03:00"])
def test_a_meeting_in_an_impossible_year_is_refused_and_nothing_is_written(izmir, when):
    bodies = {b["kind"]: b["id"] for b in izmir["admin"].get(f"{BASE}/bodies").json}
    response = izmir["admin"].post(f"{BASE}/meetings", json={"body_id": bodies["general_assembly"], "title": "Uzak",
                                                             "scheduled_at": when, "agenda": ["Bir"]})
    assert response.status_code == 422 and "scheduled_at" in response.json["errors"]
    assert izmir["admin"].get(f"{BASE}/meetings").json == []
    assert izmir["admin"].get(f"{BASE}/meetings").status_code == 200


def test_a_birth_date_before_1900_is_refused(izmir):
    response = izmir["admin"].post(f"{BASE}/members", json={"category": "individual", "name": "Çok Yaşlı",
                                                            "birth_date": "1850-01-01"})
    assert response.status_code == 422 and "birth_date" in response.json["errors"]


# --- headers --------------------------------------------------------------------------------------------------------------


def test_pages_carry_a_content_security_policy_without_inline_script(sqlite_app, world):
    world.user("ops@example.org", platform_role="operator")
    client = sqlite_app.test_client()
    login(client, "ops@example.org")
    for path in ("/", "/login", "/operator/councils/new"):
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "<script>" not in response.get_data(as_text=True)  # every script is a file the policy allows


def test_csv_cells_cannot_be_formulas():
    from konsey.core.federation import csv_of

    text = csv_of([{"slug": "x", "name": "=HYPERLINK(\"http://evil\")", "province": "+1", "region": "-2",
                    "municipality_type": "@SUM(A1)"}])
    line = text.splitlines()[1]
    assert "'=HYPERLINK" in line and ",'+1," in line and ",'-2," in line and "'@SUM" in line



# --- signing out --------------------------------------------------------------------------------------------------------


def test_signing_out_ends_the_session_even_for_a_copied_cookie(sqlite_app, world):
    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    browser = sqlite_app.test_client()
    assert login(browser, "gs@izmir.example.org").status_code == 302
    cookie = browser.get_cookie("session").value
    thief = sqlite_app.test_client()
    thief.set_cookie("session", cookie)
    assert thief.get("/izmir/").status_code == 200  # the copied cookie works while the session lives
    assert browser.post("/logout").status_code == 302
    assert thief.get("/izmir/").status_code == 302  # and not after the person signed out: off to sign-in
    assert login(browser, "gs@izmir.example.org").status_code == 302
    assert browser.get("/izmir/").status_code == 200  # a new sign-in works as before


def test_tokens_expire_within_a_quarter_by_default_and_show_when(sqlite_app, world):
    from konsey.core.accounts import AccessToken, User, issue_token
    from konsey.tenants.db import db, utcnow

    user_id = world.user("gs@izmir.example.org")
    with sqlite_app.app_context():
        token, _secret = issue_token(db.session.get(User, user_id), "Entegrasyon", None)
        db.session.commit()
        days = (token.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None)).days
        assert 80 <= days < 365
        assert db.session.get(AccessToken, token.id).expires_at is not None
    page = sqlite_app.test_client()
    login(page, "gs@izmir.example.org")
    html = page.get("/account/tokens").get_data(as_text=True)
    assert "Geçerlilik sonu" in html and "Entegrasyon" in html


def test_a_receipt_link_expires_within_weeks(sqlite_app, monkeypatch):
    import time

    from konsey.core.delivery import read_receipt_token, receipt_token
    from konsey.core.errors import Invalid
    from konsey.core.motions import Motion

    motion = Motion(id=__import__("uuid").uuid4(), council_id=__import__("uuid").uuid4())
    with sqlite_app.app_context():
        link = receipt_token(motion)
        assert read_receipt_token(link) == (motion.council_id, motion.id, 0)
        now = time.time()
        monkeypatch.setattr("itsdangerous.timed.time.time", lambda: now + 31 * 86400)
        with pytest.raises(Invalid):
            read_receipt_token(link)  # a month on, the link opens nothing


# --- webhooks go only where they may --------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", ["http://localhost.evil.example/h", "http://127.0.0.10/h", "ftp://belediye/h",
                                     "https://user:pw@belediye.example/h", "http://10.0.0.5/h"])
def test_a_webhook_address_must_be_https_unless_the_operator_allowed_the_host(izmir, address):
    refused = izmir["admin"].put(f"{BASE}/delivery", json={"channel": "webhook", "address": address})
    assert refused.status_code == 422 and "address" in refused.json["errors"]


def test_a_webhook_is_never_sent_to_a_private_address_nor_follows_a_redirect(app, world, izmir):
    from conftest import WebhookReceiver, adopted_motion
    from konsey.core.delivery import deliver_motion
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    # https, so the address is accepted; but the name resolves to loopback, which nobody allowed.
    route = izmir["admin"].put(f"{BASE}/delivery", json={"channel": "webhook", "address": "https://localhost:9/h"})
    assert route.status_code == 200
    motion_id = adopted_motion(app, world, izmir["id"])
    with app.app_context(), bound_council(izmir["id"]):
        with pytest.raises(Exception, match="the webhook answered|disabled|410|non-public"):
            deliver_motion(motion_id, idempotency_key="t", keep=db.session.commit)
        db.session.rollback()
    attempts = izmir["admin"].get(f"{BASE}/motions/{motion_id}/deliveries").json
    assert attempts[-1]["outcome"] == "failed" and "non-public" in attempts[-1]["detail"]
    assert izmir["admin"].get(f"{BASE}/delivery").json["enabled"] is False

    target, hop = WebhookReceiver(), WebhookReceiver()
    try:
        hop.answers.append((307, {"Location": target.url}))
        izmir["admin"].put(f"{BASE}/delivery", json={"channel": "webhook", "address": hop.url})
        with app.app_context(), bound_council(izmir["id"]):
            with pytest.raises(Exception, match="307|retry|Temporary"):
                deliver_motion(motion_id, idempotency_key="t2", keep=db.session.commit)
            db.session.rollback()
        assert hop.requests == 1 and target.requests == 0  # the redirect was not followed
    finally:
        target.close()
        hop.close()


# --- rate limits -----------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited_app(tmp_path_factory, smtp_server):
    """An app of its own with the rate limits on (the shared test apps switch them off)."""
    from support.apps import _make_app

    app = _make_app(tmp_path_factory.mktemp("limits"), "sqlite", smtp_server.port, extra={"RATELIMIT_ENABLED": True})
    yield app
    with app.app_context():
        from konsey.tenants.db import db

        db.session.remove()
        db.engine.dispose()


def test_an_account_waits_after_five_wrong_passwords_even_for_the_right_one(limited_app):
    from conftest import World

    World(limited_app).user("kilit@izmir.example.org")
    client = limited_app.test_client()
    for _ in range(5):
        assert login(client, "kilit@izmir.example.org", "yanlış parola").status_code == 400
    locked = login(client, "kilit@izmir.example.org")
    assert locked.status_code == 429 and 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    assert "Çok fazla istek" in locked.get_data(as_text=True) or "Too many" in locked.get_data(as_text=True)


def test_password_resets_and_public_applications_are_limited(limited_app):
    from conftest import World
    from konsey.core.applications import KVKK_NOTICE_VERSION

    world = World(limited_app)
    world.council("izmir")
    world.user("sifre@izmir.example.org")
    client = limited_app.test_client()
    answers = [client.post("/password/forgot", data={"email": "sifre@izmir.example.org"}).status_code
               for _ in range(4)]
    assert answers[:3] == [302, 302, 302] and answers[3] == 429
    adult = years_ago(30).isoformat()
    applicant = {"category": "individual", "name": "Başvuran Kişi", "birth_date": adult, "email": "b@example.org"}
    statuses = [client.post(f"{BASE}/applications", json={"applicant": applicant, "notice_version": KVKK_NOTICE_VERSION,
                                                          "consents": ["membership"]}).status_code for _ in range(6)]
    assert statuses[:5] == [201] * 5 and statuses[5] == 429


def test_signing_in_as_nobody_costs_a_password_check(sqlite_app, monkeypatch):
    from konsey.usecases import auth

    spent = []
    monkeypatch.setattr(auth, "spend_a_password_check", lambda password: spent.append(password))
    client = sqlite_app.test_client()
    assert login(client, "kimse@example.org", "bir parola").status_code == 400
    assert spent == ["bir parola"]


def test_the_webhook_secret_is_shown_once_and_can_be_rotated(world, izmir, app):
    admin = izmir["admin"]
    made = admin.put(f"{BASE}/delivery", json={"channel": "webhook", "address": "https://belediye.example/h"}).json
    first = made["secret"]  # shown when it is set
    looked = admin.get(f"{BASE}/delivery").json
    assert "secret" not in looked and looked["secret_hint"].endswith(first[-4:])
    assert first not in admin.get(f"{BASE}/delivery").get_data(as_text=True)
    rotated = admin.post(f"{BASE}/delivery/secret").json["secret"]
    assert rotated != first and rotated.startswith("whsec_")
    assert izmir["member"].post(f"{BASE}/delivery/secret").status_code == 403
    page = app.test_client()
    login(page, "gs@izmir.example.org")
    html = page.get("/izmir/delivery/").get_data(as_text=True)
    assert rotated not in html and rotated[-4:] in html  # masked on the page too
    shown = page.post("/izmir/delivery/secret").get_data(as_text=True)
    assert 'data-testid="new-secret"' in shown


# --- the federation's small numbers stay small ---------------------------------------------------------------------------


def test_a_share_does_not_give_back_a_suppressed_count():
    from konsey.core.federation import quartiles, suppress_breakdown, suppress_share

    assert suppress_share(1, 5) is None  # 0.2 of five individual members is one woman
    assert suppress_share(6, 9) is None  # the other side is three people
    assert suppress_share(6, 12) == 0.5
    assert suppress_breakdown({"female": 7, "male": 4, "not_given": 0}) == {"female": 7, "male": None,
                                                                             "not_given": None}  # two unknowns
    assert suppress_breakdown({"a": 20, "b": 9, "c": 2}) == {"a": 20, "b": None, "c": None}  # not b = total - a - c
    assert quartiles([1, 2, 3, 4]) is None  # four peers: no figure that could be one of them
    assert quartiles([1, 2, 3, 4, 5])["median"] == 3


def test_a_councils_position_names_no_peers_figures(world, app, api):
    from konsey.core.federation import position
    from konsey.tenants.db import db

    councils = [world.council(slug, province=province) for slug, province in
                (("izmir", 35), ("bornova", 35), ("karsiyaka", 35))]
    for index, council in enumerate(councils):
        for n in range(index + 1):
            world.member(council, name=f"Üye {index}-{n}")
    with app.app_context():
        result = position("izmir")
        db.session.rollback()
    assert all(value is None or set(value) == {"q1", "median", "q3", "councils"}
               for value in result["peer_distribution"].values())


def test_a_viewer_does_not_read_the_childrens_assembly(world, izmir, api):
    world.enable(izmir["id"], "children_assembly")
    viewer = api(world.token(world.user("izleyici@izmir.example.org", roles={izmir["id"]: "viewer"}), izmir["id"]))
    url = f"{BASE}/plugins/children_assembly/children"
    assert viewer.get(url).status_code == 403
    assert izmir["admin"].get(url).status_code == 200


def test_each_phone_has_its_own_allowance_however_many_share_the_halls_address(limited_app):
    """A hall's phones share the venue's address: one phone hammering the server meets 429, the next phone
    does not; a badge desk typing codes meets its own limit."""
    from sqlalchemy import select

    from conftest import ApiClient, World
    from konsey.core.passes import MeetingPass, link_token
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    world = World(limited_app)
    council = world.council("salon")  # the limited app is shared by this module's tests: a council of its own
    token = world.token(world.user("gs@salon.example.org", roles={council: "administrator"}), council)
    admin = ApiClient(limited_app.test_client(), token)
    people = [world.member(council, name=f"Üye {i}", email=f"uye{i}@example.org") for i in range(2)]
    meeting_id = world.sitting(council, "general_assembly", [])
    url = f"/api/v1/councils/salon/meetings/{meeting_id}"
    assert admin.post(f"{url}/passes").status_code == 200
    with limited_app.test_request_context(), bound_council(council):
        links = [link_token(p) for p in db.session.scalars(select(MeetingPass))]
    phones = []
    for link in links:
        phone = limited_app.test_client()
        page = phone.get(f"/salon/remote/{link}").headers["Location"]
        phones.append((phone, page))
    first, page = phones[0]
    answers = [first.post(f"{page}/here").status_code for _ in range(61)]
    assert answers[:60] == [200] * 60 and answers[60] == 429
    other, other_page = phones[1]
    assert other.post(f"{other_page}/here").status_code == 200  # the same address, another pass
    typed = [admin.post(f"{url}/attendance/by-code", json={"code": "ABCDEFGH"}).status_code for _ in range(91)]
    assert set(typed[:90]) == {422} and typed[90] == 429
    assert len(people) == 2

"""SMS through a council's own provider account (#31, its SMS part): Netgsm's and İleti Merkezi's documented APIs,
answered by a loopback server that speaks them; the credentials sealed and shown masked; members with a mobile
number and no e-mail address get their meeting link by SMS; a provider's error reaches the delivery page in
Turkish, the message is tried again and is never lost."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from conftest import login
from support.clients import relay_all

A = "/api/v1/councils/izmir"


def test_a_turkish_mobile_number_is_read_however_it_is_written():
    from konsey.core.identifiers import mobile_number

    for written in ("0532 123 45 67", "532-123-4567", "+90 532 123 45 67", "905321234567", "(0532) 1234567"):
        assert mobile_number(written) == "+905321234567", written
    for not_mobile in ("0232 123 45 67", "12345", "+44 7700 900123", "", None, "0532 123 45 6"):
        assert mobile_number(not_mobile) is None, not_mobile



@pytest.fixture
def hall(app, world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    texted = world.member(council, name="Telefonlu Üye", phone="0532 123 45 67")
    mailed = world.member(council, name="Postalı Üye", email="postali@example.org", phone="0533 000 00 00")
    landline = world.member(council, name="Sabit Hatlı Üye", phone="0232 444 55 66")
    ids = world.body_with_seat(council, texted)
    meeting = world.meeting_with_vote(council, texted)["meeting_a"]  # a meeting of one, sitting now
    for member in (mailed, landline):  # joined the group before the meeting: they get passes too
        seated = admin.post(f"{A}/bodies/{ids['body_a']}/seats", json={"member_id": str(member), "role": "principal",
                                                                       "starts_on": "2026-01-01"})
        assert seated.status_code == 201, seated.json
    return {"council": council, "admin": admin, "meeting": meeting, "texted": texted, "body": ids["body_a"]}



def test_members_without_e_mail_get_their_meeting_link_by_sms(app, hall, sms_provider):
    admin = hall["admin"]
    refused = admin.put(f"{A}/sms", json={"provider": "netgsm", "sender": "KENTKONSEYI", "username": "8503001122"})
    assert refused.status_code == 422 and "password" in refused.json["errors"]
    saved = admin.put(f"{A}/sms", json={"provider": "netgsm", "sender": "KENTKONSEYI", "username": "8503001122",
                                        "password": "dogru-parola"})
    assert saved.status_code == 200 and saved.json["credentials"] == {"username": "85••••••••",
                                                                       "password": "do••••••••••"}
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(hall["council"]):
        stored = db.session.execute(text("SELECT credentials_sealed FROM sms_settings")).scalar()
    assert stored.startswith("ks1:") and "dogru-parola" not in stored

    sent = admin.post(f"{A}/meetings/{hall['meeting']}/passes/links")
    assert sent.status_code in (200, 202), sent.json
    relay_all(app)
    (message,) = sms_provider.received
    assert message["number"] == "905321234567" and "/izmir/remote/" in message["text"]
    listed = admin.get(f"{A}/sms/messages").json
    assert [(m["number"], m["status"], m["purpose"]) for m in listed] == [("…4567", "sent", "meeting_link")]
    assert admin.get(f"{A}/sms").json["sent_this_month"] == 1
    with app.app_context(), bound_council(hall["council"]):
        assert db.session.execute(text("SELECT text_sealed FROM sms_messages")).scalar() is None  # link kept nowhere
    admin.post(f"{A}/meetings/{hall['meeting']}/passes/links")
    relay_all(app)
    assert len(sms_provider.received) == 1  # each link once


def test_a_providers_error_reaches_the_delivery_page_and_the_message_is_tried_again(app, world, hall, sms_provider):
    from konsey.core.delivery import RetryLater
    from konsey.core.sms import SmsMessage, send
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin = hall["admin"]
    admin.put(f"{A}/sms", json={"provider": "iletimerkezi", "sender": "KENTKONSEYI", "key": "anahtar",
                                "hash": "ozet"})
    sms_provider.iletimerkezi["balance"] = 0
    admin.post(f"{A}/meetings/{hall['meeting']}/passes/links")
    with app.app_context(), bound_council(hall["council"]):
        message_id = db.session.scalar(select(SmsMessage.id))
        with pytest.raises(RetryLater):
            send(message_id)
        db.session.commit()
    world.user("sekreter@izmir.example.org", roles={hall["council"]: "administrator"})
    client = app.test_client()
    login(client, "sekreter@izmir.example.org")
    page = client.get("/izmir/delivery/").get_data(as_text=True)
    assert "bakiyesi yetmiyor" in page and 'data-status="failed"' in page
    sms_provider.iletimerkezi["balance"] = 5  # the council topped it up: the next try goes
    with app.app_context(), bound_council(hall["council"]):
        send(message_id)
        db.session.commit()
        message = db.session.get(SmsMessage, message_id)
        assert (message.status.value, message.attempts, message.error_code) == ("sent", 2, None)
    assert sms_provider.received[0]["provider"] == "iletimerkezi"


def test_wrong_credentials_and_an_unregistered_sender_are_told_apart(app, hall, sms_provider):
    from konsey.core.delivery import DeliveryRefused
    from konsey.core.sms import SmsMessage, error_text, send
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin = hall["admin"]
    admin.put(f"{A}/sms", json={"provider": "netgsm", "sender": "BASKABASLIK", "username": "8503001122",
                                "password": "yanlis"})
    admin.post(f"{A}/meetings/{hall['meeting']}/passes/links")
    with app.app_context(), bound_council(hall["council"]):
        message_id = db.session.scalar(select(SmsMessage.id))
        with pytest.raises(DeliveryRefused):
            send(message_id)
        assert db.session.get(SmsMessage, message_id).error_code == "30"
        db.session.commit()
    admin.put(f"{A}/sms", json={"provider": "netgsm", "sender": "BASKABASLIK", "username": "8503001122",
                                "password": "dogru-parola"})
    with app.app_context(), bound_council(hall["council"]):
        with pytest.raises(DeliveryRefused):
            send(message_id)
        assert db.session.get(SmsMessage, message_id).error_code == "40"
        assert "başlık" in error_text("netgsm", "40")
    assert sms_provider.received == []


def test_another_council_sees_nothing_of_the_sms_account(app, world, hall, api, sms_provider):
    hall["admin"].put(f"{A}/sms", json={"provider": "netgsm", "sender": "KENTKONSEYI", "username": "8503001122",
                                        "password": "dogru-parola"})
    beta = world.council("beta", province=16)
    other = api(world.token(world.user("gs@beta.example.org", roles={beta: "administrator"}), beta))
    assert other.get(f"{A}/sms").status_code in (403, 404)
    assert other.get("/api/v1/councils/beta/sms").status_code == 404
    assert other.get("/api/v1/councils/beta/sms/messages").json == []


@pytest.mark.parametrize("account", [
    {"provider": "netgsm", "sender": "KENTKONSEYI", "username": "8503001122", "password": "dogru-parola"},
    {"provider": "iletimerkezi", "sender": "KENTKONSEYI", "key": "anahtar", "hash": "ozet"}],
    ids=["netgsm", "iletimerkezi"])
def test_the_providers_delivery_report_says_whether_each_sms_reached_the_phone(app, world, hall, sms_provider, account):
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    admin = hall["admin"]
    unreachable = world.member(hall["council"], name="Kapalı Telefon", phone="0555 999 88 77")
    admin.post(f"{A}/bodies/{hall['body']}/seats", json={"member_id": str(unreachable), "role": "principal",
                                                          "starts_on": "2026-01-01"})
    admin.put(f"{A}/sms", json=account)
    admin.post(f"{A}/meetings/{hall['meeting']}/passes/links")
    relay_all(app)
    assert sorted(m["number"] for m in sms_provider.received) == ["905321234567", "905559998877"]
    assert [m["report"] for m in admin.get(f"{A}/sms/messages").json] == [None, None]
    sms_provider.unreachable = {"905559998877"}
    with app.app_context(), acting_as(SYSTEM):
        assert system.sms_reports() == 2
    reports = {m["number"]: m["report"] for m in admin.get(f"{A}/sms/messages").json}
    assert reports == {"…4567": "delivered", "…8877": "undelivered"}
    asked = sms_provider.reports_asked
    with app.app_context(), acting_as(SYSTEM):
        assert system.sms_reports() == 0
    assert sms_provider.reports_asked == asked  # an answered message is not asked about again
    world.user("sekreter@izmir.example.org", roles={hall["council"]: "administrator"})
    client = app.test_client()
    login(client, "sekreter@izmir.example.org")
    page = client.get("/izmir/delivery/").get_data(as_text=True)
    assert 'data-report="delivered"' in page and 'data-report="undelivered"' in page


def test_a_provider_out_of_reach_leaves_the_reports_for_the_next_round(app, hall, sms_provider):
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    hall["admin"].put(f"{A}/sms", json={"provider": "netgsm", "sender": "KENTKONSEYI", "username": "8503001122",
                                        "password": "dogru-parola"})
    hall["admin"].post(f"{A}/meetings/{hall['meeting']}/passes/links")
    relay_all(app)
    sms_provider.stop()
    with app.app_context(), acting_as(SYSTEM):
        assert system.sms_reports() == 0
    assert [m["report"] for m in hall["admin"].get(f"{A}/sms/messages").json] == [None]


def test_members_who_agreed_get_meeting_notices_by_sms_and_others_do_not(app, world, hall, sms_provider):
    admin = hall["admin"]
    agreed = world.member(hall["council"], name="Onaylı Üye", phone="0544 321 00 11")
    assert admin.patch(f"{A}/members/{agreed}", json={"sms_consent": True}).json["sms_consent_at"]
    admin.post(f"{A}/bodies/{hall['body']}/seats", json={"member_id": str(agreed), "role": "principal",
                                                         "starts_on": "2026-01-01"})
    admin.put(f"{A}/sms", json={"provider": "netgsm", "sender": "KENTKONSEYI", "username": "8503001122",
                                "password": "dogru-parola"})
    from datetime import UTC, datetime, timedelta

    called = admin.post(f"{A}/meetings", json={"body_id": str(hall["body"]), "title": "Bahar toplantısı",
                                               "scheduled_at": (datetime.now(UTC) + timedelta(days=9)).isoformat(),
                                               "agenda": ["Parklar"]})
    assert called.status_code == 201, called.json
    relay_all(app)
    # The member who agreed gets the invitation by SMS; "Telefonlu Üye" (no consent) gets only their meeting link.
    texted = [m for m in sms_provider.received if "Bahar toplantısı" in m["text"]]
    assert [m["number"] for m in texted] == ["905443210011"]
    assert len(texted[0]["text"]) <= 300 and "Parklar" not in texted[0]["text"]  # the notice, not the agenda
    purposes = {m["purpose"] for m in admin.get(f"{A}/sms/messages").json}
    assert purposes == {"meeting_invitation"}
    withdrawn = admin.patch(f"{A}/members/{agreed}", json={"sms_consent": False})
    assert withdrawn.json["sms_consent_at"] is None
    from konsey.core.applications import Consent
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(hall["council"]):  # the consent is provable: given, then withdrawn
        (consent,) = db.session.scalars(select(Consent).where(Consent.member_id == agreed)).all()
        assert (consent.purpose, consent.source) == ("sms", "secretariat") and consent.withdrawn_at is not None


def test_an_institutions_representative_gets_its_meeting_link_by_sms(app, world, hall, sms_provider):
    admin = hall["admin"]
    union = world.member(hall["council"], category="union", name="Liman İşçileri Sendikası",
                         representative_name="Ali Veli")
    refused = admin.post(f"{A}/members/{union}/representatives", json={
        "capacity": "representative", "name": "Ali Veli", "mandate_letter": "01.12.2026 / 44",
        "mandate_expires_on": "2027-12-31", "mobile": "0212 000 00 00"})
    assert refused.status_code == 422 and "mobile" in refused.json["errors"]
    appointed = admin.post(f"{A}/members/{union}/representatives", json={
        "capacity": "representative", "name": "Ali Veli", "mandate_letter": "01.12.2026 / 44",
        "mandate_expires_on": "2027-12-31", "mobile": "0536 222 33 44"})
    assert appointed.status_code == 201 and appointed.json["mobile"] == "+905362223344"
    admin.post(f"{A}/bodies/{hall['body']}/seats", json={"member_id": str(union), "role": "principal",
                                                         "starts_on": "2026-01-01"})
    admin.put(f"{A}/sms", json={"provider": "netgsm", "sender": "KENTKONSEYI", "username": "8503001122",
                                "password": "dogru-parola"})
    admin.post(f"{A}/meetings/{hall['meeting']}/passes/links")
    relay_all(app)
    assert sorted(m["number"] for m in sms_provider.received) == ["905321234567", "905362223344"]

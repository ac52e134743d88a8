"""Motion packages and their delivery: reproducible signed packages, the official cover letter, the three
channels against real receivers on loopback (SMTP, a webhook that verifies signatures), receipts, the
municipality's signed answer, and the outbox that drives it all."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from conftest import adopted_motion

BASE = "/api/v1/councils/izmir"


@pytest.fixture
def council(app, world, api):
    council_id = world.council("izmir", name="İzmir Kent Konseyi")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council_id: "administrator"}), council_id))
    return {"id": council_id, "admin": admin}


def _in(app, council_id):
    from konsey.tenants.scoping import bound_council

    context = app.app_context()
    context.push()
    scope = bound_council(council_id)
    scope.__enter__()

    def close():
        scope.__exit__(None, None, None)
        context.pop()

    return close


def _package(app, council_id, motion_id):
    from konsey.core.motion_package import build_package
    from konsey.core.motions import Motion
    from konsey.tenants.db import db

    close = _in(app, council_id)
    try:
        package = build_package(db.session.get(Motion, motion_id))
        db.session.commit()
        return package
    finally:
        close()


def test_packages_are_reproducible_signed_and_tamper_evident(app, world, council):
    from konsey.core.motion_package import verify_package

    motion_id = adopted_motion(app, world, council["id"])
    first, second = _package(app, council["id"], motion_id), _package(app, council["id"], motion_id)
    assert first.manifest == second.manifest and first.content == second.content
    key = council["admin"].get(f"{BASE}/signing-key").json["public_key"]
    assert verify_package(first.content, key) == []

    names = zipfile.ZipFile(io.BytesIO(first.content)).namelist()
    assert names[:2] == ["ust-yazi.pdf", "karar-ozeti.pdf"] and names[-2:] == ["manifest.json", "manifest.sig"]
    listed = {f["name"] for f in json.loads(first.manifest)["files"]}
    assert listed == set(names) - {"manifest.json", "manifest.sig"}

    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(first.content)) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data + b"%" if name == "karar-ozeti.pdf" else data)
    assert verify_package(tampered.getvalue(), key) == ["karar-ozeti.pdf was changed"]
    other_key = "MCowBQYDK2VwAyEA" and "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
    assert "signature" in verify_package(first.content, other_key)[0]


def test_the_cover_letter_has_the_official_form(app, world, council):
    from pypdf import PdfReader

    motion_id = adopted_motion(app, world, council["id"])
    package = _package(app, council["id"], motion_id)
    letter = zipfile.ZipFile(io.BytesIO(package.content)).read("ust-yazi.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(letter)).pages)
    assert "Sayı:" in text and "Konu: Bisiklet yolu" in text and "İlgi:" in text
    assert f"Tarih: {date.today().strftime('%d.%m.%Y')}" in text
    assert "BELEDİYE BAŞKANLIĞINA" in text and "Arz ederim." in text
    assert "Genel Sekreter" in text and "Ek:" in text and package.verification_code in text
    assert "sayfa 1/1" in text  # each page says which it is, of how many


def test_a_plugins_file_travels_in_the_package(app, world, council):
    world.enable(council["id"], "womens_assembly")
    motion_id = adopted_motion(app, world, council["id"])
    note = council["admin"].put(f"{BASE}/plugins/womens_assembly/motions/{motion_id}/impact-note", json={
        "text": "Bu önerge kadınların kentte güvenle dolaşmasına katkı sağlar.", "author": "Kadın Meclisi"})
    assert note.status_code == 200
    manifest = json.loads(_package(app, council["id"], motion_id).manifest)
    assert "cinsiyet-etki-notu.txt" in {f["name"] for f in manifest["files"]}


def _deliver(app, council_id, motion_id):
    from konsey.core.delivery import deliver_motion
    from konsey.tenants.db import db

    close = _in(app, council_id)
    try:
        result = deliver_motion(motion_id, idempotency_key="test", keep=db.session.commit)
        db.session.commit()
        return result
    finally:
        db.session.rollback()
        close()


def _motion(admin, motion_id):
    return next(m for m in admin.get(f"{BASE}/motions").json if m["id"] == str(motion_id))


def test_webhook_delivery_is_signed_and_acknowledged(app, world, council, receiver):
    admin = council["admin"]
    route = admin.put(f"{BASE}/delivery", json={"channel": "webhook", "address": receiver.url})
    assert route.status_code == 200
    receiver.secret = route.json["secret"]
    bad = admin.put(f"{BASE}/delivery", json={"channel": "webhook", "address": "ftp://belediye"})
    assert bad.status_code == 422 and "address" in bad.json["errors"]
    unknown = admin.put(f"{BASE}/delivery", json={"channel": "kep", "address": "x@kep.tr"})
    assert unknown.status_code == 422 and "channel" in unknown.json["errors"]

    motion_id = adopted_motion(app, world, council["id"])
    assert _deliver(app, council["id"], motion_id).outcome.value == "delivered"
    assert receiver.rejected == 0 and list(receiver.received) == [f"msg_{motion_id.hex}"]
    payload = receiver.received[f"msg_{motion_id.hex}"]
    # Standard Webhooks' envelope (a new route's): what happened, when, and its data.
    assert payload["type"] == "motion.package" and payload["timestamp"].endswith("Z")
    assert payload["data"]["motion_id"] == str(motion_id)
    assert payload["data"]["decision_number"] and payload["data"]["package"]["filename"].endswith(".zip")
    motion = _motion(admin, motion_id)
    assert motion["status"] == "delivered" and motion["delivered_on"] == date.today().isoformat()
    attempts = admin.get(f"{BASE}/motions/{motion_id}/deliveries").json
    assert [(a["channel"], a["outcome"], a["http_status"]) for a in attempts] == [("webhook", "delivered", 204)]
    assert _deliver(app, council["id"], motion_id) is None  # delivered already: nothing sent twice
    assert receiver.requests == 1
    # A council whose municipality still reads the first release's flat shape keeps it until it switches.
    kept = admin.put(f"{BASE}/delivery", json={"channel": "webhook", "address": receiver.url, "payload_version": 1})
    assert kept.status_code == 200 and kept.json["payload_version"] == 1
    assert admin.put(f"{BASE}/delivery", json={"channel": "webhook", "address": receiver.url,
                                              "payload_version": 3}).status_code == 422
    second = adopted_motion(app, world, council["id"])
    assert _deliver(app, council["id"], second).outcome.value == "delivered"
    flat = receiver.received[f"msg_{second.hex}"]
    assert flat["type"] == "motion.package" and flat["motion_id"] == str(second) and "data" not in flat


def test_webhook_retry_after_and_gone(app, world, council, receiver):
    from konsey.core.delivery import DeliveryRefused, RetryLater

    admin = council["admin"]
    receiver.secret = admin.put(f"{BASE}/delivery", json={"channel": "webhook", "address": receiver.url}).json["secret"]
    motion_id = adopted_motion(app, world, council["id"])
    receiver.answers = [(503, {"Retry-After": "7"})]
    with pytest.raises(RetryLater) as later:
        _deliver(app, council["id"], motion_id)
    assert later.value.countdown == 7
    assert _motion(admin, motion_id)["status"] == "queued"
    receiver.answers = [(410, {})]
    with pytest.raises(DeliveryRefused):
        _deliver(app, council["id"], motion_id)
    route = admin.get(f"{BASE}/delivery").json
    assert route["enabled"] is False and "410" in route["disabled_reason"]
    outcomes = [a["outcome"] for a in admin.get(f"{BASE}/motions/{motion_id}/deliveries").json]
    assert outcomes == ["retry", "failed"]
    with pytest.raises(DeliveryRefused):  # a disabled route sends nothing until someone fixes it
        _deliver(app, council["id"], motion_id)
    assert receiver.requests == 2


def test_retries_spread_over_about_three_days():
    from konsey.core.delivery import retry_schedule, total_retry_span

    assert retry_schedule(0, base=30) == 30 and retry_schedule(3, base=30) == 240
    assert retry_schedule(19, base=30) == 6 * 3600  # the ceiling
    assert 2.5 <= total_retry_span(20).total_seconds() / 86400 <= 3.5


def test_email_delivery_with_a_receipt_link(app, world, council, mailbox):
    admin = council["admin"]
    admin.put(f"{BASE}/delivery", json={"channel": "email", "address": "evrak@izmir.bel.tr"})
    motion_id = adopted_motion(app, world, council["id"])
    assert _deliver(app, council["id"], motion_id).outcome.value == "sent"
    [message] = [m for m in mailbox.wait_for(1) if "evrak@izmir.bel.tr" in m["To"]]
    attachments = [part.get_filename() for part in message.iter_attachments()]
    assert attachments == [f"onerge-izmir-{_motion(admin, motion_id)['number']:04d}.zip"]
    assert _motion(admin, motion_id)["status"] == "sent"
    link = next(line for line in message.get_body(("plain",)).get_content().splitlines() if "/receipts/" in line)
    path = link[link.index("/receipts/"):].strip()
    client = app.test_client()
    page = client.get(path)
    assert page.status_code == 200 and "Bisiklet yolu" in page.get_data(as_text=True)
    assert client.get(f"{path}/package.zip").data[:2] == b"PK"
    client.post(f"{path}/confirm")
    motion = _motion(admin, motion_id)
    assert motion["status"] == "delivered" and motion["delivered_on"] == date.today().isoformat()
    assert client.get(path.replace("/receipts/", "/receipts/x")).status_code == 404
    assert client.get("/receipts/not-a-token").status_code == 404


def test_a_resent_motion_keeps_its_message_id(app, world, council, mailbox):
    """At least once: a resend after a worker stopped mid-delivery carries the same Message-ID, so the
    municipality's registry can drop the duplicate."""
    admin = council["admin"]
    admin.put(f"{BASE}/delivery", json={"channel": "email", "address": "evrak@izmir.bel.tr"})
    motion_id = adopted_motion(app, world, council["id"])
    _deliver(app, council["id"], motion_id)
    _deliver(app, council["id"], motion_id)
    sent = [m for m in mailbox.wait_for(2) if "evrak@izmir.bel.tr" in m["To"]]
    assert len(sent) == 2 and sent[0]["Message-ID"] == sent[1]["Message-ID"]
    assert sent[0]["Message-ID"].startswith(f"<motion-{motion_id}.")


def test_a_receipt_link_can_be_revoked(app, world, council, mailbox):
    admin = council["admin"]
    admin.put(f"{BASE}/delivery", json={"channel": "email", "address": "evrak@izmir.bel.tr"})
    motion_id = adopted_motion(app, world, council["id"])
    _deliver(app, council["id"], motion_id)
    [message] = [m for m in mailbox.wait_for(1) if "evrak@izmir.bel.tr" in m["To"]]
    link = next(line for line in message.get_body(("plain",)).get_content().splitlines() if "/receipts/" in line)
    path = link[link.index("/receipts/"):].strip()
    client = app.test_client()
    assert client.get(path).status_code == 200
    assert admin.post(f"{BASE}/motions/{motion_id}/receipt-links/revoke").status_code == 204
    for url in (path, f"{path}/package.zip"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{path}/confirm").status_code == 404
    assert _motion(admin, motion_id)["status"] == "sent"  # a revoked link confirms nothing


def test_the_municipality_posts_its_answer_signed(app, world, council):
    from datetime import UTC, datetime

    from standardwebhooks import Webhook

    admin = council["admin"]
    assert "secret" not in admin.get(f"{BASE}/delivery").json  # shown once, when made: here, a rotation
    secret = admin.post(f"{BASE}/delivery/secret").json["secret"]
    motion_id = adopted_motion(app, world, council["id"])
    client = app.test_client()
    for status in ("queued", "sent"):
        admin.post(f"{BASE}/motions/{motion_id}/status", json={"status": status})
    admin.post(f"{BASE}/motions/{motion_id}/status", json={"status": "delivered",
                                                           "delivered_on": date.today().isoformat()})
    now = datetime.now(UTC)
    answer = {"answer": "referred", "municipal_decision_date": date.today().strftime("%d.%m.%Y"),
              "municipal_decision_number": "2026/611"}
    body = json.dumps({"type": "motion.answer", "timestamp": now.isoformat(),
                       "data": {"motion_id": str(motion_id), **answer}})

    def headers(with_secret, signed=None):
        return {"webhook-id": "msg_answer_1", "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": Webhook(with_secret).sign("msg_answer_1", now, signed or body),
                "content-type": "application/json"}

    forged = client.post(f"{BASE}/motions/{motion_id}/municipal-answer", data=body,
                         headers=headers("whsec_" + "QUJD" * 8))
    assert forged.status_code == 422 and "webhook-signature" in forged.json["errors"]
    assert _motion(admin, motion_id)["status"] == "delivered"
    # What is signed names the motion: the same answer, captured, replayed onto another motion is refused, and
    # an answer that names no motion (the first release's) is refused too.
    other = adopted_motion(app, world, council["id"])
    replayed = client.post(f"{BASE}/motions/{other}/municipal-answer", data=body, headers=headers(secret))
    assert replayed.status_code == 422 and "motion_id" in replayed.json["errors"]
    nameless = json.dumps(answer)
    unnamed = client.post(f"{BASE}/motions/{motion_id}/municipal-answer", data=nameless,
                          headers=headers(secret, nameless))
    assert unnamed.status_code == 422 and "motion_id" in unnamed.json["errors"]
    assert _motion(admin, motion_id)["status"] == "delivered" and _motion(admin, other)["status"] != "answered"
    answered = client.post(f"{BASE}/motions/{motion_id}/municipal-answer", data=body, headers=headers(secret))
    assert answered.status_code == 200 and answered.json["status"] == "answered"
    assert _motion(admin, motion_id)["municipal_decision_number"] == "2026/611"
    assert _motion(admin, motion_id)["municipal_decision_date"] == date.today().isoformat()  # a date, not text


def test_the_public_page_publishes_the_signing_key(app, world, council):
    motion_id = adopted_motion(app, world, council["id"])
    _package(app, council["id"], motion_id)
    key = council["admin"].get(f"{BASE}/signing-key").json
    page = app.test_client().get("/izmir/public").get_data(as_text=True)
    assert key["public_key"] in page and key["fingerprint"] in page


def test_the_outbox_carries_events_to_their_work_once(app, world, council, receiver, mailbox):
    """Eager tasks here (the worker tests run a real worker): the relay publishes, the handler runs once."""
    from konsey.core.outbox import OutboxEvent
    from konsey.tenants.db import db
    from konsey.worker.relay import relay

    admin = council["admin"]
    receiver.secret = admin.put(f"{BASE}/delivery", json={"channel": "webhook", "address": receiver.url}).json["secret"]
    member = world.member(council["id"], name="Ayşe Kaya", email="ayse@example.org")
    world.body_with_seat(council["id"], member)
    motion_id = adopted_motion(app, world, council["id"], member_id=member)
    close = _in(app, council["id"])
    try:
        assert relay() >= 2  # the meetings' invitations and the motion
        rounds = 0
        while relay():  # the work made new events (the motion's new status, for the board): those go next
            rounds += 1
            assert rounds < 5
        assert relay() == 0  # nothing left
        events = db.session.scalars(select(OutboxEvent)).all()
        assert all(e.completed_at is not None and e.publish_count == 1 for e in events)
    finally:
        close()
    every = admin.get(f"{BASE}/motions").json
    assert _motion(admin, motion_id)["status"] == "delivered"
    assert {m["status"] for m in every} == {"delivered"} and len(receiver.received) == len(every)
    invitations = [m for m in mailbox.wait_for(1) if "ayse@example.org" in m["To"]]
    assert invitations
    from icalendar import Calendar

    ics = next(p for p in invitations[0].iter_attachments() if p.get_content_type() == "text/calendar")
    event = Calendar.from_ical(ics.get_content() if isinstance(ics.get_content(), str) else ics.get_content())
    assert any(component.get("uid", "").startswith("meeting-") for component in event.walk("VEVENT"))


def test_a_rolled_back_change_leaves_no_event(app, world, council):
    from konsey.core.outbox import OutboxEvent, emit
    from konsey.tenants.db import db

    close = _in(app, council["id"])
    try:
        emit("motion.adopted", {"motion_id": "00000000-0000-0000-0000-000000000000"})
        db.session.rollback()
        assert db.session.scalars(select(OutboxEvent)).all() == []
        with pytest.raises(ValueError):
            emit("nobody.handles.this", {})
    finally:
        close()


def test_dead_letters_are_listed_and_retried(app, world, council, api):
    admin = council["admin"]
    letter = world.dead_letter(council["id"])
    listed = admin.get(f"{BASE}/dead-letters").json
    assert [d["id"] for d in listed] == [str(letter)] and listed[0]["retried_at"] is None
    retried = admin.post(f"{BASE}/dead-letters/{letter}/retry")
    assert retried.status_code == 200 and retried.json["retried_at"]
    assert admin.post(f"{BASE}/dead-letters/{letter}/retry").status_code == 409  # once
    from konsey.core.outbox import OutboxEvent
    from konsey.tenants.db import db

    close = _in(app, council["id"])
    try:  # its outbox event waits for the relay again
        event = db.session.scalar(select(OutboxEvent))
        assert event.published_at is None and event.completed_at is None
    finally:
        close()
    other = world.council("nilufer", province=16)
    other_admin = api(world.token(world.user("gs@nilufer.example.org", roles={other: "administrator"}), other))
    assert other_admin.get("/api/v1/councils/nilufer/dead-letters").json == []
    assert other_admin.post(f"/api/v1/councils/nilufer/dead-letters/{letter}/retry").status_code == 404

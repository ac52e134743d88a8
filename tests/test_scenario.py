"""From a citizen's application to a motion answered by the municipal council, through the API only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from conftest import approve_by_general_assembly
from konsey.core.applications import KVKK_NOTICE_VERSION

BASE = "/api/v1/councils/izmir"


def test_application_to_answered_motion(app, api, world):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    public = api(None)

    # Five citizens apply and are admitted by the board.
    names = [("Ayşe Kaya", "female"), ("Zeynep Ak", "female"), ("Mehmet Er", "male"), ("Can Demir", "male"),
             ("Elif Şahin", "female")]
    for name, gender in names:
        response = public.post(f"{BASE}/applications", json={
            "applicant": {"category": "individual", "name": name, "gender": gender,
                          "email": f"{name.split()[0].lower()}@example.org", "birth_date": "1985-03-01"},
            "notice_version": KVKK_NOTICE_VERSION, "consents": ["membership"]})
        assert response.status_code == 201
    member_ids = []
    for application in admin.get(f"{BASE}/applications?status=submitted").json:
        admin.post(f"{BASE}/applications/{application['id']}/review")
        member_ids.append(admin.post(f"{BASE}/applications/{application['id']}/approve",
                                     json={"decision_reference": "İK 2026/7"}).json["member_id"])
    assert len(admin.get(f"{BASE}/members").json) == 5

    # They form a working group, which meets and adopts a proposal by majority.
    # The board proposes a working group; the general assembly approves it.
    group = admin.post(f"{BASE}/bodies", json={"kind": "working_group", "name": "Ulaşım Çalışma Grubu",
                                               "proposal": "YK 2026/3"}).json
    approval = approve_by_general_assembly(admin, BASE, group["id"], member_ids[:3])
    assert approval.status_code == 200 and approval.json["status"] == "active"
    for index, member_id in enumerate(member_ids):
        role = "facilitator" if index == 0 else "principal"
        assert admin.post(f"{BASE}/bodies/{group['id']}/seats", json={
            "member_id": member_id, "role": role, "starts_on": date.today().isoformat()}).status_code == 201
    parity = admin.get(f"{BASE}/bodies/{group['id']}").json["parity"]
    assert parity["met"] and parity["women"] == 3

    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": group["id"], "title": "Ulaşım toplantısı",
                                                   "scheduled_at": when, "agenda": ["Bisiklet yolu önerisi"]}).json
    world.start_meeting(meeting["id"])
    url = f"{BASE}/meetings/{meeting['id']}"
    for member_id in member_ids[:4]:
        admin.post(f"{url}/attendance", json={"member_id": member_id})
    item = admin.get(url).json["agenda"][0]["id"]
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": item}).json
    for member_id, choice in zip(member_ids[:4], ["yes", "yes", "yes", "abstain"], strict=True):
        admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": member_id, "choice": choice})
    decision = admin.post(f"{url}/votes/{vote['id']}/close", json={}).json
    assert decision["outcome"] == "adopted" and decision["decision_number"]

    # The decision goes to the municipal council as a motion and is followed up to its answer.
    motion = admin.post(f"{BASE}/motions", json={"vote_id": vote["id"], "title": "Bisiklet yolu",
                                                 "text": "Sahil boyunca bisiklet yolu yapılması önerilir."}).json
    for status in ("queued", "sent"):
        admin.post(f"{BASE}/motions/{motion['id']}/status", json={"status": status})
    admin.post(f"{BASE}/motions/{motion['id']}/status", json={"status": "delivered",
                                                             "delivered_on": date.today().isoformat()})
    answered = admin.post(f"{BASE}/motions/{motion['id']}/answer", json={
        "answer": "accepted", "municipal_decision_date": date.today().strftime("%d.%m.%Y"),
        "municipal_decision_number": "2026/455"}).json
    assert answered["status"] == "answered" and answered["overdue"] is False

    # Everything is on the audit chain, which verifies.
    actions = [e["action"] for e in admin.get(f"{BASE}/audit?limit=500").json]
    for expected in ("application.approved", "member.added", "body.proposed", "body.approved", "seat.assigned", "meeting.called", "vote.closed",
                     "motion.adopted", "motion.answered"):
        assert expected in actions
    assert app.test_cli_runner().invoke(args=["audit", "verify", "izmir"]).exit_code == 0
    assert "Bisiklet yolu" in app.test_client().get("/izmir/public").get_data(as_text=True)

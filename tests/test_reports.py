"""Working-group reports: versions, approval, to the board, onto a general assembly's agenda."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

BASE = "/api/v1/councils/izmir"


def test_report_from_draft_to_the_general_assembly_agenda(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    facilitator = api(world.token(world.user("k@izmir.example.org", roles={council: "facilitator"}), council))
    member = api(world.token(world.user("u@izmir.example.org", roles={council: "member"}), council))
    group = admin.post(f"{BASE}/bodies", json={"kind": "working_group", "name": "Çevre Çalışma Grubu"}).json
    world.approve(council, __import__("uuid").UUID(group["id"]))
    bodies = {b["kind"]: b["id"] for b in admin.get(f"{BASE}/bodies").json}

    report = facilitator.post(f"{BASE}/reports", json={"body_id": group["id"], "title": "Kıyı raporu",
                                                       "text": "İlk taslak"}).json
    assert report["status"] == "draft" and [v["version"] for v in report["versions"]] == [1]
    revised = facilitator.post(f"{BASE}/reports/{report['id']}/versions", json={"text": "İkinci taslak"}).json
    assert [v["text"] for v in revised["versions"]] == ["İlk taslak", "İkinci taslak"]
    assert member.post(f"{BASE}/reports/{report['id']}/approve").status_code == 403
    assert facilitator.post(f"{BASE}/reports/{report['id']}/send").status_code == 409  # not approved yet
    assert facilitator.post(f"{BASE}/reports/{report['id']}/approve").json["status"] == "approved"
    assert facilitator.post(f"{BASE}/reports/{report['id']}/versions", json={"text": "Geç"}).status_code == 409
    assert facilitator.post(f"{BASE}/reports/{report['id']}/send").json["status"] == "sent_to_board"

    when = (datetime.now(UTC) + timedelta(days=20)).isoformat()
    board_meeting = admin.post(f"{BASE}/meetings", json={"body_id": bodies["executive_board"], "title": "YK toplantısı",
                                                         "scheduled_at": when, "agenda": ["Gündem"]})
    assert board_meeting.status_code == 201, board_meeting.json
    board_meeting = board_meeting.json
    wrong = admin.post(f"{BASE}/reports/{report['id']}/agenda", json={"meeting_id": board_meeting["id"]})
    assert wrong.status_code == 422 and "meeting_id" in wrong.json["errors"]
    assembly = admin.post(f"{BASE}/meetings", json={"body_id": bodies["general_assembly"], "kind": "ordinary",
                                                    "title": "Genel Kurul", "scheduled_at": when,
                                                    "agenda": ["Açılış"]}).json
    placed = admin.post(f"{BASE}/reports/{report['id']}/agenda", json={"meeting_id": assembly["id"]}).json
    assert placed["status"] == "on_agenda" and placed["agenda_item_id"]
    agenda = admin.get(f"{BASE}/meetings/{assembly['id']}").json["agenda"]
    assert [(i["position"], i["title"]) for i in agenda] == [(1, "Açılış"), (2, "Kıyı raporu")]
    # The agenda is the calendar event's description: calendars are told to replace their copy.
    assert admin.get(f"{BASE}/meetings/{assembly['id']}").json["sequence"] == assembly["sequence"] + 1


def test_only_groups_and_assemblies_write_reports(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    board = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "executive_board")
    refused = admin.post(f"{BASE}/reports", json={"body_id": board["id"], "title": "Rapor", "text": "Metin"})
    assert refused.status_code == 422 and "body_id" in refused.json["errors"]

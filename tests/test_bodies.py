"""Bodies and seats: full membership for quorum, parity of decision bodies, seat rules."""

from __future__ import annotations

import pytest

BASE = "/api/v1/councils/izmir/bodies"


@pytest.fixture
def council(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    member = api(world.token(world.user("uye@izmir.example.org", roles={council: "member"}), council))
    people = {}
    for name, gender in [("Ayşe Kaya", "female"), ("Zeynep Ak", "female"), ("Mehmet Er", "male"),
                         ("Can Demir", "male"), ("Ali Veli", "male")]:
        people[name] = str(world.member(council, name=name, gender=gender))
    board = next(b for b in admin.get(BASE).json if b["kind"] == "executive_board")
    return {"admin": admin, "member": member, "people": people, "board": board["id"]}


def _seat(client, body, member_id, role="principal", starts_on="2026-01-01", ends_on=None):
    payload = {"member_id": member_id, "role": role, "starts_on": starts_on}
    if ends_on:
        payload["ends_on"] = ends_on
    return client.post(f"{BASE}/{body}/seats", json=payload)


def test_full_membership_counts_voting_seats_on_the_day(council):
    admin, people, board = council["admin"], council["people"], council["board"]
    assert _seat(admin, board, people["Ayşe Kaya"], "chair").status_code == 201
    _seat(admin, board, people["Mehmet Er"])
    _seat(admin, board, people["Can Demir"], ends_on="2026-06-30")
    _seat(admin, board, people["Zeynep Ak"], "substitute")
    january = admin.get(f"{BASE}/{board}?on=2026-03-01").json
    assert january["full_membership"] == 3  # the substitute does not count
    assert [s["member_name"] for s in january["seats"]][0] == "Ayşe Kaya"
    assert admin.get(f"{BASE}/{board}?on=2026-07-01").json["full_membership"] == 2
    assert admin.get(f"{BASE}/{board}?on=2025-12-31").json["full_membership"] == 0


def test_general_assembly_is_every_active_member(council):
    admin = council["admin"]
    assembly = next(b for b in admin.get(BASE).json if b["kind"] == "general_assembly")
    assert admin.get(f"{BASE}/{assembly['id']}").json["full_membership"] == 5
    refused = _seat(admin, assembly["id"], council["people"]["Ali Veli"])
    assert refused.status_code == 422 and "body" in refused.json["errors"]


def test_parity_of_a_decision_body(council):
    admin, people, board = council["admin"], council["people"], council["board"]
    for name in ("Ayşe Kaya", "Mehmet Er", "Can Demir"):
        _seat(admin, board, people[name])
    parity = admin.get(f"{BASE}/{board}?on=2026-02-01").json["parity"]
    assert parity == {"seats": 3, "women": 1, "men": 2, "share_required": 0.5, "met": True}
    _seat(admin, board, people["Ali Veli"])
    assert admin.get(f"{BASE}/{board}?on=2026-02-01").json["parity"]["met"] is False  # 1 woman of 4


def test_seat_rules(council):
    admin, people, board = council["admin"], council["people"], council["board"]
    assert _seat(admin, board, people["Ali Veli"]).status_code == 201
    twice = _seat(admin, board, people["Ali Veli"], starts_on="2026-05-01")
    assert twice.status_code == 409 and "member_id" in twice.json["errors"]
    backwards = _seat(admin, board, people["Can Demir"], starts_on="2026-05-01", ends_on="2026-04-01")
    assert "ends_on" in backwards.json["errors"]
    assert "member_id" in _seat(admin, board, "00000000-0000-0000-0000-000000000000").json["errors"]
    seat = admin.get(f"{BASE}/{board}?on=2026-02-01").json["seats"][0]
    ended = admin.post(f"{BASE}/{board}/seats/{seat['id']}/end", json={"on": "2026-03-31", "reason": "İstifa"})
    assert ended.status_code == 200 and ended.json["ends_on"] == "2026-03-31"
    assert admin.get(f"{BASE}/{board}?on=2026-04-01").json["full_membership"] == 0
    assert _seat(admin, board, people["Ali Veli"], starts_on="2026-05-01").status_code == 201  # may return


def test_a_working_group_is_proposed_by_the_board_and_approved_by_the_assembly(council):
    from datetime import UTC, date, datetime, timedelta

    from conftest import approve_by_general_assembly

    admin, member, people = council["admin"], council["member"], council["people"]
    created = admin.post(BASE, json={"kind": "working_group", "name": "Ulaşım Çalışma Grubu",
                                     "proposal": "YK 2026/12"})
    assert created.status_code == 201 and created.json["status"] == "proposed"
    group = created.json["id"]
    assert admin.post(BASE, json={"kind": "executive_board", "name": "İkinci Kurul"}).status_code == 422
    assert member.post(BASE, json={"kind": "assembly", "name": "Kadın Meclisi"}).status_code == 403
    assert [b["kind"] for b in member.get(BASE).json] == ["general_assembly", "executive_board", "working_group"]

    # Until the general assembly approves it, the group cannot meet or write reports.
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    early = admin.post("/api/v1/councils/izmir/meetings", json={"body_id": group, "title": "İlk toplantı",
                                                                "scheduled_at": when, "agenda": ["Tanışma"]})
    assert early.status_code == 409 and "body_id" in early.json["errors"]
    report = admin.post("/api/v1/councils/izmir/reports", json={"body_id": group, "title": "Rapor", "text": "x"})
    assert report.status_code == 422

    # A board decision is not an assembly decision.
    board_vote = _board_decision(council)
    wrong = admin.post(f"{BASE}/{group}/approval", json={"vote_id": board_vote})
    assert wrong.status_code == 422 and "vote_id" in wrong.json["errors"]
    assert admin.get(f"{BASE}/{group}").json["status"] == "proposed"

    approved = approve_by_general_assembly(admin, "/api/v1/councils/izmir", group, list(people.values())[:3])
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "active" and approved.json["approved_decision"].endswith("/1")
    assert admin.post(f"{BASE}/{group}/approval", json={"vote_id": board_vote}).status_code == 409  # once only
    assert admin.post("/api/v1/councils/izmir/meetings", json={
        "body_id": group, "title": "İlk toplantı", "scheduled_at": when, "agenda": ["Tanışma"]}).status_code == 201

    _seat(admin, group, people["Ayşe Kaya"], role="facilitator", starts_on="2026-01-01")
    dissolved = admin.post(f"{BASE}/{group}/dissolution", json={"on": date.today().isoformat(), "reason": "İş bitti"})
    assert dissolved.status_code == 200 and dissolved.json["status"] == "dissolved"
    assert admin.get(f"{BASE}/{group}?on={(date.today() + timedelta(days=1)).isoformat()}").json["seats"] == []
    assert admin.post(f"{BASE}/{council['board']}/dissolution",
                      json={"on": date.today().isoformat(), "reason": "x"}).status_code == 422
    actions = [e["action"] for e in admin.get("/api/v1/councils/izmir/audit").json]
    assert {"body.proposed", "body.approved", "body.dissolved"} <= set(actions)


def _board_decision(council) -> str:
    """An adopted executive-board decision (not the general assembly's)."""
    from datetime import UTC, datetime, timedelta

    admin, people, board = council["admin"], council["people"], council["board"]
    voters = list(people.values())[:3]
    for member_id in voters:
        _seat(admin, board, member_id)
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    meeting = admin.post("/api/v1/councils/izmir/meetings", json={
        "body_id": board, "title": "YK toplantısı", "scheduled_at": when, "agenda": ["Çalışma grubu önerisi"]})
    assert meeting.status_code == 201, meeting.json
    meeting = meeting.json
    admin.start_meeting(meeting["id"])
    url = f"/api/v1/councils/izmir/meetings/{meeting['id']}"
    for member_id in voters:
        admin.post(f"{url}/attendance", json={"member_id": member_id})
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": admin.get(url).json["agenda"][0]["id"]}).json
    for member_id in voters:
        admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": member_id, "choice": "yes"})
    assert admin.post(f"{url}/votes/{vote['id']}/close", json={}).json["outcome"] == "adopted"
    return vote["id"]


def test_non_members_take_part_in_working_groups_with_consent(council, world):
    from conftest import approve_by_general_assembly

    admin, member, people = council["admin"], council["member"], council["people"]
    group = admin.post(BASE, json={"kind": "working_group", "name": "Çevre Çalışma Grubu"}).json["id"]
    approve_by_general_assembly(admin, "/api/v1/councils/izmir", group, list(people.values())[:3])
    url = f"{BASE}/{group}/participants"
    no_consent = admin.post(url, json={"name": "Deniz Deniz", "email": "deniz@example.org", "consent": False})
    assert no_consent.status_code == 422 and "consent" in no_consent.json["errors"]
    bad_email = admin.post(url, json={"name": "Deniz Deniz", "email": "deniz", "consent": True})
    assert bad_email.status_code == 422 and "email" in bad_email.json["errors"]
    assert admin.get(url).json == []
    joined = admin.post(url, json={"name": "Deniz Deniz", "email": "deniz@example.org", "consent": True,
                                   "organisation": "Bisiklet Derneği", "joined_on": "2026-02-01"})
    assert joined.status_code == 201 and joined.json["consented_at"]
    assert member.post(url, json={"name": "X Y Z", "consent": True}).status_code == 403
    board = admin.post(f"{BASE}/{council['board']}/participants", json={"name": "Deniz Deniz", "consent": True})
    assert board.status_code == 422 and "body_id" in board.json["errors"]
    left = admin.post(f"{url}/{joined.json['id']}/leave", json={"on": "2026-01-01"})
    assert left.status_code == 422 and "left_on" in left.json["errors"]
    assert admin.post(f"{url}/{joined.json['id']}/leave", json={"on": "2026-06-30"}).json["left_on"] == "2026-06-30"
    assert admin.delete(f"{url}/{joined.json['id']}").status_code == 204
    assert admin.get(url).json == []
    actions = [e["action"] for e in admin.get("/api/v1/councils/izmir/audit").json]
    assert {"participant.joined", "participant.left", "participant.erased"} <= set(actions)


def test_calendar_warns_about_missing_sessions_and_ending_terms(council):
    from datetime import date, timedelta

    admin, people, board = council["admin"], council["people"], council["board"]
    soon = (date.today() + timedelta(days=20)).isoformat()
    _seat(admin, board, people["Ayşe Kaya"], starts_on="2026-01-01", ends_on=soon)
    calendar = admin.get("/api/v1/councils/izmir/calendar").json
    codes = {w["code"] for w in calendar["warnings"]}
    assert "general_assembly_sessions_missing" in codes and "term_ending" in codes
    assert calendar["general_assembly"] == {"required": 2, "held": 0, "scheduled": 0}
    assert calendar["warnings"][0]["message"]


def test_an_incomplete_executive_board_is_flagged_until_it_is_complete(app, world, api):
    """Below seven members, or without the youth assembly's president once that assembly exists: the board's
    API record says so and the dashboard warns; seating them clears both."""
    from datetime import date

    from sqlalchemy import select

    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    people = [world.member(council, name=f"Kurul Üyesi {n}", gender="female" if n % 2 else "male",
                           birth_date="2002-05-01") for n in range(8)]
    board_id = next(b["id"] for b in admin.get("/api/v1/councils/izmir/bodies").json if b["kind"] == "executive_board")
    record = admin.get(f"/api/v1/councils/izmir/bodies/{board_id}").json
    assert record["lawfully_composed"] is False and record["composition_problems"] == ["below_minimum"]
    with app.app_context(), bound_council(council):
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        for member_id in people[:7]:
            assign_seat(board, db.session.get(Member, member_id), SeatRole.PRINCIPAL, date(2026, 1, 1), None)
        db.session.commit()
    assert admin.get(f"/api/v1/councils/izmir/bodies/{board_id}").json["lawfully_composed"] is True

    world.enable(council, "youth_assembly")
    with app.app_context(), bound_council(council):
        youth = db.session.scalar(select(Body).where(Body.type_code == "youth_assembly"))
        youth_id = youth.id
    world.approve(council, youth_id)
    record = admin.get(f"/api/v1/councils/izmir/bodies/{board_id}").json
    assert record["composition_problems"] == ["president_missing:youth_assembly"]
    calendar = admin.get("/api/v1/councils/izmir/calendar").json
    assert any(w["code"] == "board_president_missing" for w in calendar["warnings"])
    with app.app_context(), bound_council(council):
        # The youth assembly elects its president, who takes the ex-officio board seat (the plugin's hook).
        assign_seat(db.session.get(Body, youth_id), db.session.get(Member, people[7]), SeatRole.CHAIR,
                    date.today(), None)
        db.session.commit()
    assert admin.get(f"/api/v1/councils/izmir/bodies/{board_id}").json["lawfully_composed"] is True


def world_council_id(world, slug):
    from sqlalchemy import select

    from konsey.tenants.db import db
    from konsey.tenants.models import Council

    with world.app.app_context():
        return db.session.scalar(select(Council.id).where(Council.slug == slug))


def test_an_approved_group_holds_a_general_assembly_seat_until_it_is_dissolved(world, council):
    """Rule 5: approving a working group or an assembly opens its general-assembly seat, bound to it, one per
    group, attended by its representative; dissolving the group ends it; the full membership follows."""
    from datetime import date, timedelta

    from conftest import approve_by_general_assembly, sitting

    admin, people = council["admin"], council["people"]
    api_base = "/api/v1/councils/izmir"
    assembly = next(b for b in admin.get(BASE).json if b["kind"] == "general_assembly")
    today = date.today().isoformat()

    def full():
        return admin.get(f"{BASE}/{assembly['id']}?on={today}").json["full_membership"]

    other = world.council("nilufer")
    other_admin_token = world.token(world.user("gs@nilufer.example.org", roles={other: "administrator"}), other)
    from support.clients import ApiClient

    neighbour = ApiClient(admin.client, other_admin_token)
    neighbour_assembly = next(b for b in neighbour.get("/api/v1/councils/nilufer/bodies").json
                              if b["kind"] == "general_assembly")
    neighbour_full = neighbour.get(f"/api/v1/councils/nilufer/bodies/{neighbour_assembly['id']}").json[
        "full_membership"]

    assert full() == 5
    group = admin.post(BASE, json={"kind": "working_group", "name": "Ulaşım Çalışma Grubu"}).json
    women = admin.post(BASE, json={"kind": "assembly", "name": "Kadın Meclisi"}).json
    assert group["general_assembly_seat_id"] is None  # proposed: no seat yet
    for body in (group, women):
        approved = approve_by_general_assembly(admin, api_base, body["id"], list(people.values()))
        assert approved.status_code == 200, approved.json
    assert full() == 7
    seat_id = admin.get(f"{BASE}/{group['id']}").json["general_assembly_seat_id"]
    seat = admin.get(f"{api_base}/members/{seat_id}").json
    assert (seat["name"], seat["category"], seat["kind"]) == ("Ulaşım Çalışma Grubu",
                                                             "working_group_representative", "institutional")
    women_seat = admin.get(f"{BASE}/{women['id']}").json["general_assembly_seat_id"]
    assert admin.get(f"{api_base}/members/{women_seat}").json["category"] == "assembly_representative"
    assert neighbour.get(f"/api/v1/councils/nilufer/bodies/{neighbour_assembly['id']}").json[
        "full_membership"] == neighbour_full  # the neighbour's general assembly did not change
    assert neighbour.get(f"/api/v1/councils/nilufer/members/{seat_id}").status_code == 404

    by_hand = admin.post(f"{api_base}/members", json={"category": "working_group_representative",
                                                      "name": "Elle Girilen Temsilci"})
    assert by_hand.status_code == 422 and "category" in by_hand.json["errors"]
    edited = admin.patch(f"{api_base}/members/{seat_id}", json={"email": "ulasim.cg@example.org"})
    assert edited.status_code == 200, edited.json  # the seat's other fields can be kept up to date
    recategorised = admin.patch(f"{api_base}/members/{seat_id}", json={"category": "association",
                                                                       "derbis_no": "35-1-1",
                                                                       "representative_name": "X"})
    assert recategorised.status_code == 422 and "category" in recategorised.json["errors"]
    person = admin.get(f"{api_base}/members").json[0]["id"]
    into_a_seat = admin.patch(f"{api_base}/members/{person}", json={"category": "assembly_representative"})
    assert into_a_seat.status_code == 422  # (its gender, or the category itself)
    from konsey.tenants.scoping import bound_council
    from konsey.usecases.base import SYSTEM, acting_as
    from konsey.usecases.members import import_members

    with world.app.app_context(), bound_council(world_council_id(world, "izmir")), acting_as(SYSTEM):
        report = import_members("kategori,ad\nçalışma grubu temsilcisi,Elle Temsilci\n".encode(), dry_run=True)
    assert any(error.field == "category" for error in report.errors)  # nor through a CSV import

    # The group's representative attends the seat under a mandate, as an institution's would, and counts.
    mandate = admin.post(f"{api_base}/members/{seat_id}/representatives", json={
        "capacity": "representative", "name": "Ayşe Kaya", "mandate_letter": "ÇG kararı 2026/1",
        "mandate_expires_on": (date.today() + timedelta(days=365)).isoformat()})
    assert mandate.status_code == 201, mandate.json
    meeting = sitting(admin, api_base, assembly["id"], [])
    attended = admin.post(f"{api_base}/meetings/{meeting}/attendance",
                          json={"member_id": seat_id, "representative_id": mandate.json["id"]})
    assert attended.status_code == 200, attended.json
    assert attended.json["quorum"]["present"] == 1 and attended.json["quorum"]["full_membership"] == 7

    # Where individual members have no vote, the groups' seats still do.
    admin.post(f"{api_base}/bylaws", json={"effective_from": (date.today() + timedelta(days=1)).isoformat(),
                                           "parameters": {"individual_members_vote_in_general_assembly": False}})
    later = (date.today() + timedelta(days=2)).isoformat()
    assert admin.get(f"{BASE}/{assembly['id']}?on={later}").json["full_membership"] == 2

    dissolved = admin.post(f"{BASE}/{group['id']}/dissolution", json={"on": today, "reason": "İş bitti"})
    assert dissolved.status_code == 200
    assert admin.get(f"{api_base}/members/{seat_id}").json["status"] == "ended"
    assert full() == 6

"""The three built-in assemblies: children's, youth and women's — each in an enabling council and absent from
its neighbour."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from support import clock

A, B = "/api/v1/councils/alpha", "/api/v1/councils/beta"


def years_ago(years: int, days: int = 0) -> str:
    return clock.years_ago(years, days=days).isoformat()


@pytest.fixture
def councils(world, api):
    alpha, beta = world.council("alpha"), world.council("beta", province=16)
    return {"alpha": alpha, "beta": beta,
            "a": api(world.token(world.user("admin@alpha.example.org", roles={alpha: "administrator"}), alpha)),
            "b": api(world.token(world.user("admin@beta.example.org", roles={beta: "administrator"}), beta))}


# --- children's assembly ------------------------------------------------------------------------------------


def test_a_child_takes_part_only_after_a_guardians_consent(app, councils, mailbox):
    admin = councils["a"]
    assert admin.post(f"{A}/plugins/children_assembly", json={"config": {"age_min": 9, "age_max": 13}}).status_code == 201
    url = f"{A}/plugins/children_assembly/children"
    guardian = {"name": "Selin Yıldız", "relation": "anne", "email": "selin@example.org"}
    too_old = admin.post(url, json={"name": "Deniz Y.", "birth_date": years_ago(15), "guardian": guardian})
    assert too_old.status_code == 422 and "birth_date" in too_old.json["errors"]
    no_guardian = admin.post(url, json={"name": "Deniz Y.", "birth_date": years_ago(11)})
    assert no_guardian.status_code == 422 and "guardian" in no_guardian.json["errors"]
    assert admin.get(url).json == []

    ece = admin.post(url, json={"name": "Ece Yıldız", "birth_date": years_ago(11), "guardian": guardian}).json
    can = admin.post(url, json={"name": "Can Ak", "birth_date": years_ago(12),
                                "guardian": {"name": "Ali Ak", "relation": "baba"}}).json
    assert ece["status"] == "awaiting_consent"
    # Without consent the child cannot take part, e.g. be elected.
    pending = admin.post(f"{A}/plugins/children_assembly/officers",
                         json={"office": "president", "votes": {ece["id"]: 5}})
    assert pending.status_code == 422 and "child_id" in pending.json["errors"]

    future = admin.post(f"{url}/{ece['id']}/consent", json={
        "guardian_name": "Selin Yıldız", "relation": "anne", "given_on": (date.today() + timedelta(days=2)).isoformat(),
        "method": "written_form"})
    assert future.status_code == 422 and "given_on" in future.json["errors"]
    for child in (ece, can):
        consented = admin.post(f"{url}/{child['id']}/consent", json={
            "guardian_name": child["guardian_name"], "relation": child["guardian_relation"],
            "given_on": date.today().isoformat(), "method": "in_person"})
        assert consented.json["status"] == "active"
    assert admin.post(f"{url}/{ece['id']}/consent", json={
        "guardian_name": "Selin Yıldız", "relation": "anne", "given_on": date.today().isoformat(),
        "method": "in_person"}).status_code == 422  # once

    president = admin.post(f"{A}/plugins/children_assembly/officers",
                           json={"office": "president", "votes": {ece["id"]: 6, can["id"]: 4}})
    assert president.status_code == 200 and president.json["officer"] == "president"
    tie = admin.post(f"{A}/plugins/children_assembly/officers",
                     json={"office": "secretary", "votes": {ece["id"]: 5, can["id"]: 5}})
    assert tie.status_code == 422

    # Never public by name, and the federation sees a count only.
    public = app.test_client().get("/alpha/public").get_data(as_text=True)
    assert "Ece" not in public and "Can Ak" not in public
    from konsey.core.plugins import indicator_values
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(councils["alpha"]):
        assert indicator_values()["children_assembly_members"] == 2
    # The neighbour has no children's assembly at all.
    assert councils["b"].get(f"{B}/plugins/children_assembly/children").status_code == 404
    assert councils["b"].get(f"{A}/plugins/children_assembly/children").status_code == 404


def test_children_age_out_on_their_birthday_and_the_guardian_is_told(sqlite_app, world, mailbox):
    from konsey.plugins.children_assembly.models import Child, ChildStatus, age_out
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("alpha")
    world.enable(council, "children_assembly", {"age_max": 14})
    world.child(council)  # eleven
    with sqlite_app.app_context(), bound_council(council):
        child = db.session.scalar(db.select(Child))
        child.birth_date = clock.years_ago(15)  # fifteen today (on a 29 February: since yesterday)
        db.session.commit()
        birthday = child.birth_date.replace(year=child.birth_date.year + 15)
        assert [c.name for c in age_out(birthday - timedelta(days=1))] == []  # still fourteen the day before
        aged = age_out()
        db.session.commit()
        assert [c.status for c in aged] == [ChildStatus.AGED_OUT]
    notices = mailbox.wait_for(1)
    assert [m["To"] for m in notices] == ["selin@example.org"]  # the guardian, never the child
    assert "Ece" in notices[0].get_body(("plain",)).get_content()


def test_children_by_school_grade_where_the_council_prefers(app, councils):
    admin = councils["a"]
    admin.post(f"{A}/plugins/children_assembly", json={"config": {"use_school_grades": True}})
    url = f"{A}/plugins/children_assembly/children"
    guardian = {"name": "Selin Yıldız", "relation": "anne"}
    assert admin.post(url, json={"name": "Ece Y.", "school_grade": 9, "guardian": guardian}).status_code == 422
    assert admin.post(url, json={"name": "Ece Y.", "school_grade": 5, "guardian": guardian}).status_code == 201


# --- youth assembly -----------------------------------------------------------------------------------------


def test_youth_assembly_age_band_election_and_ex_officio_board_seat(app, world, councils):
    from conftest import approve_by_general_assembly

    admin = councils["a"]
    admin.post(f"{A}/plugins/youth_assembly", json={"config": {"age_min": 15, "age_max": 24}})
    youth = next(b for b in admin.get(f"{A}/bodies").json if b["name"] == "Gençlik Meclisi")
    voters = [str(world.member(councils["alpha"], name=f"Genel Kurul {i}")) for i in range(3)]
    assert approve_by_general_assembly(admin, A, youth["id"], voters).json["status"] == "active"
    seats = f"{A}/bodies/{youth['id']}/seats"
    old = str(world.member(councils["alpha"], name="Kemal Yaşlı", birth_date=years_ago(40)))
    unknown_age = str(world.member(councils["alpha"], name="Yaşı Bilinmeyen"))
    young = [str(world.member(councils["alpha"], name=n, gender=g, birth_date=years_ago(a)))
             for n, g, a in [("Elif Genç", "female", 19), ("Mert Genç", "male", 22), ("Zehra Genç", "female", 17)]]
    too_old = admin.post(seats, json={"member_id": old, "role": "principal", "starts_on": date.today().isoformat()})
    assert too_old.status_code == 422 and "15" in str(too_old.json["errors"]["member_id"])
    assert admin.post(seats, json={"member_id": unknown_age, "role": "principal",
                                   "starts_on": date.today().isoformat()}).status_code == 422
    for member_id in young:
        assert admin.post(seats, json={"member_id": member_id, "role": "principal",
                                       "starts_on": date.today().isoformat()}).status_code == 201

    start = (date.today() + timedelta(days=20)).isoformat()
    election = admin.post(f"{A}/elections", json={"electing_body_id": youth["id"], "target_body_id": youth["id"],
                                                  "office": "president", "term_start": start}).json
    url = f"{A}/elections/{election['id']}"
    outsider = admin.post(f"{url}/candidates", json={"member_id": voters[0]})
    assert outsider.status_code == 422 and "member_id" in outsider.json["errors"]
    for member_id in young[:2]:
        assert admin.post(f"{url}/candidates", json={"member_id": member_id}).status_code == 201
    from conftest import sitting

    decided = admin.post(f"{url}/rounds", json={"votes": {young[0]: 3, young[1]: 0},
                                                "meeting_id": sitting(admin, A, youth["id"], young)})
    assert decided.status_code == 200, decided.json
    assert decided.json["winner"] == young[0]
    board = next(b for b in admin.get(f"{A}/bodies").json if b["kind"] == "executive_board")
    board_seats = admin.get(f"{A}/bodies/{board['id']}?on={start}").json["seats"]
    assert [(s["member_id"], s["role"]) for s in board_seats] == [(young[0], "ex_officio")]


def test_youth_president_keeps_off_the_board_where_the_bylaws_say_so(app, world, councils):
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat, seats_on
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases.base import SYSTEM, acting_as
    from konsey.usecases.bylaws import adopt_version

    world.enable(councils["alpha"], "youth_assembly")
    young = world.member(councils["alpha"], name="Elif Genç", birth_date=date(date.today().year - 20, 1, 1))
    start = date.today() + timedelta(days=5)
    with app.app_context(), bound_council(councils["alpha"]):
        with acting_as(SYSTEM):
            # The one switch: the by-laws' list of assemblies whose president sits on the board, without it.
            adopt_version({"executive_board_ex_officio_assemblies": ["disabled_assembly", "womens_assembly"]},
                          date.today() + timedelta(days=1))
        youth = db.session.scalar(db.select(Body).where(Body.type_code == "youth_assembly"))
        assign_seat(youth, db.session.get(Member, young), SeatRole.CHAIR, start, None)
        board = db.session.scalar(db.select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        assert seats_on(board, start) == []
        db.session.rollback()


def test_youth_members_age_out(sqlite_app, world):
    from konsey.core.bodies import Body
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat, seats_on
    from konsey.pluginkit import plugin_config
    from konsey.plugins.youth_assembly.band import BAND
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("alpha")
    world.enable(council, "youth_assembly", {"age_max": 24})
    birthday = clock.years_ago(25)
    member = world.member(council, name="Mert Genç", birth_date=(birthday + timedelta(days=1)).isoformat())
    with sqlite_app.app_context(), bound_council(council):
        youth = db.session.scalar(db.select(Body).where(Body.type_code == "youth_assembly"))
        assign_seat(youth, db.session.get(Member, member), SeatRole.PRINCIPAL, date.today() - timedelta(days=30), None)
        settings = plugin_config("youth_assembly")
        assert BAND.end_aged_out_seats(youth, settings) == 0  # 24 until tomorrow
        assert BAND.end_aged_out_seats(youth, settings, date.today() + timedelta(days=1)) == 1
        assert seats_on(youth, date.today() + timedelta(days=2)) == []
        db.session.rollback()


# --- women's assembly ---------------------------------------------------------------------------------------


def test_womens_assembly_membership_monitor_and_impact_note(app, world, councils):
    admin = councils["a"]
    admin.post(f"{A}/plugins/womens_assembly", json={})
    body = next(b for b in admin.get(f"{A}/bodies").json if b["name"] == "Kadın Meclisi")
    seats = f"{A}/bodies/{body['id']}/seats"
    man = str(world.member(councils["alpha"], name="Mehmet Er", gender="male", neighbourhood="Alsancak"))
    elsewhere = str(world.member(councils["alpha"], name="Ayla Uzak", gender="female"))
    ayse = str(world.member(councils["alpha"], name="Ayşe Kaya", gender="female", neighbourhood="Alsancak"))
    today = date.today().isoformat()
    refused = admin.post(seats, json={"member_id": man, "role": "principal", "starts_on": today})
    assert refused.status_code == 422 and "member_id" in refused.json["errors"]
    assert admin.post(seats, json={"member_id": elsewhere, "role": "principal", "starts_on": today}).status_code == 422
    assert admin.post(seats, json={"member_id": ayse, "role": "principal", "starts_on": today}).status_code == 201

    # The monitor: a board of three men breaks parity and is listed.
    board = next(b for b in admin.get(f"{A}/bodies").json if b["kind"] == "executive_board")
    for i in range(3):
        member_id = str(world.member(councils["alpha"], name=f"Erkek {i}", gender="male"))
        admin.post(f"{A}/bodies/{board['id']}/seats", json={"member_id": member_id, "role": "principal",
                                                          "starts_on": "2026-01-01"})
    monitor = admin.get(f"{A}/plugins/womens_assembly/monitor").json
    rows = {row["name"]: row for row in monitor["bodies"]}
    assert rows["Yürütme Kurulu"]["women"] == 0 and rows["Yürütme Kurulu"]["met"] is False
    assert rows["Kadın Meclisi"]["share"] == 1.0
    assert [b["name"] for b in monitor["breaches"]] == ["Yürütme Kurulu"]
    assert councils["b"].get(f"{B}/plugins/womens_assembly/monitor").status_code == 404


def test_gender_impact_note_travels_with_the_motion(app, world, councils):
    from sqlalchemy import select

    from konsey.core.motions import Motion, adopt
    from konsey.core.plugins import package_files
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    world.enable(councils["alpha"], "womens_assembly")
    member = world.member(councils["alpha"], name="Ayşe Kaya")
    world.body_with_seat(councils["alpha"], member)
    refs = world.meeting_with_vote(councils["alpha"], member)
    from konsey.core import votes
    from konsey.core.bodies import Body
    from konsey.core.meetings import Choice, Meeting, Vote
    from konsey.core.membership import Member

    with app.app_context(), bound_council(councils["alpha"]):
        vote = db.session.get(Vote, refs["vote_a"])
        meeting = db.session.get(Meeting, refs["meeting_a"])
        body = db.session.get(Body, meeting.body_id)
        votes.cast(vote, meeting, body, db.session.get(Member, member), Choice.YES)
        votes.close_vote(vote, meeting, body)
        motion = adopt(vote, "Kadın sığınma evi", "Metin")
        db.session.commit()
        motion_id = motion.id
    url = f"{A}/plugins/womens_assembly/motions/{motion_id}/impact-note"
    assert councils["a"].put(url, json={"text": "kısa", "author": "Kadın Meclisi"}).status_code == 422
    note = councils["a"].put(url, json={"text": "Bu önerge kadınların kente erişimini doğrudan güçlendirir.",
                                        "author": "Kadın Meclisi"})
    assert note.status_code == 200
    with app.app_context(), bound_council(councils["alpha"]):
        files = package_files(db.session.scalar(select(Motion).where(Motion.id == motion_id)))
        assert [f.name for f in files] == ["cinsiyet-etki-notu.txt"]
        assert "erişimini" in files[0].content.decode()
    # The neighbour cannot reach the motion through its own (disabled) assembly.
    assert councils["b"].put(url.replace("alpha", "beta"), json={"text": "x" * 30, "author": "X"}).status_code == 404


def test_the_childrens_assembly_forwards_a_proposal_through_its_representative(app, world, councils):
    admin = councils["a"]
    admin.post(f"{A}/plugins/children_assembly", json={})
    url = f"{A}/plugins/children_assembly/proposals"
    proposal = {"title": "Okul yollarına kaldırım", "text": "Okula giden yollara güvenli kaldırım yapılsın.",
                "representative": "Öğretmen Ayla Demir"}
    early = admin.post(url, json=proposal)
    assert early.status_code == 409  # the general assembly has not approved the assembly yet
    body = next(b for b in admin.get(f"{A}/bodies").json if b["name"] == "Çocuk Meclisi")
    world.approve(councils["alpha"], __import__("uuid").UUID(body["id"]))
    assert admin.post(url, json={**proposal, "text": "kısa"}).status_code == 422
    sent = admin.post(url, json=proposal)
    assert sent.status_code == 201 and sent.json["status"] == "sent_to_board"
    report = next(r for r in admin.get(f"{A}/reports").json if r["id"] == sent.json["id"])
    assert report["body_id"] == body["id"] and "Ayla Demir" in report["versions"][-1]["text"]
    assert councils["b"].post(url.replace("alpha", "beta"), json=proposal).status_code == 404


def test_the_womens_assembly_president_takes_her_board_seat_as_the_regulation_says(app, world, councils):
    """The women's assembly was on the by-laws' list of assemblies whose president sits on the board, with nothing
    to seat her: the board was reported short of her until she was seated by hand. The assembly kit seats her."""
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat, board_composition, seats_on
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    world.enable(councils["alpha"], "womens_assembly")
    ayse = world.member(councils["alpha"], name="Ayşe Kadın", gender="female", neighbourhood="Alsancak")
    start = clock.council_today() + timedelta(days=5)
    with app.app_context(), bound_council(councils["alpha"]):
        women = db.session.scalar(db.select(Body).where(Body.type_code == "womens_assembly"))
        assign_seat(women, db.session.get(Member, ayse), SeatRole.CHAIR, start, None)
        board = db.session.scalar(db.select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        assert [(s.member_id, s.role) for s in seats_on(board, start)] == [(ayse, SeatRole.EX_OFFICIO)]
        from konsey.core.bylaws import parameters_on

        women.status = type(women.status)("active")
        composition = board_composition(start, parameters_on(start))
        assert women not in composition["missing_presidents"]
        db.session.rollback()


def test_an_age_band_without_an_upper_bound_is_only_the_elders_and_a_childs_refused_form_is_not_kept(
        app, world, councils):
    admin = councils["a"]
    no_upper = admin.post(f"{A}/plugins/youth_assembly", json={"config": {"age_max": None}})
    assert no_upper.status_code == 422 and "age_max" in str(no_upper.json["errors"])
    elders = admin.post(f"{A}/plugins/elders_assembly", json={"config": {"age_min": 65, "age_max": 90}})
    assert elders.status_code == 422  # nobody ages out of the elders' assembly: it has no oldest age

    from conftest import login

    admin.post(f"{A}/plugins/children_assembly", json={"config": {}})
    client = app.test_client()
    login(client, "admin@alpha.example.org")
    refused = client.post("/alpha/p/children_assembly/children", data={
        "name": "Ece Yıldız", "birth_date": years_ago(30), "guardian_name": "Selin Yıldız",
        "guardian_relation": "anne", "guardian_email": "selin@example.org"})
    assert refused.status_code == 302, refused.get_data(as_text=True)[-3000:]
    with client.session_transaction() as session:
        assert "konsey_kept_input" not in session  # a child's name and birth date never ride in the cookie
    assert "Ece Yıldız" not in client.get("/alpha/p/children_assembly/").get_data(as_text=True)


def test_the_childrens_pages_say_every_refusal_on_the_page(app, world, councils):
    """A refusal the assembly's rules make (a child outside the band) is said on the page it came from, not a
    bare error page (the rules raised marshmallow's error, which the page's helper does not take for a refusal)."""
    from conftest import login

    councils["a"].post(f"{A}/plugins/children_assembly", json={"config": {}})
    client = app.test_client()
    login(client, "admin@alpha.example.org")
    refused = client.post("/alpha/p/children_assembly/children", data={
        "name": "Ece Yıldız", "birth_date": years_ago(30), "guardian_name": "Selin Yıldız",
        "guardian_relation": "anne"}, follow_redirects=True)
    shown = refused.get_data(as_text=True)
    assert refused.status_code == 200 and "9–14" in shown and "30" in shown

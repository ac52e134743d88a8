"""The secretariat's remaining jobs on pages: a body approved by a general-assembly decision picked from a
list and dissolved, a session request linked to its meeting, the motion's package, a municipal answer with
a real date, the dashboard's to-do list, the application review's order, the children's and women's
assemblies' jobs, and the meeting's time as the council's clock shows it. Each through the API's use case;
a bad form changes nothing; another council's ids are not found."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from conftest import login
from support.world import sitting_now


def _in(app, council, fn):
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        return fn()


def _ga_decision(app, world, council) -> str:
    """An adopted general-assembly decision (its vote's id)."""
    from konsey.core import meetings, votes
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.tenants.db import db

    member_id = world.member(council, name="Genel Kurul Üyesi")

    def decide():
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        when, called = sitting_now()
        meeting = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Genel Kurul", when, None,
                                    ["Çalışma grubunun onayı"], now=called)
        member = db.session.get(Member, member_id)
        meetings.check_in(meeting, member, online=False)
        item = db.session.scalar(select(meetings.AgendaItem).where(meetings.AgendaItem.meeting_id == meeting.id))
        vote = votes.open_vote(meeting, assembly, item, meetings.VoteKind.OPEN)
        votes.cast(vote, meeting, assembly, member, meetings.Choice.YES)
        votes.close_vote(vote, meeting, assembly)
        db.session.commit()
        return vote.id

    return _in(app, council, decide)


def test_a_working_group_is_approved_by_a_decision_from_the_list_then_dissolved(app, world, secretary):
    from konsey.core.bodies import Body
    from konsey.tenants.db import db

    client = secretary["client"]
    client.post("/izmir/bodies/", data={"kind": "working_group", "name": "Ulaşım Çalışma Grubu"})
    group = _in(app, secretary["council"], lambda: db.session.scalar(select(Body).where(Body.status == "proposed")))
    waiting = client.get(f"/izmir/bodies/{group.id}").get_data(as_text=True)
    assert "approve-vote" not in waiting and "henüz karar almadı" in waiting.lower() or "no decision" in waiting
    vote_id = _ga_decision(app, world, secretary["council"])
    page = client.get(f"/izmir/bodies/{group.id}").get_data(as_text=True)
    assert f'value="{vote_id}"' in page and "Çalışma grubunun onayı" in page
    client.post(f"/izmir/bodies/{group.id}/approval", data={"vote_id": str(vote_id)})
    assert _in(app, secretary["council"], lambda: db.session.get(Body, group.id).status.value) == "active"
    refused = client.post(f"/izmir/bodies/{group.id}/dissolution", data={"on": "2026-12-31"}, follow_redirects=True)
    assert refused.status_code == 200
    assert _in(app, secretary["council"], lambda: db.session.get(Body, group.id).status.value) == "active"
    client.post(f"/izmir/bodies/{group.id}/dissolution", data={"on": date.today().isoformat(), "reason": "Görev bitti"})
    assert _in(app, secretary["council"], lambda: db.session.get(Body, group.id).status.value) == "dissolved"


def test_another_councils_decision_cannot_approve_a_body(app, world, secretary):
    from konsey.core.bodies import Body
    from konsey.tenants.db import db

    other = world.council("nilufer", province=16)
    foreign_vote = _ga_decision(app, world, other)
    client = secretary["client"]
    client.post("/izmir/bodies/", data={"kind": "working_group", "name": "Ulaşım Çalışma Grubu"})
    group = _in(app, secretary["council"], lambda: db.session.scalar(select(Body).where(Body.status == "proposed")))
    answer = client.post(f"/izmir/bodies/{group.id}/approval", data={"vote_id": str(foreign_vote)},
                         follow_redirects=True)
    assert "karar" in answer.get_data(as_text=True).lower()
    assert _in(app, secretary["council"], lambda: db.session.get(Body, group.id).status.value) == "proposed"


def test_an_application_offers_only_the_next_step(app, world, secretary):
    client = secretary["client"]
    application = world.application(secretary["council"], name="Selin Kara", phone="0532 000 00 00")
    listing = client.get("/izmir/applications/").get_data(as_text=True)
    assert f"/applications/{application}/review" in listing and f"/applications/{application}/approve" not in listing
    assert "0532 000 00 00" in listing  # what the applicant gave, for the review
    early = client.post(f"/izmir/applications/{application}/approve", follow_redirects=True,
                        headers={"Accept-Language": "tr"})
    assert "Önce incelemeyi başlatın" in early.get_data(as_text=True)
    reviewing = client.post(f"/izmir/applications/{application}/review", follow_redirects=True).get_data(as_text=True)
    assert "incelemede" in reviewing and "kaydedildi" not in reviewing  # the step taken, not a bare "saved"
    listing = client.get("/izmir/applications/").get_data(as_text=True)
    assert f"/applications/{application}/approve" in listing and f"/applications/{application}/review" not in listing
    approved = client.post(f"/izmir/applications/{application}/approve", data={"decision_reference": "YK 2026/9"},
                           follow_redirects=True).get_data(as_text=True)
    assert "onaylandı" in approved and "incelemede" not in approved


def test_the_municipal_answer_takes_a_date_never_free_text(app, world, secretary):
    from conftest import adopted_motion
    from konsey.core.motions import Motion
    from konsey.tenants.db import db

    motion_id = adopted_motion(app, world, secretary["council"])
    client = secretary["client"]
    client.post(f"/izmir/motions/{motion_id}/status", data={"status": "delivered",
                                                            "delivered_on": date.today().isoformat()})
    page = client.get(f"/izmir/motions/{motion_id}").get_data(as_text=True)
    assert 'id="a-date" type="date"' in page
    refused = client.post(f"/izmir/motions/{motion_id}/answer", follow_redirects=True,
                          data={"answer": "accepted", "municipal_decision_date": "12/31/2026 abc"})
    assert refused.status_code == 200
    assert _in(app, secretary["council"], lambda: db.session.get(Motion, motion_id).answer) is None
    client.post(f"/izmir/motions/{motion_id}/answer", data={"answer": "accepted",
                                                            "municipal_decision_date": date.today().isoformat(),
                                                            "municipal_decision_number": "2026/611"})
    page = client.get(f"/izmir/motions/{motion_id}").get_data(as_text=True)
    assert date.today().strftime("%d.%m.%Y") in page and "2026/611" in page


def test_the_motions_package_downloads_from_its_page(app, world, secretary):
    from conftest import adopted_motion

    motion_id = adopted_motion(app, world, secretary["council"])
    package = secretary["client"].get(f"/izmir/motions/{motion_id}/package.zip")
    assert package.status_code == 200 and package.mimetype == "application/zip"
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(package.data)).namelist()


def test_a_session_request_is_linked_to_its_extraordinary_assembly(app, world, secretary):
    from konsey.core import meetings
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.session_requests import SessionRequest
    from konsey.tenants.db import db

    signer = world.member(secretary["council"], name="İmzalayan Üye")
    request_id = world.session_request(secretary["council"])
    page = secretary["client"].get("/izmir/session-requests/").get_data(as_text=True)
    assert f"/session-requests/{request_id}/meeting" not in page  # still collecting signatures
    secretary["client"].post(f"/izmir/session-requests/{request_id}/signatures", data={"member_id": str(signer)})

    def call():
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        meeting = meetings.schedule(assembly, meetings.MeetingKind.EXTRAORDINARY, "Olağanüstü Genel Kurul",
                                    datetime.now(UTC) + timedelta(days=20), None, ["Talep"])
        db.session.commit()
        return meeting.id

    meeting_id = _in(app, secretary["council"], call)
    page = secretary["client"].get("/izmir/session-requests/").get_data(as_text=True)
    assert f'value="{meeting_id}"' in page
    secretary["client"].post(f"/izmir/session-requests/{request_id}/meeting", data={"meeting_id": str(meeting_id)})
    linked = _in(app, secretary["council"], lambda: db.session.get(SessionRequest, request_id).meeting_id)
    assert linked == meeting_id


def test_the_dashboard_says_what_needs_doing_and_the_first_steps(app, world, secretary):
    client = secretary["client"]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "tr"
    fresh = client.get("/izmir/").get_data(as_text=True)
    assert 'data-testid="getting-started"' in fresh and "başvuru" not in fresh.split('data-testid="todo"')[1][:2000]
    world.application(secretary["council"])
    world.application(secretary["council"], name="İkinci Başvuran")
    page = client.get("/izmir/").get_data(as_text=True)
    assert "2 üyelik başvurusu karar bekliyor." in page
    # A viewer is not sent to the applications they may not decide.
    world.user("viewer@izmir.example.org", roles={secretary["council"]: "viewer"})
    viewer = app.test_client()
    login(viewer, "viewer@izmir.example.org")
    viewer.environ_base["HTTP_ACCEPT_LANGUAGE"] = "tr"
    seen = viewer.get("/izmir/").get_data(as_text=True)
    assert "üyelik başvurusu" not in seen and 'data-testid="getting-started"' not in seen


def test_sign_in_lands_on_the_persons_own_start(app, world):
    izmir = world.council("izmir")
    nilufer = world.council("nilufer", province=16)
    world.user("one@example.org", roles={izmir: "administrator"})
    world.user("two@example.org", roles={izmir: "viewer", nilufer: "viewer"})
    world.user("ops@example.org", platform_role="operator")
    world.user("analyst@example.org", platform_role="federation_analyst")
    expected = {"one@example.org": "/izmir/", "two@example.org": "/", "ops@example.org": "/operator/",
                "analyst@example.org": "/federation/"}
    for email, start in expected.items():
        client = app.test_client()
        assert login(client, email).headers["Location"].endswith("/start")
        assert client.get("/start").headers["Location"] == start, email


def test_a_meeting_called_for_18_00_is_18_00_everywhere(app, world, secretary):
    from konsey.core.meetings import Meeting
    from konsey.tenants.db import db

    day = date.today() + timedelta(days=5)
    world.member(secretary["council"], name="Davetli Üye", email="davetli@example.org")
    client = secretary["client"]
    page = client.get("/izmir/meetings/").get_data(as_text=True)
    body_id = re.search(r'<option value="([0-9a-f-]{36})"[^>]*>Genel Kurul', page).group(1)
    client.post("/izmir/meetings/", data={"body_id": body_id, "kind": "ordinary", "title": "Aralık",
                                          "date": day.isoformat(), "time": "18:00", "agenda": "Gündem"})
    meeting = _in(app, secretary["council"], lambda: db.session.scalar(select(Meeting)))
    assert meeting.scheduled_at.astimezone(UTC).hour == 15  # İstanbul is UTC+3 all year
    desk = client.get(f"/izmir/meetings/{meeting.id}").get_data(as_text=True)
    assert f"{day.strftime('%d.%m.%Y')} 18:00" in desk
    from pypdf import PdfReader

    minutes = client.get(f"/izmir/meetings/{meeting.id}/minutes.pdf").data
    assert f"{day.strftime('%d.%m.%Y')} 18:00" in PdfReader(io.BytesIO(minutes)).pages[0].extract_text()
    # The invitation's text and its calendar file say the same hour.
    from icalendar import Calendar

    from konsey.core import meeting_calendars, notifications
    from konsey.core.bodies import Body
    from konsey.tenants.models import Council

    def invite():
        notifications.meeting_invitations(meeting.id, "test-invitation")
        db.session.commit()
        note = db.session.scalar(select(notifications.Notification))
        calendar = meeting_calendars.invitation(meeting, db.session.get(Body, meeting.body_id),
                                                db.session.get(Council, meeting.council_id))
        return note.body, Calendar.from_ical(calendar)

    text, calendar = _in(app, secretary["council"], invite)
    assert f"{day.strftime('%d.%m.%Y')} 18:00" in text
    start = calendar.walk("VEVENT")[0]["DTSTART"].dt
    assert start.utcoffset() == timedelta(0) and (start.hour, start.minute) == (15, 0)  # 18:00 in İstanbul


def test_the_childrens_assembly_elects_forwards_and_erases_on_its_page(app, world, secretary):
    from konsey.plugins.children_assembly.models import Child
    from konsey.tenants.db import db

    world.enable(secretary["council"], "children_assembly")
    child = world.child(secretary["council"])
    client = secretary["client"]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "tr"
    page = client.get("/izmir/p/children_assembly/").get_data(as_text=True)
    assert f'name="votes-{child["child_a"]}"' in page
    client.post("/izmir/p/children_assembly/officers", data={"office": "president", f"votes-{child['child_a']}": "7"})
    assert _in(app, secretary["council"], lambda: db.session.get(Child, child["child_a"]).officer.value) == "president"
    refused = client.post("/izmir/p/children_assembly/proposals", data={"title": "Park", "text": "kısa"},
                          follow_redirects=True).get_data(as_text=True)
    assert "{" not in refused.split("<main")[1].split("</main>")[0]  # lines, not a dict
    from konsey.core.bodies import Body

    assembly = _in(app, secretary["council"], lambda: db.session.scalar(
        select(Body.id).where(Body.type_code == "children_assembly")))
    world.approve(secretary["council"], assembly)  # the general assembly approved the children's assembly
    client.post("/izmir/p/children_assembly/proposals", data={"title": "Okul yolu", "representative": "Deniz Öğretmen",
                                                              "text": "Okul önüne yaya geçidi yapılsın."})
    from konsey.core.reports import Report

    assert _in(app, secretary["council"], lambda: db.session.scalar(select(func.count(Report.id)))) == 1
    client.post(f"/izmir/p/children_assembly/children/{child['child_a']}/erase")
    assert _in(app, secretary["council"], lambda: db.session.get(Child, child["child_a"])) is None


def test_a_childs_guardian_e_mail_error_is_a_sentence(app, world, secretary):
    world.enable(secretary["council"], "children_assembly")
    client = secretary["client"]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "tr"
    answer = client.post("/izmir/p/children_assembly/children", follow_redirects=True,
                         data={"name": "Ece", "guardian_name": "Selin Yıldız", "guardian_relation": "anne",
                               "guardian_email": "not-mail"}).get_data(as_text=True)
    assert "Geçerli bir e-posta adresi" in answer and "guardian:" not in answer and "{'email'" not in answer


def test_the_womens_assembly_attaches_a_note_to_a_motion(app, world, secretary):
    from conftest import adopted_motion

    world.enable(secretary["council"], "womens_assembly")
    motion_id = adopted_motion(app, world, secretary["council"])
    client = secretary["client"]
    assert f'value="{motion_id}"' in client.get("/izmir/p/womens_assembly/").get_data(as_text=True)
    client.post("/izmir/p/womens_assembly/impact-notes", data={"motion_id": str(motion_id),
                                                               "text": "Aydınlatma kadınların güvenliğini artırır.",
                                                               "author": "Kadın Meclisi"})
    from konsey.plugins.womens_assembly.models import GenderImpactNote
    from konsey.tenants.db import db

    assert _in(app, secretary["council"], lambda: db.session.scalar(select(GenderImpactNote.text))).startswith("Aydınlatma")


def test_the_meeting_form_offers_the_bodies_that_can_meet_the_general_assembly_first(app, world, secretary):
    """A proposed body cannot meet, so the form does not offer it (it once was the default choice)."""
    client = secretary["client"]
    client.post("/izmir/bodies/", data={"kind": "working_group", "name": "Önerilen Ulaşım Grubu"})
    page = client.get("/izmir/meetings/").get_data(as_text=True)
    select_box = page[page.index('<select id="body_id"'):]
    select_box = select_box[:select_box.index("</select>")]
    options = re.findall(r"<option [^>]*>([^<]+)</option>", select_box)
    # Nothing chosen for the secretary who did not look; the general assembly heads the list.
    assert options[:2] == ["Seçin…", "Genel Kurul"] and "Önerilen Ulaşım Grubu" not in options
    assert "Yürütme Kurulu" in options and '<option value="">' in select_box


def test_the_dashboard_tells_the_truth_about_by_laws_and_delivery(app, world, secretary, api):
    """The version in force today (not one adopted for next week); "where motions are delivered" ticked once
    the council has an address for them (given at onboarding), as the delivery itself then uses it."""
    council = secretary["council"]
    admin = api(world.token(world.user("bylaws@izmir.example.org", roles={council: "administrator"}), council))
    next_week = (date.today() + timedelta(days=7)).isoformat()
    assert admin.post("/api/v1/councils/izmir/bylaws", json={"effective_from": next_week, "parameters": {
        "executive_board_min_size": 11}}).status_code == 201
    page = secretary["client"].get("/izmir/").get_data(as_text=True)
    first_steps = page.split('data-testid="getting-started"')[1].split("</ol>")[0]
    delivered = next(line for line in first_steps.split("<li") if "Önergelerin nereye" in line)
    assert 'class="done"' in delivered, delivered
    in_force = page.split("Yürütme Kurulu üye sayısı</dt><dd>")[1].split("<")[0]
    assert in_force == "7"  # next week's 11 is not yet the rule
    assert f"{(date.today() + timedelta(days=7)).strftime('%d.%m.%Y')} tarihinden beri" not in page


def test_the_first_steps_are_ticked_from_the_facts_the_pages_show(app, world, secretary):
    """"Seat the executive board" is done when someone sits on it today (an ended seat once ticked it); "invite the
    people who work with you" when someone besides the administrator has a role (one person's second role once
    ticked it)."""
    from datetime import date, timedelta

    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council, client = secretary["council"], secretary["client"]
    member = world.member(council, name="Eski Yönetici")
    with app.app_context(), bound_council(council):
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        assign_seat(board, db.session.get(Member, member), SeatRole.PRINCIPAL, date.today() - timedelta(days=800),
                    date.today() - timedelta(days=70))
        db.session.commit()
    with app.app_context():  # the same person, a second role
        from konsey.core.accounts import CouncilRoleName, find_user_by_email, grant_role

        grant_role(find_user_by_email("gs@izmir.example.org"), council, CouncilRoleName.PRESIDENT)
        db.session.commit()

    def steps() -> dict:
        page = client.get("/izmir/").get_data(as_text=True)
        section = page[page.index('data-testid="getting-started"'):]
        return {text: "done" in before for before, text in re.findall(r'<li class="([^"]*)">.*?<a [^>]*>([^<]+)</a>',
                                                                          section[:section.index("</ol>")])}

    shown = steps()
    assert shown["Yürütme kurulunu oluşturun"] is False and shown["Birlikte çalıştığınız kişileri davet edin"] is False

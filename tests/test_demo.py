"""The demo councils of `serve` come alive: a year of meetings with numbered decisions, a working group and its
report, motions answered, overdue and pending, applications waiting, money, meetings coming up; and the
councils differ, so that the federation has something to compare."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select


def test_each_demo_council_has_a_year_of_life(sqlite_app):
    from konsey.app.demo import COUNCILS, seed_demo
    from konsey.core.applications import MembershipApplication
    from konsey.core.bodies import Body, BodyKind, BodyStatus
    from konsey.core.meetings import Meeting, MeetingStatus, Vote
    from konsey.core.membership import Member
    from konsey.core.money import Expense
    from konsey.core.motions import Motion, MotionStatus, is_overdue
    from konsey.core.outbox import OutboxEvent
    from konsey.core.reports import Report
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    with sqlite_app.app_context():
        lines = seed_demo()
        assert len(lines) == 3 and all("decisions" in line for line in lines)
        assert seed_demo() == []  # a second start seeds nothing
        sizes = set()
        for slug, *_ in COUNCILS:
            council = db.session.scalar(select(Council).where(Council.slug == slug))
            with bound_council(council.id):
                count = lambda model, *where: db.session.scalar(select(func.count()).select_from(model).where(*where))  # noqa: E731
                sizes.add(count(Member))
                assert count(Meeting, Meeting.status == MeetingStatus.CLOSED) >= 12, slug
                assert count(Meeting, Meeting.status != MeetingStatus.CLOSED) == 2, slug  # coming up
                assert count(Vote, Vote.decision_number.is_not(None)) >= 15, slug
                assert count(Body, Body.kind == BodyKind.WORKING_GROUP, Body.status == BodyStatus.ACTIVE) == 1
                assert count(Report) == 1 and count(Expense) >= 5
                assert count(MembershipApplication) >= 2
                # The autumn general assembly's last vote was sealed: counted, judged, and its record checks.
                from opencount import verify

                from konsey.core.sealed_boxes import BoxStage, SealedBox, record_of
                boxes = db.session.scalars(select(SealedBox)).all()
                assert [b.stage for b in boxes] == [BoxStage.COUNTED], slug
                assert verify(record_of(boxes[0])).ok, slug
                assert db.session.get(Vote, boxes[0].vote_id).closed_at is not None
                motions = db.session.scalars(select(Motion)).all()
                statuses = {m.status for m in motions}
                # A story a visitor believes: decided, then delivered, then answered, each motion last changed
                # no earlier than its last step; the by-laws in force since before the first meeting; no two
                # people with one name.
                from konsey.core.bylaws import ByLawProfile
                from konsey.tenants.db import as_utc
                from konsey.tenants.models import council_day

                for motion in motions:
                    adopted = council_day(motion.adopted_at, council.id)
                    assert adopted < date.today(), (slug, motion.number)
                    if motion.delivered_on:
                        assert adopted <= motion.delivered_on <= date.today(), (slug, motion.number)
                    if motion.municipal_decided_on:
                        assert motion.delivered_on <= motion.municipal_decided_on, (slug, motion.number)
                    assert as_utc(motion.changed_at) >= as_utc(motion.adopted_at)
                first_meeting = db.session.scalar(select(func.min(Meeting.scheduled_at)))
                first_version = db.session.scalar(select(func.min(ByLawProfile.effective_from)))
                assert first_version <= council_day(first_meeting, council.id), slug
                # Every vote of a closed meeting was opened and closed on that meeting's evening, and its minutes
                # drawn up and frozen there too (they said the day the demo was seeded).
                from konsey.core.meeting_record import MinutesVersion
                from konsey.core.meetings import AgendaItem

                held = db.session.execute(select(Vote, Meeting).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                                          .join(Meeting, Meeting.id == AgendaItem.meeting_id)
                                          .where(Meeting.status == MeetingStatus.CLOSED)).all()
                assert held and all(council_day(vote.closed_at, council.id) == meeting.day
                                    and as_utc(vote.opened_at) >= as_utc(meeting.scheduled_at)
                                    for vote, meeting in held), slug
                versions = db.session.execute(select(MinutesVersion, Meeting).join(
                    Meeting, Meeting.id == MinutesVersion.meeting_id)).all()
                assert versions and all(council_day(version.drawn_up_at, council.id) == meeting.day
                                        for version, meeting in versions), slug
                names = db.session.scalars(select(Member.name)).all()
                assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1][:3]
                assert MotionStatus.DELIVERED in statuses and statuses & {MotionStatus.ANSWERED, MotionStatus.FOLLOWED_UP}, slug
                # Nothing from the past waits in the outbox: no year of invitations goes out at start-up.
                past = db.session.scalar(select(func.count(OutboxEvent.id)).where(
                    OutboxEvent.completed_at.is_(None), OutboxEvent.kind != "meeting.called"))
                assert past == 0, slug
                # Residents' proposals at every stage; the one at the working group follows its motion's answer.
                from konsey.core.bylaws import parameters_on
                from konsey.plugins.participation.models import Draft, Proposal, ProposalStatus
                from konsey.plugins.participation.usecases import timeline
                from konsey.tenants.models import council_today

                assert parameters_on(council_today())["proposal_supports_needed"] == 5, slug
                proposals = db.session.scalars(select(Proposal).order_by(Proposal.number)).all()
                assert {p.status for p in proposals} == set(ProposalStatus) - {ProposalStatus.ANSWERED}, slug
                followed = next(p for p in proposals if p.motion_id is not None)
                steps = [step["kind"] for step in timeline(followed)]
                assert {"reached", "at_body", "report", "decided", "motion", "municipal_answer"} <= set(steps), steps
                assert all(p.created_at <= datetime.now(UTC) for p in proposals)
                assert db.session.scalar(select(func.count(Draft.id))) == 1
        overdue = 0
        for slug, *_ in COUNCILS:
            council = db.session.scalar(select(Council).where(Council.slug == slug))
            with bound_council(council.id):
                overdue += sum(is_overdue(m, date.today())
                               for m in db.session.scalars(select(Motion)))
        assert overdue >= 1
        assert len(sizes) > 1, "the demo councils are all the same size"
        _a_meeting_sits_now_whatever_the_hour(sqlite_app)


def _a_meeting_sits_now_whatever_the_hour(app):
    """Whenever the demo starts, each council has a meeting sitting now; İzmir's general assembly is hybrid with
    passes, people in the hall and online, the quorum met, an item under discussion and a vote ready to open; a
    member's phone page is named; the desk can adopt a by-law version from today."""
    import time_machine

    from konsey.app.demo import sittings_now
    from konsey.core import meetings
    from konsey.core.meetings import Attendance, Meeting, MeetingStatus
    from konsey.core.passes import MeetingPass
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council
    from support.clock import council_now

    with app.test_request_context():
        lines = sittings_now("http://127.0.0.1:5000/")
    assert sum("sits now" in line for line in lines) == 3
    phone = next(line for line in lines if "/izmir/remote/" in line)
    desk = next(line for line in lines if line.startswith("İzmir") and "/izmir/meetings/" in line)
    with app.app_context():
        izmir = db.session.scalar(select(Council).where(Council.slug == "izmir"))
        with bound_council(izmir.id):
            meeting = db.session.scalar(select(Meeting).where(Meeting.current_item_id.is_not(None),
                                                              Meeting.status != MeetingStatus.CLOSED))
            assert str(meeting.id) in desk
            body = db.session.get(meetings.Body, meeting.body_id)
            assert body.kind.value == "general_assembly"
            assert meetings.quorum_status(meeting, body)["quorum_met"]
            assert meetings.require_sitting(meeting) is None  # check-ins and votes are open now
            online = db.session.scalar(select(func.count()).select_from(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.online))
            in_hall = db.session.scalar(select(func.count()).select_from(Attendance).where(
                Attendance.meeting_id == meeting.id, Attendance.online.is_(False)))
            assert online >= 1 and in_hall > online
            assert db.session.scalar(select(func.count()).select_from(MeetingPass).where(
                MeetingPass.meeting_id == meeting.id)) > in_hall + online
            first_id = meeting.id
    client = app.test_client()
    opened = client.get(phone.split("http://127.0.0.1:5000")[1])
    assert opened.status_code == 303 and client.get(opened.headers["Location"]).status_code == 200
    with app.test_request_context():
        assert sittings_now("http://127.0.0.1:5000/") == lines  # the same meeting, the same newcomer
    # The next day at 02:00 in İstanbul: another meeting sits then, and yesterday's is closed.
    tomorrow = council_now().replace(hour=2, minute=0) + __import__("datetime").timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False), app.test_request_context():
        later = sittings_now("http://127.0.0.1:5000/")
        izmir_id = db.session.scalar(select(Council.id).where(Council.slug == "izmir"))
        with bound_council(izmir_id):
            assert db.session.get(Meeting, first_id).status is MeetingStatus.CLOSED
            sitting = db.session.scalar(select(Meeting).where(Meeting.current_item_id.is_not(None),
                                                              Meeting.status != MeetingStatus.CLOSED))
            assert sitting.id != first_id and meetings.require_sitting(sitting) is None
    assert later != lines
    # The desk adopts a by-law version from today: the demo's first version is a year old, not today's.
    from conftest import ApiClient, World
    from konsey.core.accounts import User
    from support.clock import council_today

    with app.app_context():
        secretary = db.session.scalar(select(User.id).where(User.email == "sekreter@izmir.example.org"))
        izmir_id = db.session.scalar(select(Council.id).where(Council.slug == "izmir"))
    admin = ApiClient(app.test_client(), World(app).token(secretary, izmir_id))
    adopted = admin.post("/api/v1/councils/izmir/bylaws", json={
        "effective_from": council_today().isoformat(), "parameters": {"speaking_time_minutes": 4}})
    assert adopted.status_code == 201, adopted.json

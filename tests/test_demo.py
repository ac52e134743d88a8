"""The demo councils of `serve` come alive: a year of meetings with numbered decisions, a working group and its
report, motions answered, overdue and pending, applications waiting, money, meetings coming up; and the
councils differ, so that the federation has something to compare."""

from __future__ import annotations

from datetime import date

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
                motions = db.session.scalars(select(Motion)).all()
                statuses = {m.status for m in motions}
                assert MotionStatus.DELIVERED in statuses and statuses & {MotionStatus.ANSWERED, MotionStatus.FOLLOWED_UP}, slug
                # Nothing from the past waits in the outbox: no year of invitations goes out at start-up.
                past = db.session.scalar(select(func.count(OutboxEvent.id)).where(
                    OutboxEvent.completed_at.is_(None), OutboxEvent.kind != "meeting.called"))
                assert past == 0, slug
        overdue = 0
        for slug, *_ in COUNCILS:
            council = db.session.scalar(select(Council).where(Council.slug == slug))
            with bound_council(council.id):
                overdue += sum(is_overdue(m, date.today())
                               for m in db.session.scalars(select(Motion)))
        assert overdue >= 1
        assert len(sizes) > 1, "the demo councils are all the same size"

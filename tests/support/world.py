"""A world of councils, people, bodies and meetings for a test, made through the product's own services."""

from __future__ import annotations

import uuid

from support.clock import first_of_a_month_ahead


def sitting_now():
    """(start, called at) of a meeting held now: it began a minute ago (votes open at the announced start) and
    was called a month ago (the notice period was kept)."""
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    return now - timedelta(minutes=1), now - timedelta(days=30)


def start_meeting(app, meeting_id, minutes: int = -1) -> None:
    """The day of a meeting called through the API or a page has come: it starts in ``minutes`` (negative:
    it began that long ago)."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import select

    from konsey.core.meetings import Meeting
    from konsey.tenants.db import db
    from konsey.tenants.scoping import all_councils, bound_council

    meeting_id = uuid.UUID(str(meeting_id))
    with app.app_context():
        with all_councils(reason="test: which council holds the meeting", audit=False) as every:
            council_id = every.scalar(select(Meeting.council_id).where(Meeting.id == meeting_id))
            every.rollback()
        with bound_council(council_id):
            db.session.get(Meeting, meeting_id).scheduled_at = datetime.now(UTC) + timedelta(minutes=minutes)
            db.session.commit()


class World:
    """Builds councils, people and tokens for a test, through the same services the product uses."""

    def __init__(self, app):
        self.app = app

    def start_meeting(self, meeting_id) -> None:
        start_meeting(self.app, meeting_id)

    def council(self, slug: str, *, status: str = "active", province: int = 35, name: str | None = None):
        from konsey.core import reference
        from konsey.core.councils import change_status, onboard_council
        from konsey.schemas.councils import OnboardingSchema
        from konsey.tenants.db import db
        from konsey.tenants.models import CouncilStatus

        with self.app.app_context():
            municipality = reference.municipalities(province)[0]
            data = OnboardingSchema().load({
                "name": name or f"{slug.title()} Kent Konseyi", "slug": slug, "province_code": province,
                "municipality_id": municipality.id, "contact_email": f"info@{slug}.example.org",
                "motion_delivery_address": f"evrak@{slug}.bel.tr", "admin_email": f"admin@{slug}.example.org",
            })
            council = onboard_council(data).council
            if status != "onboarding":
                change_status(council, CouncilStatus.ACTIVE)
                if status in ("suspended", "archived"):
                    change_status(council, CouncilStatus(status), export_acknowledged=True)
            db.session.commit()
            return council.id

    def user(self, email: str, *, roles: dict | None = None, platform_role: str | None = None,
             password: str = "correct horse battery"):
        from konsey.core.accounts import CouncilRoleName, PlatformRole, User, grant_role
        from konsey.tenants.db import db

        with self.app.app_context():
            user = User(email=email, display_name=email.split("@")[0].title(),
                        platform_role=PlatformRole(platform_role) if platform_role else None)
            user.set_password(password)
            db.session.add(user)
            for council_id, role in (roles or {}).items():
                grant_role(user, council_id, CouncilRoleName(role))
            db.session.commit()
            return user.id

    def application(self, council_id, **applicant):
        from konsey.core.applications import KVKK_NOTICE_VERSION
        from konsey.tenants.scoping import bound_council
        from konsey.usecases.applications import submit_application

        values = {"category": "individual", "name": "Başvuran Kişi", "email": "basvuran@example.org",
                  "birth_date": "1988-04-12", **applicant}
        with self.app.app_context(), bound_council(council_id):
            application = submit_application({"applicant": values, "notice_version": KVKK_NOTICE_VERSION,
                                              "consents": ["membership"]})
            return application.id

    def body_with_seat(self, council_id, member_id) -> dict:
        from datetime import date

        from konsey.core.bodies import BodyKind, create_body
        from konsey.core.membership import Member
        from konsey.core.seats import SeatRole, assign_seat
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            body = create_body(BodyKind.WORKING_GROUP, "Ulaşım Çalışma Grubu")
            seat = assign_seat(body, db.session.get(Member, member_id), SeatRole.FACILITATOR, date(2026, 1, 1), None)
            db.session.commit()
            body_id, seat_id = body.id, seat.id
        self.approve(council_id, body_id)
        return {"body_a": body_id, "seat_a": seat_id}

    def enable(self, council_id, plugin: str, config: dict | None = None) -> None:
        from konsey.tenants.scoping import bound_council
        from konsey.usecases.base import SYSTEM, acting_as
        from konsey.usecases.plugins import enable_plugin

        with self.app.app_context(), bound_council(council_id), acting_as(SYSTEM):
            enable_plugin(plugin, config or {})

    def child(self, council_id, *, consent: bool = True) -> dict:
        """A child of the children's assembly (the plugin enabled first), with the guardian's consent."""
        from datetime import date

        from konsey.plugins.children_assembly.models import ConsentMethod, record_consent, register_child
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            child = register_child({"name": "Ece Y.", "birth_date": date(date.today().year - 11, 3, 1),
                                    "guardian": {"name": "Selin Yıldız", "relation": "anne",
                                                 "email": "selin@example.org"}})
            if consent:
                record_consent(child, {"guardian_name": "Selin Yıldız", "relation": "anne",
                                       "given_on": date.today(), "method": ConsentMethod.WRITTEN_FORM})
            db.session.commit()
            return {"child_a": child.id}

    def notification(self, council_id, member_id):
        from konsey.core.notifications import Kind, Notification
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            note = Notification(member_id=member_id, kind=Kind.DECISION, subject="Gizli karar", body="Gizli")
            db.session.add(note)
            db.session.commit()
            return note.id

    def session_request(self, council_id):
        from konsey.core.session_requests import open_request
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            request = open_request("Kentsel dönüşüm için olağanüstü toplantı")
            db.session.commit()
            return request.id

    def dead_letter(self, council_id):
        from konsey.core.outbox import OutboxEvent, bury
        from konsey.tenants.db import db, utcnow
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            event = OutboxEvent(kind="motion.adopted", payload={"motion_id": str(council_id)},
                                published_at=utcnow(), publish_count=21)
            db.session.add(event)
            db.session.flush()
            letter = bury("konsey.handle_event", {"council_id": str(council_id), "event_id": str(event.id)},
                          "RetryLater: 503", 21)
            db.session.commit()
            return letter.id

    def participant(self, council_id, body_id):
        from konsey.core.bodies import Body
        from konsey.core.participants import join
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            participant = join(db.session.get(Body, body_id), {"name": "Deniz Katılımcı", "consent": True})
            db.session.commit()
            return participant.id

    def approve(self, council_id, body_id) -> None:
        """The general assembly approves a proposed body: a meeting of the individual members, all voting yes."""

        from sqlalchemy import select

        from konsey.core import meetings, votes
        from konsey.core.bodies import Body, BodyKind
        from konsey.core.membership import Member, MemberKind, MemberStatus
        from konsey.core.seats import approve_body
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            has_voters = db.session.scalar(select(Member.id).where(Member.kind == MemberKind.INDIVIDUAL).limit(1))
        if not has_voters:
            self.member(council_id, name="Genel Kurul Üyesi")
        with self.app.app_context(), bound_council(council_id):
            assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
            when, called = sitting_now()
            meeting = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Genel Kurul", when, None,
                                        ["Önerinin onayı"], now=called)
            voters = db.session.scalars(select(Member).where(Member.kind == MemberKind.INDIVIDUAL,
                                                             Member.status == MemberStatus.ACTIVE)).all()
            for member in voters:
                meetings.check_in(meeting, member, online=False)
            item = db.session.scalar(select(meetings.AgendaItem).where(meetings.AgendaItem.meeting_id == meeting.id))
            vote = votes.open_vote(meeting, assembly, item, meetings.VoteKind.OPEN)
            for member in voters:
                votes.cast(vote, meeting, assembly, member, meetings.Choice.YES)
            votes.close_vote(vote, meeting, assembly)
            approve_body(db.session.get(Body, body_id), vote, meeting)
            db.session.commit()

    def meeting_with_vote(self, council_id, member_id) -> dict:
        """A working-group meeting with the member present and an open vote on its first item."""

        from sqlalchemy import select

        from konsey.core import meetings, votes
        from konsey.core.bodies import Body
        from konsey.core.membership import Member
        from konsey.core.seats import Seat
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            seat = db.session.scalar(select(Seat).where(Seat.member_id == member_id))
            body = db.session.get(Body, seat.body_id)
            when, called = sitting_now()
            meeting = meetings.schedule(body, meetings.MeetingKind.ORDINARY, "Toplantı", when, None, ["Gündem"],
                                        now=called)
            member = db.session.get(Member, member_id)
            meetings.check_in(meeting, member, online=False)
            item = db.session.scalar(select(meetings.AgendaItem).where(meetings.AgendaItem.meeting_id == meeting.id))
            vote = votes.open_vote(meeting, body, item, meetings.VoteKind.OPEN)
            db.session.commit()
            return {"meeting_a": meeting.id, "vote_a": vote.id, "item_a": item.id,
                    "motion_a": self._motion(meeting, body, member)}

    def sitting(self, council_id, kind: str, present: list) -> uuid.UUID:
        """A meeting held now of the council's body of ``kind`` (general_assembly…) with ``present`` checked in."""
        from sqlalchemy import select

        from konsey.core import meetings
        from konsey.core.bodies import Body
        from konsey.core.membership import Member
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            body = db.session.scalar(select(Body).where(Body.kind == kind))
            when, called = sitting_now()
            meeting = meetings.schedule(body, meetings.MeetingKind.ORDINARY, "Seçimli toplantı", when, None,
                                        ["Seçim"], now=called)
            for member_id in present:
                meetings.check_in(meeting, db.session.get(Member, member_id), online=False)
            db.session.commit()
            return meeting.id

    def _motion(self, meeting, body, member):
        from sqlalchemy import select

        from konsey.core import meetings, motions
        from konsey.tenants.db import db

        item = meetings.AgendaItem(meeting_id=meeting.id, position=2, title="Önerge")
        db.session.add(item)
        db.session.flush()
        vote = meetings.Vote(agenda_item_id=item.id, kind=meetings.VoteKind.OPEN, present=1, yes=1,
                             outcome="adopted", decision_number="2026/99", closed_at=meeting.scheduled_at)
        db.session.add(vote)
        db.session.flush()
        motion = motions.adopt(vote, "Park önerisi", "Metin")
        db.session.commit()
        assert db.session.scalar(select(motions.Motion.id).where(motions.Motion.id == motion.id))
        return motion.id

    def floor_motion(self, council_id, member_id):
        """A floor motion handed in at a general assembly sitting now, by a member present."""
        from konsey.core import floor_motions
        from konsey.core.membership import Member
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        meeting_id = self.sitting(council_id, "general_assembly", [member_id])
        with self.app.app_context(), bound_council(council_id):
            meeting = db.session.get(floor_motions.Meeting, meeting_id)
            motion = floor_motions.hand_in(meeting, db.session.get(Member, member_id),
                                           floor_motions.FloorMotionKind.PROCEDURE, "Ara verilsin.")
            db.session.commit()
            return motion.id

    def election(self, council_id):
        from sqlalchemy import select

        from konsey.core.bodies import Body, BodyKind
        from konsey.core.elections import Office, call_election
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
            board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
            election = call_election(assembly, board, Office.PRESIDENT, 1, first_of_a_month_ahead(6), 0)
            db.session.commit()
            return election.id

    def export_job(self, council_id):
        """A ready full export of the council (written here, as the worker would)."""
        from konsey.core import export
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            job = export.request_export(None)
            export.write_export(job.id, db.session.commit)
            db.session.commit()
            return job.id

    def report(self, council_id):
        from sqlalchemy import select

        from konsey.core.bodies import Body, BodyKind
        from konsey.core.reports import draft
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            group = db.session.scalar(select(Body).where(Body.kind == BodyKind.WORKING_GROUP))
            report = draft(group, "Ulaşım raporu", "Taslak metin")
            db.session.commit()
            return report.id

    def representative(self, council_id, *, category: str = "professional_chamber", name: str = "Mimarlar Odası",
                       representative: str = "Temsilci Kişi") -> dict:
        """An institutional member with a representative whose mandate runs for a year."""
        from datetime import date, timedelta

        from konsey.core.membership import Member
        from konsey.core.representatives import Capacity, appoint
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        member_id = self.member(council_id, category=category, name=name, representative_name=representative)
        with self.app.app_context(), bound_council(council_id):
            rep = appoint(db.session.get(Member, member_id), Capacity.REPRESENTATIVE, representative, "2026/1",
                          date.today() + timedelta(days=365))
            db.session.commit()
            return {"institution_a": member_id, "representative_a": rep.id}

    def grant_of(self, user_id, council_id):
        from sqlalchemy import select

        from konsey.core.accounts import CouncilRole
        from konsey.tenants.db import db

        with self.app.app_context():
            return db.session.scalar(
                select(CouncilRole.id).where(CouncilRole.user_id == user_id, CouncilRole.council_id == council_id)
            )

    def token(self, user_id, council_id=None) -> str:
        from konsey.core.accounts import User, issue_token
        from konsey.tenants.db import db

        with self.app.app_context():
            _token, secret = issue_token(db.session.get(User, user_id), "test", council_id)
            db.session.commit()
            return secret

    def member(self, council_id, **data):
        from konsey.core.membership import add_member
        from konsey.schemas.members import MemberInputSchema
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        values = {"category": "individual", "name": "Ayşe Yılmaz", **data}
        with self.app.app_context(), bound_council(council_id):
            member = add_member(MemberInputSchema().load(values))
            db.session.commit()
            return member.id



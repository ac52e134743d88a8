"""The first law, at the data layer: for every council-owned model, council B cannot see or touch council A's
rows, on SQLite (ORM scoping) and on PostgreSQL (ORM scoping and row-level security)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import aliased

from konsey.tenants.db import council_owned_models, db
from konsey.tenants.scoping import (
    CrossCouncilWrite,
    NoCouncilBound,
    TenancyError,
    all_councils,
    bound_council,
    current_scope,
)


def _member(council_id=None):
    from konsey.core.membership import Member, MemberCategory, MemberKind

    return Member(member_no=1, kind=MemberKind.INDIVIDUAL, category=MemberCategory.INDIVIDUAL, name="Elif Kaya")


def _body(council_id=None):
    from konsey.core.bodies import Body, BodyKind

    return Body(kind=BodyKind.WORKING_GROUP, name="Ulaşım Çalışma Grubu")


def _profile(council_id=None):
    from konsey.core.bylaws import ByLawProfile

    return ByLawProfile(effective_from=date(2030, 1, 1), parameters={})


def _audit(council_id=None):
    from konsey.core.audit import AuditEntry

    return AuditEntry(seq=99, action="test", details={}, prev_hash="0" * 64, hash="f" * 64)


def _application(council_id=None):
    from konsey.core.applications import MembershipApplication
    from konsey.core.membership import MemberKind

    return MembershipApplication(number=1, kind=MemberKind.INDIVIDUAL, applicant={"name": "Ali"},
                                 notice_version="2026-11", consents=[])


def _consent(council_id=None):
    from konsey.core.applications import Consent
    from konsey.tenants.db import utcnow

    member = _member()
    db.session.add(member)
    db.session.flush()
    return Consent(member_id=member.id, purpose="membership", notice_version="2026-11", given_at=utcnow(),
                   source="test")


def _seat(council_id=None):
    from konsey.core.seats import Seat, SeatRole

    member, body = _member(), _body()
    db.session.add_all([member, body])
    db.session.flush()
    return Seat(body_id=body.id, member_id=member.id, role=SeatRole.PRINCIPAL, starts_on=date(2026, 1, 1))


def _meeting(council_id=None):
    from datetime import UTC, datetime

    from konsey.core.meetings import Meeting, MeetingKind

    body = _body()
    db.session.add(body)
    db.session.flush()
    return Meeting(body_id=body.id, kind=MeetingKind.ORDINARY, title="Toplantı",
                   scheduled_at=datetime(2030, 1, 1, tzinfo=UTC))


def _agenda_item(council_id=None):
    from konsey.core.meetings import AgendaItem

    meeting = _meeting()
    db.session.add(meeting)
    db.session.flush()
    return AgendaItem(meeting_id=meeting.id, position=1, title="Gündem")


def _attendance(council_id=None):
    from konsey.core.meetings import Attendance

    meeting, member = _meeting(), _member()
    db.session.add_all([meeting, member])
    db.session.flush()
    return Attendance(meeting_id=meeting.id, member_id=member.id)


def _vote(council_id=None):
    from konsey.core.meetings import Vote, VoteKind

    item = _agenda_item()
    db.session.add(item)
    db.session.flush()
    return Vote(agenda_item_id=item.id, kind=VoteKind.OPEN, present=5)


def _ballot(council_id=None):
    from konsey.core.meetings import Ballot

    vote, member = _vote(), _member()
    db.session.add_all([vote, member])
    db.session.flush()
    return Ballot(vote_id=vote.id, member_id=member.id)


def _secret_tally(council_id=None):
    from konsey.core.secret_ballots import SecretTally

    vote = _vote()
    db.session.add(vote)
    db.session.flush()
    return SecretTally(vote_id=vote.id, choice="yes", count=0)


def _sealed_box(council_id=None):
    from konsey.core.meetings import AgendaItem
    from konsey.core.sealed_boxes import SealedBox

    vote = _vote()
    db.session.add(vote)
    db.session.flush()
    item = db.session.get(AgendaItem, vote.agenda_item_id)
    return SealedBox(meeting_id=item.meeting_id, vote_id=vote.id, options=["yes", "no", "abstain"], least=1,
                     most=1, threshold=2)


def _box_keyholder(council_id=None):
    from konsey.core.sealed_boxes import BoxKeyholder

    box, member = _sealed_box(), _member()
    db.session.add_all([box, member])
    db.session.flush()
    return BoxKeyholder(box_id=box.id, member_id=member.id, index=1)


def _sealed_ballot(council_id=None):
    from konsey.core.sealed_boxes import SealedBallot

    box, member = _sealed_box(), _member()
    db.session.add_all([box, member])
    db.session.flush()
    return SealedBallot(box_id=box.id, seat_id=member.id, ballot={"choices": []}, tracker="0" * 64,
                        first_alpha="1" * 64)


def _floor_motion(council_id=None):
    from konsey.core.floor_motions import FloorMotion, FloorMotionKind
    from konsey.core.meetings import Channel

    meeting, member = _meeting(), _member()
    db.session.add_all([meeting, member])
    db.session.flush()
    return FloorMotion(meeting_id=meeting.id, number=1, kind=FloorMotionKind.PROCEDURE, text="Ara verilsin",
                       proposer_id=member.id, channel=Channel.DESK)


def _floor_motion_signature(council_id=None):
    from konsey.core.floor_motions import FloorMotionSignature

    motion = _floor_motion()
    db.session.add(motion)
    db.session.flush()
    return FloorMotionSignature(floor_motion_id=motion.id, member_id=motion.proposer_id)


def _minutes_version(council_id=None):
    from konsey.core.meeting_record import MinutesVersion

    meeting = _meeting()
    db.session.add(meeting)
    db.session.flush()
    return MinutesVersion(meeting_id=meeting.id, number=1, fingerprint="ab" * 32, document=b"%PDF")


def _minutes_approval(council_id=None):
    from konsey.core.meeting_record import MinutesApproval

    version, member = _minutes_version(), _member()
    db.session.add_all([version, member])
    db.session.flush()
    return MinutesApproval(version_id=version.id, member_id=member.id)


def _meeting_archive(council_id=None):
    from konsey.core.meeting_record import MeetingArchive

    version = _minutes_version()
    db.session.add(version)
    db.session.flush()
    return MeetingArchive(meeting_id=version.meeting_id, version_id=version.id, filename="arsiv.zip",
                          manifest_sha256="cd" * 32, content=b"PK")


def _board_seat(council_id=None):
    from konsey.core.meetings import AgendaItem
    from konsey.core.presiding import BoardRole, PresidingBoardSeat

    vote, member = _vote(), _member()
    db.session.add_all([vote, member])
    db.session.flush()
    meeting_id = db.session.get(AgendaItem, vote.agenda_item_id).meeting_id
    return PresidingBoardSeat(meeting_id=meeting_id, member_id=member.id, role=BoardRole.CHAIR, vote_id=vote.id)


def _motion(council_id=None):
    from konsey.core.motions import Motion

    vote = _vote()
    db.session.add(vote)
    db.session.flush()
    return Motion(number=1, title="Önerge", text="Metin", vote_id=vote.id, decision_number="2026/1")


def _outbox(council_id=None):
    from konsey.core.outbox import OutboxEvent

    return OutboxEvent(kind="test", payload={})


def _allocation(council_id=None):
    from decimal import Decimal

    from konsey.core.money import BudgetAllocation

    return BudgetAllocation(year=2026, amount=Decimal("1000.00"), municipal_decision="2026/1")


def _in_kind(council_id=None):
    from konsey.core.money import InKindKind, InKindSupport

    return InKindSupport(year=2026, kind=InKindKind.OFFICE, description="Ofis")


def _expense(council_id=None):
    from decimal import Decimal

    from konsey.core.money import Expense, ExpenseCategory

    return Expense(spent_on=date(2026, 3, 1), amount=Decimal("10.00"), category=ExpenseCategory.OTHER,
                   description="Kırtasiye")


def _election(council_id=None):
    from konsey.core.elections import Election, Office

    body = _body()
    db.session.add(body)
    db.session.flush()
    return Election(electing_body_id=body.id, target_body_id=body.id, office=Office.FACILITATOR, seats=1,
                    term_start=date(2026, 1, 1), term_index=0)


def _candidacy(council_id=None):
    from konsey.core.elections import Candidacy

    election, member = _election(), _member()
    db.session.add_all([election, member])
    db.session.flush()
    return Candidacy(election_id=election.id, member_id=member.id)


def _report(council_id=None):
    from konsey.core.reports import Report

    body = _body()
    db.session.add(body)
    db.session.flush()
    return Report(body_id=body.id, title="Rapor")


def _report_version(council_id=None):
    from konsey.core.reports import ReportVersion

    report = _report()
    db.session.add(report)
    db.session.flush()
    return ReportVersion(report_id=report.id, version=1, text="Metin")


def _membership_event(council_id=None):
    from konsey.core.membership import MembershipEvent, MemberStatus

    member = _member()
    db.session.add(member)
    db.session.flush()
    return MembershipEvent(member_id=member.id, status=MemberStatus.SUSPENDED, reason="test", on=date(2026, 1, 1))


def _counter(council_id=None):
    from konsey.core.counters import Counter

    return Counter(name="test", value=1)


def _representative(council_id=None):
    from konsey.core.representatives import Capacity, Representative

    member = _member()
    db.session.add(member)
    db.session.flush()
    return Representative(member_id=member.id, capacity=Capacity.REPRESENTATIVE, name="Temsilci",
                          mandate_letter="01.01.2026/1", mandate_expires_on=date(2030, 1, 1))


def _participant(council_id=None):
    from konsey.core.participants import Participant

    body = _body()
    db.session.add(body)
    db.session.flush()
    return Participant(body_id=body.id, name="Deniz Deniz", joined_on=date(2026, 1, 1))


def _plugin_enablement(council_id=None):
    from konsey.core.plugins import PluginEnablement

    return PluginEnablement(plugin="womens_assembly", enabled=True, config={})


def _child(council_id=None):
    from konsey.plugins.children_assembly.models import Child

    return Child(name="Ece Y.", birth_date=date(2015, 3, 1), guardian_name="Selin Yıldız", guardian_relation="anne")


def _guardian_consent(council_id=None):
    from konsey.plugins.children_assembly.models import ConsentMethod, GuardianConsent

    child = _child()
    db.session.add(child)
    db.session.flush()
    return GuardianConsent(child_id=child.id, guardian_name="Selin Yıldız", relation="anne",
                           given_on=date(2026, 1, 1), method=ConsentMethod.WRITTEN_FORM)


def _impact_note(council_id=None):
    from konsey.plugins.womens_assembly.models import GenderImpactNote

    motion = _motion()
    db.session.add(motion)
    db.session.flush()
    return GenderImpactNote(motion_id=motion.id, text="Etkisi olumludur.", author="Kadın Meclisi")


def _task_receipt(council_id=None):
    from konsey.core.outbox import TaskReceipt

    return TaskReceipt(key="event:1")


def _dead_letter(council_id=None):
    from konsey.core.outbox import DeadLetter

    return DeadLetter(task="konsey.handle_event", kwargs={}, error="boom", attempts=3)


def _council_key(council_id=None):
    from konsey.core.council_keys import CouncilKey

    return CouncilKey(public_key="A" * 44, private_key_encrypted="x")


def _data_key(council_id=None):
    from konsey.core.keyring import CouncilDataKey

    return CouncilDataKey(purpose="data", version=7, master_key_id="test1", wrapped=b"\x00" * 60)


def _special_read(council_id=None):
    from konsey.core.special_data import SpecialDataRead

    return SpecialDataRead(record_type="members", record_id=str(uuid.uuid4()), fields=["members.tckn"],
                           route="GET member_pages.member")


def _sms_settings(council_id=None):
    from konsey.core.sms import SmsSettings

    return SmsSettings(provider="netgsm", sender="KONSEY", credentials_sealed="ks1:1:x")


def _sms_message(council_id=None):
    from konsey.core.sms import SmsMessage

    return SmsMessage(number="+905321234567", purpose="meeting_link", provider="netgsm")


def _member_passkey(council_id=None):
    from konsey.core.member_passkeys import MemberPasskey

    member = _member()
    db.session.add(member)
    db.session.flush()
    return MemberPasskey(member_id=member.id, credential_id=uuid.uuid4().bytes, public_key=b"\x01" * 77,
                         sign_count=0, name="Telefonum")


def _delivery_route(council_id=None):
    from konsey.core.delivery import DeliveryRoute

    return DeliveryRoute(channel="email", address="evrak@belediye.example.org", secret="whsec_x")


def _delivery_attempt(council_id=None):
    from konsey.core.delivery import AttemptOutcome, DeliveryAttempt

    motion = _motion()
    db.session.add(motion)
    db.session.flush()
    return DeliveryAttempt(motion_id=motion.id, channel="email", outcome=AttemptOutcome.SENT)


def _notification(council_id=None):
    from konsey.core.notifications import Kind, Notification

    member = _member()
    db.session.add(member)
    db.session.flush()
    return Notification(member_id=member.id, kind=Kind.DECISION, subject="Karar", body="Metin")


def _notification_preference(council_id=None):
    from konsey.core.notifications import Delivery, Kind, NotificationPreference

    member = _member()
    db.session.add(member)
    db.session.flush()
    return NotificationPreference(member_id=member.id, kind=Kind.DECISION, delivery=Delivery.DIGEST)


def _excused_absence(council_id=None):
    from konsey.core.meetings import ExcusedAbsence

    meeting = _meeting()
    db.session.add(meeting)
    member = _member()
    member.member_no = 77
    db.session.add(member)
    db.session.flush()
    return ExcusedAbsence(meeting_id=meeting.id, member_id=member.id, reason="Hastalık")


def _session_request(council_id=None):
    from konsey.core.session_requests import SessionRequest

    return SessionRequest(reason="Kentsel dönüşüm için olağanüstü toplantı")


def _session_signature(council_id=None):
    from konsey.core.session_requests import SessionRequestSignature

    request = _session_request()
    member = _member()
    member.member_no = 88
    db.session.add_all([request, member])
    db.session.flush()
    return SessionRequestSignature(request_id=request.id, member_id=member.id)


def _municipal_meeting(council_id=None):
    from datetime import date

    from konsey.core.follow_up import MunicipalCouncilMeeting, MunicipalMeetingKind

    return MunicipalCouncilMeeting(held_on=date(2027, 1, 6), kind=MunicipalMeetingKind.REGULAR)


def _export_job(council_id=None):
    from konsey.core.export import ExportJob, ExportState

    return ExportJob(state=ExportState.READY, tables_done=3, tables_total=3, content=b"gizli", size_bytes=5)


def _meeting_pass(council_id=None):
    from konsey.core.passes import MeetingPass

    meeting, member = _meeting(), _member()
    db.session.add_all([meeting, member])
    db.session.flush()
    return MeetingPass(meeting_id=meeting.id, member_id=member.id, code="ABCD3467")


def _floor_request(council_id=None):
    from konsey.core.rules.meetings import Stance
    from konsey.core.speakers import FloorRequest

    item, member = _agenda_item(), _member()
    db.session.add_all([item, member])
    db.session.flush()
    return FloorRequest(meeting_id=item.meeting_id, agenda_item_id=item.id, member_id=member.id,
                        stance=Stance.FOR, position=1)


def _milestone(council_id=None):
    from datetime import date

    from konsey.core.follow_up import ImplementationMilestone, MilestoneState

    motion = _motion()
    db.session.add(motion)
    db.session.flush()
    return ImplementationMilestone(motion_id=motion.id, state=MilestoneState.PLANNED, day=date(2027, 3, 1))


def _disabled_consent(council_id=None):
    from datetime import date

    from konsey.plugins.disabled_assembly.models import ExplicitConsent

    member = _member()
    member.member_no = 91
    db.session.add(member)
    db.session.flush()
    return ExplicitConsent(member_id=member.id, given_on=date(2026, 1, 5))


def _disabled_supporter(council_id=None):
    from konsey.plugins.disabled_assembly.models import Supporter

    member = _member()
    member.member_no = 92
    db.session.add(member)
    db.session.flush()
    return Supporter(member_id=member.id, name="Refakatçi")


def _access_request(council_id=None):
    from datetime import date

    from konsey.plugins.disabled_assembly.models import AccessibilityRequest, AccessKind

    return AccessibilityRequest(kind=AccessKind.CAPTIONS, requested_on=date(2026, 2, 1))


def _elder_concern(council_id=None):
    from datetime import date

    from konsey.plugins.elders_assembly.models import ConcernTheme, ElderConcern

    return ElderConcern(theme=ConcernTheme.HEALTH, summary="Aile sağlığı merkezine ulaşım zor.",
                        raised_on=date(2026, 2, 1))


def _resident(council_id=None):
    from konsey.plugins.participation.models import Resident

    return Resident(email=f"{uuid.uuid4().hex[:8]}@example.org", name="Deniz Yurttaş", neighbourhood="Alsancak",
                    password_hash="x", notice_version="2026-12")


def _added(row):
    db.session.add(row)
    db.session.flush()
    return row


def _proposal(council_id=None):
    from konsey.plugins.participation.models import Proposal

    return Proposal(number=int(uuid.uuid4().int % 100000), title="Bisiklet yolu", text="Kordon'a bisiklet yolu.",
                    neighbourhood="Alsancak", author_id=_added(_resident()).id, threshold=5)


def _support(council_id=None):
    from konsey.plugins.participation.models import Support

    return Support(proposal_id=_added(_proposal()).id, resident_id=_added(_resident()).id)


def _proposal_event(council_id=None):
    from konsey.plugins.participation.models import ProposalEvent

    return ProposalEvent(proposal_id=_added(_proposal()).id, kind="proposed")


def _join_request(council_id=None):
    from konsey.plugins.participation.models import JoinRequest

    return JoinRequest(body_id=_added(_body()).id, resident_id=_added(_resident()).id)


def _draft(council_id=None):
    from konsey.plugins.participation.models import Draft, DraftKind

    return Draft(kind=DraftKind.BYLAWS, title="Yönerge taslağı", body_id=_added(_body()).id,
                 opens_on=date(2026, 1, 1), closes_on=date(2026, 2, 1))


def _draft_version(council_id=None):
    from konsey.plugins.participation.models import DraftVersion

    return DraftVersion(draft_id=_added(_draft()).id, version=1, text="Birinci madde.")


def _comment(council_id=None):
    from konsey.plugins.participation.models import Comment

    return Comment(draft_id=_added(_draft()).id, version=1, paragraph=1, text="Katılıyorum.")


def _flag(council_id=None):
    from konsey.plugins.participation.models import Flag, FlagReason

    return Flag(proposal_id=_added(_proposal()).id, reason=FlagReason.SPAM)


# Every council-owned model needs a row factory here; test_every_model_has_a_factory enforces it.
FACTORIES = {"members": _member, "bodies": _body, "bylaw_profiles": _profile, "audit_entries": _audit,
             "membership_applications": _application, "consents": _consent, "seats": _seat,
             "meetings": _meeting, "agenda_items": _agenda_item, "attendances": _attendance, "votes": _vote,
             "ballots": _ballot, "motions": _motion, "outbox_events": _outbox,
             "budget_allocations": _allocation, "in_kind_support": _in_kind, "expenses": _expense,
             "elections": _election, "candidacies": _candidacy,
             "reports": _report, "report_versions": _report_version,
             "membership_events": _membership_event, "counters": _counter,
             "representatives": _representative, "participants": _participant,
             "plugin_enablements": _plugin_enablement, "children_assembly_children": _child,
             "children_assembly_consents": _guardian_consent, "womens_assembly_impact_notes": _impact_note,
             "task_receipts": _task_receipt, "dead_letters": _dead_letter, "council_keys": _council_key,
             "council_data_keys": _data_key, "special_data_reads": _special_read,
             "sms_settings": _sms_settings, "sms_messages": _sms_message, "member_passkeys": _member_passkey,
             "delivery_routes": _delivery_route, "delivery_attempts": _delivery_attempt,
             "notifications": _notification, "notification_preferences": _notification_preference,
             "excused_absences": _excused_absence, "session_requests": _session_request,
             "session_request_signatures": _session_signature, "municipal_council_meetings": _municipal_meeting,
             "implementation_milestones": _milestone, "disabled_assembly_consents": _disabled_consent,
             "disabled_assembly_supporters": _disabled_supporter,
             "disabled_assembly_access_requests": _access_request, "export_jobs": _export_job,
             "elders_assembly_concerns": _elder_concern,
             "participation_residents": _resident, "participation_proposals": _proposal,
             "participation_supports": _support, "participation_proposal_events": _proposal_event,
             "participation_join_requests": _join_request, "participation_drafts": _draft,
             "participation_draft_versions": _draft_version, "participation_comments": _comment,
             "participation_flags": _flag,
             "meeting_passes": _meeting_pass, "floor_requests": _floor_request, "secret_tallies": _secret_tally,
             "floor_motions": _floor_motion, "floor_motion_signatures": _floor_motion_signature,
             "presiding_board_seats": _board_seat, "minutes_versions": _minutes_version,
             "minutes_approvals": _minutes_approval, "meeting_archives": _meeting_archive,
             "sealed_boxes": _sealed_box, "sealed_box_keyholders": _box_keyholder, "sealed_ballots": _sealed_ballot}


def test_every_model_has_a_factory(ctx):
    tables = {m.__tablename__ for m in council_owned_models()}
    assert tables == set(FACTORIES), "add a factory for each new council-owned model"


def _model(table):
    return next(m for m in council_owned_models() if m.__tablename__ == table)


@pytest.fixture
def two_councils(world):
    return world.council("alpha"), world.council("beta", province=16)


@pytest.mark.parametrize("table", sorted(FACTORIES))
def test_other_council_cannot_read_update_or_delete(ctx, two_councils, table):
    a, b = two_councils
    model = _model(table)
    with bound_council(a):
        row = FACTORIES[table]()
        db.session.add(row)
        db.session.commit()
        row_id = row.id
        assert row.council_id == a
        count_in_a = db.session.scalar(select(func.count(model.id)))
    db.session.expunge_all()

    with bound_council(b):
        assert db.session.scalar(select(model).where(model.id == row_id)) is None
        assert db.session.get(model, row_id) is None or db.session.get(model, row_id).council_id == b
        assert db.session.scalar(select(func.count(model.id)).where(model.id == row_id)) == 0
        # A count that names the model only in its FROM clause is scoped as well, aliased too.
        assert db.session.scalar(select(func.count()).select_from(model).where(model.id == row_id)) == 0
        alias = aliased(model)
        assert db.session.scalar(select(func.count()).select_from(alias).where(alias.id == row_id)) == 0
        assert db.session.execute(update(model).where(model.id == row_id).values(id=model.id)).rowcount == 0
        assert db.session.execute(delete(model).where(model.id == row_id)).rowcount == 0
        db.session.commit()

    with bound_council(a):
        assert db.session.scalar(select(func.count(model.id))) == count_in_a
        assert db.session.scalar(select(model).where(model.id == row_id)) is not None


@pytest.mark.parametrize("table", sorted(FACTORIES))
def test_write_with_a_foreign_council_id_fails(ctx, two_councils, table):
    a, b = two_councils
    with bound_council(b):
        row = FACTORIES[table]()
        row.council_id = a
        db.session.add(row)
        with pytest.raises(CrossCouncilWrite):
            db.session.flush()
        db.session.rollback()


@pytest.mark.parametrize("table", sorted(FACTORIES))
def test_moving_a_row_to_another_council_fails(ctx, two_councils, table):
    a, b = two_councils
    with bound_council(a):
        row = FACTORIES[table]()
        db.session.add(row)
        db.session.commit()
        row.council_id = b
        with pytest.raises(CrossCouncilWrite):
            db.session.flush()
        db.session.rollback()


def test_nothing_bound_fails_closed(ctx, two_councils):
    from konsey.core.membership import Member

    db.session.rollback()
    with pytest.raises(NoCouncilBound):
        db.session.scalars(select(Member)).all()
    db.session.rollback()
    with pytest.raises(NoCouncilBound):
        db.session.add(_member())
        db.session.flush()
    db.session.rollback()


def test_relationship_free_aggregates_are_scoped(ctx, two_councils, world):
    from konsey.core.membership import Member

    a, b = two_councils
    for i in range(3):
        world.member(a, name=f"Üye {i}")
    world.member(b, name="Başka")
    with bound_council(a):
        assert db.session.scalar(select(func.count(Member.id))) == 3
        assert db.session.scalar(select(func.max(Member.member_no))) == 3
    with bound_council(b):
        assert db.session.scalar(select(func.count(Member.id))) == 1


def test_escape_hatch_sees_all_and_is_audited(ctx, two_councils, world):
    from konsey.core.membership import Member
    from konsey.tenants.platform_audit import PlatformEvent

    a, b = two_councils
    world.member(a)
    world.member(b)
    with all_councils("test: count every council's members") as every:
        assert every.scalar(select(func.count(Member.id))) == 2
    db.session.commit()
    reasons = db.session.scalars(select(PlatformEvent.reason).where(PlatformEvent.action == "all_councils")).all()
    assert "test: count every council's members" in reasons


def test_escape_hatch_needs_a_reason(ctx):
    from konsey.tenants.scoping import TenancyError

    with pytest.raises(TenancyError), all_councils("  "):
        pass


def test_composite_foreign_keys_exist_for_council_owned_tables(ctx):
    for model in council_owned_models():
        table = model.__table__
        uniques = {tuple(c.name for c in uc.columns) for uc in table.constraints if hasattr(uc, "columns")}
        assert ("council_id", "id") in uniques, f"{table.name} lacks UNIQUE (council_id, id)"
        for index in table.indexes:
            assert index.columns[0].name == "council_id", f"index {index.name} must start with council_id"
        council_owned = {m.__tablename__ for m in council_owned_models()}
        for fk in table.foreign_key_constraints:
            targets = {el.column.table.name for el in fk.elements}
            if targets & council_owned:
                assert "council_id" in fk.column_keys, f"{table.name}: {fk.name} must include council_id"


# --- PostgreSQL: the second wall ------------------------------------------------------------------------


@pytest.fixture
def pg(postgres_app):
    with postgres_app.app_context():
        yield postgres_app


@pytest.fixture
def pg_councils(pg, world):
    return world.council("alpha"), world.council("beta", province=16)


def test_app_role_is_not_privileged(pg):
    row = db.session.execute(
        text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
    ).one()
    assert row == (False, False)
    owners = db.session.execute(
        text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
    ).scalars().all()
    assert db.session.execute(text("SELECT current_user")).scalar() not in owners


@pytest.mark.parametrize("table", sorted(FACTORIES))
def test_raw_sql_under_rls_cannot_cross_councils(pg, pg_councils, table):
    a, b = pg_councils
    with bound_council(a):
        db.session.add(FACTORIES[table]())
        db.session.commit()
    with bound_council(b):
        assert db.session.execute(text(f"SELECT count(*) FROM {table} WHERE council_id = :a"), {"a": a}).scalar() == 0
        assert db.session.execute(text(f"UPDATE {table} SET council_id = council_id WHERE council_id = :a"),
                                  {"a": a}).rowcount == 0
        db.session.commit()
    # Nothing bound: raw SQL sees nothing at all.
    db.session.rollback()
    assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
    db.session.rollback()
    with bound_council(a):
        assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() >= 1
        db.session.rollback()


@pytest.mark.parametrize("table", ["members", "bodies", "motions"])
def test_the_app_role_cannot_switch_row_level_security_off(pg, pg_councils, table):
    """An SQL injection through konsey_app stays in its council: no setting it can make opens another's rows
    (konsey.scope = 'all' did, before the escape hatch had a role of its own)."""
    a, b = pg_councils
    with bound_council(a):
        db.session.add(FACTORIES[table]())
        db.session.commit()
    with bound_council(b):
        db.session.execute(text("SELECT set_config('konsey.scope', 'all', true), "
                                "set_config('konsey.council_id', '', true)"))
        assert db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        with pytest.raises(DBAPIError):
            db.session.execute(text("SET ROLE konsey_reader"))
        db.session.rollback()


def test_the_escape_hatch_reads_every_council_and_writes_nothing(pg, pg_councils, world):
    from konsey.core.membership import Member

    a, b = pg_councils
    world.member(a)
    world.member(b)
    with all_councils("test: the reader role") as every:
        assert every.execute(text("SELECT current_user")).scalar() == "konsey_reader"
        assert every.scalar(select(func.count(Member.id))) == 2
        with pytest.raises(DBAPIError, match="permission denied"):
            every.execute(text("DELETE FROM members"))
        every.rollback()
        # No secrets, no accounts, no council's whole export.
        for table in ("users", "access_tokens", "council_keys", "delivery_routes", "export_jobs"):
            with pytest.raises(DBAPIError, match="permission denied"):
                every.execute(text(f"SELECT count(*) FROM {table}"))
            every.rollback()
    db.session.rollback()


def test_raw_insert_for_another_council_is_refused_by_rls(pg, pg_councils):
    a, b = pg_councils
    with bound_council(b):
        with pytest.raises(DBAPIError, match="row-level security"):
            db.session.execute(
                text("INSERT INTO bodies (id, council_id, kind, name, created_at) "
                     "VALUES (:id, :a, 'working_group', 'x', now())"),
                {"id": uuid.uuid4(), "a": a},
            )
        db.session.rollback()


def test_row_for_an_unknown_council_is_refused(pg, pg_councils):
    a, b = pg_councils
    with bound_council(b):
        with pytest.raises((IntegrityError, DBAPIError)):
            db.session.execute(
                text("INSERT INTO bodies (id, council_id, kind, name, created_at) "
                     "VALUES (:id, :missing, 'working_group', 'x', now())"),
                {"id": uuid.uuid4(), "missing": uuid.uuid4()},
            )
        db.session.rollback()


def test_database_refuses_a_reference_into_another_council(ctx, two_councils, world):
    """Composite keys: even the owner, past every application check, cannot point B's row at A's member."""
    from sqlalchemy import Uuid, bindparam, create_engine

    a, b = two_councils
    member_of_a = world.member(a)
    engine = create_engine(ctx.config["KONSEY_MIGRATION_DATABASE_URL"])
    if engine.dialect.name == "sqlite":
        from sqlalchemy import event

        event.listen(engine, "connect", lambda conn, _r: conn.execute("PRAGMA foreign_keys=ON"))
    statement = text(
        "INSERT INTO consents (id, council_id, member_id, purpose, notice_version, given_at, source) "
        "VALUES (:id, :council, :member, 'membership', '2026-11', CURRENT_TIMESTAMP, 'test')"
    ).bindparams(bindparam("id", type_=Uuid), bindparam("council", type_=Uuid), bindparam("member", type_=Uuid))
    try:
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(statement, {"id": uuid.uuid4(), "council": b, "member": member_of_a})
        with engine.begin() as conn:  # the same row for A's own council is fine
            conn.execute(statement, {"id": uuid.uuid4(), "council": a, "member": member_of_a})
    finally:
        engine.dispose()


def test_leaving_a_council_after_a_failed_statement_raises_nothing_new(pg, pg_councils):
    """A statement refused inside a bound block (a lost connection in the worker; here, row-level security)
    left the transaction failed; leaving the block set the scope on it and raised PendingRollbackError, hiding
    the real error (a worker died of that). The real error is what the caller sees; the session works after."""
    from konsey.core.membership import Member

    a, b = pg_councils
    with pytest.raises(DBAPIError, match="row-level security"), bound_council(a):
        db.session.execute(text("INSERT INTO bodies (id, council_id, kind, name, created_at) "
                                "VALUES (:id, :other, 'working_group', 'x', now())"), {"id": uuid.uuid4(), "other": b})
    db.session.rollback()
    with bound_council(a):
        assert db.session.scalar(select(func.count(Member.id))) == 0


def test_a_refused_escape_hatch_leaves_the_scope_as_it_was(pg, pg_councils):
    """Without the reader role's URL the escape hatch refuses, and the scope is not left at "every council"
    for the next request on the thread."""
    url = pg.config.pop("KONSEY_READER_DATABASE_URL")
    try:
        before = current_scope()
        with pytest.raises(TenancyError), all_councils("test: no reader role"):
            pass
        assert current_scope() == before and current_scope().all_councils_reason is None
    finally:
        pg.config["KONSEY_READER_DATABASE_URL"] = url
        db.session.rollback()

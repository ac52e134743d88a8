"""Personal data kept no longer than its purpose needs (KVKK art. 4/2(d) and 7): per kind of record, the by-laws say
how many days it is kept after its purpose ends; a daily sweep deletes or anonymises what has expired and audits
the counts, never a value.

The core's kinds are the statute's answer to ``konsey_retention_kinds``; a plugin adds its own (the children's
assembly: minors once they come of age). Each kind is a pair of functions by a cutoff date: how many are due,
and expire them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from konsey.core.applications import ApplicationStatus, MembershipApplication
from konsey.core.audit import record
from konsey.core.bylaws import parameters_on
from konsey.core.hooktypes import RetentionKind
from konsey.core.meetings import Meeting, MeetingStatus
from konsey.core.membership import Member, MembershipEvent, MemberStatus
from konsey.core.passes import MeetingPass
from konsey.core.sms import SmsMessage, SmsStatus
from konsey.core.special_data import SpecialDataRead
from konsey.tenants.db import db
from konsey.tenants.models import council_midnight, council_today

# --- the core's kinds -------------------------------------------------------------------------------------------

_CLOSED_APPLICATIONS = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN)


def _closed_applications(cutoff: date):
    """A rejected or withdrawn application goes whole (its number stays in the audit chain, which names no one).
    A withdrawn one has no decision: its purpose ended when it was withdrawn."""
    ended = func.coalesce(MembershipApplication.decided_at, MembershipApplication.submitted_at)
    return MembershipApplication.status.in_(_CLOSED_APPLICATIONS), ended < council_midnight(cutoff)


# What a former member's record keeps: the name and number the council's minutes and decisions name them by.
# Their contacts and identity number go.
FORMER_MEMBER_CONTACTS = ("email", "phone", "kep_address", "birth_date", "neighbourhood", "tckn",
                          "representative_name", "substitute_name")


def _former_members(cutoff: date):
    ended_on = (select(MembershipEvent.member_id, func.max(MembershipEvent.on).label("on"))
                .where(MembershipEvent.status == MemberStatus.ENDED).group_by(MembershipEvent.member_id).subquery())
    still_kept = or_(Member.email.is_not(None), Member.tckn_hint.is_not(None), Member.phone.is_not(None), Member.kep_address.is_not(None),
                     Member.birth_date.is_not(None), Member.neighbourhood.is_not(None),
                     Member.tckn_sealed.is_not(None), Member.representative_name_sealed.is_not(None),
                     Member.substitute_name_sealed.is_not(None))
    return (select(Member).join(ended_on, ended_on.c.member_id == Member.id)
            .where(Member.status == MemberStatus.ENDED, ended_on.c.on < cutoff, still_kept))


def _due_former_members(cutoff: date) -> int:
    return db.session.scalar(select(func.count()).select_from(_former_members(cutoff).subquery())) or 0


def _expire_former_members(cutoff: date) -> int:
    members = db.session.scalars(_former_members(cutoff)).all()
    for member in members:
        for field in FORMER_MEMBER_CONTACTS:
            setattr(member, field, None)
    # The form they applied with held the same contacts and number: it keeps its number and outcome only.
    for application in db.session.scalars(select(MembershipApplication).where(
            MembershipApplication.member_id.in_([member.id for member in members]))):
        application.applicant = {"erased": True}
    return len(members)


def _finished_meetings(cutoff: date):
    """Meetings over (closed or called off) that were held before the cutoff: one still open keeps its links."""
    return select(Meeting.id).where(Meeting.status.in_((MeetingStatus.CLOSED, MeetingStatus.CANCELLED)),
                                    Meeting.scheduled_at < council_midnight(cutoff))


def _old_reads(cutoff: date):
    return (SpecialDataRead.at < council_midnight(cutoff),)


def _old_sms(cutoff: date):
    """A sent SMS's record (a number, a status): the month's count and the provider's bill are long settled."""
    return SmsMessage.created_at < council_midnight(cutoff), SmsMessage.status == SmsStatus.SENT


def _passes_of_finished_meetings(cutoff: date):
    """A meeting's personal links and codes: of no use once it is over, and each one a way in while kept."""
    return (MeetingPass.meeting_id.in_(_finished_meetings(cutoff)),)


def deleting(model, condition) -> tuple:
    """(due, expire) of a kind whose records are deleted whole: ``condition(cutoff)`` gives the WHERE clauses of
    those whose purpose ended before the cutoff."""
    def due(cutoff: date) -> int:
        return db.session.scalar(select(func.count(model.id)).where(*condition(cutoff))) or 0

    def expire(cutoff: date) -> int:
        return db.session.execute(delete(model).where(*condition(cutoff))
                                  .execution_options(synchronize_session=False)).rowcount

    return due, expire


CORE_KINDS = [
    RetentionKind("rejected_applications", _l("Rejected and withdrawn membership applications"),
                  "retention_rejected_applications_days", *deleting(MembershipApplication, _closed_applications)),
    RetentionKind("former_member_contacts", _l("Former members' contacts and identity numbers"),
                  "retention_former_members_days", _due_former_members, _expire_former_members),
    RetentionKind("meeting_passes", _l("Meeting links and codes, after the meeting"),
                  "retention_meeting_passes_days", *deleting(MeetingPass, _passes_of_finished_meetings)),
    RetentionKind("special_data_reads", _l("The record of reads of special-category data"),
                  "retention_access_log_days", *deleting(SpecialDataRead, _old_reads)),
    RetentionKind("sms_messages", _l("Records of SMS sent"), "retention_sms_days", *deleting(SmsMessage, _old_sms)),
]


# --- the sweep and what is due -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    kind: RetentionKind
    days: int
    cutoff: date
    count: int


def due(kinds: list[RetentionKind], today: date | None = None) -> list[Due]:
    """Per kind (the statute's and the council's plugins' answers to ``konsey_retention_kinds``): its days, from the
    by-laws in force, the cutoff, and how many records are due to go."""
    today = today or council_today()
    parameters = parameters_on(today)
    found = []
    for kind in kinds:
        days = int(parameters[kind.parameter])
        cutoff = today - timedelta(days=days)
        found.append(Due(kind, days, cutoff, kind.due(cutoff)))
    return found


def sweep(kinds: list[RetentionKind], today: date | None = None) -> dict[str, int]:
    """Expire what is due in the bound council; the counts per kind, audited (no value, no name)."""
    counts = {item.kind.code: item.kind.expire(item.cutoff) for item in due(kinds, today) if item.count}
    if counts:
        record("retention.swept", None, {"counts": counts})
    return counts


"""Notifications that follow from the council's record: meeting invitations (with an .ics file), reminders,
decisions, motion status changes and application outcomes.

Each reaches a member as an in-app notification and, by the member's preference for that kind, by e-mail at
once, in a daily digest, or not at all. They are made by the worker from outbox events, in the council's
language, once per person and event; large audiences are sent in batches of :data:`BATCH` per task. Children
(the children's assembly's records) are not members and are never written to; their guardians are, by the
plugin.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import JSON, String, Text, Uuid, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core import meeting_calendars, outbox, sms
from konsey.core.accounts import User
from konsey.core.applications import ApplicationStatus, MembershipApplication
from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import parameters_on
from konsey.core.errors import Invalid
from konsey.core.formats import moment_text
from konsey.core.identifiers import mobile_number
from konsey.core.labels import label
from konsey.core.mail import build_message, deliver
from konsey.core.meetings import AgendaItem, Meeting, Vote, eligible_members
from konsey.core.membership import Member
from konsey.core.motions import Motion
from konsey.core.outbox import first_time
from konsey.core.participants import participants_on
from konsey.core.seats import VOTING_ROLES, seats_on
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import Council
from konsey.tenants.scoping import current_council_id

BATCH = 100


class Kind(enum.StrEnum):
    MEETING_INVITATION = "meeting_invitation"
    MEETING_REMINDER = "meeting_reminder"
    DECISION = "decision"
    MOTION_STATUS = "motion_status"
    APPLICATION_OUTCOME = "application_outcome"


class Delivery(enum.StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class Notification(CouncilOwned, db.Model):
    """What a member was told, readable in the app whatever their e-mail preference."""

    __tablename__ = "notifications"

    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[Kind] = mapped_column(enum_of(Kind, 24))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    attachments: Mapped[dict] = mapped_column(JSON, default=dict)  # e.g. {"ics_meeting_id": "…"}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    __council_table_args__ = (
        db.Index("ix_notifications_council_member", "council_id", "member_id", "created_at"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


class NotificationPreference(CouncilOwned, db.Model):
    __tablename__ = "notification_preferences"

    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[Kind] = mapped_column(enum_of(Kind, 24))
    delivery: Mapped[Delivery] = mapped_column(enum_of(Delivery, 12))

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "member_id", "kind"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


def member_for(email: str | None):
    """The member of the current council who is this person (matched by e-mail), if any."""
    from sqlalchemy import func


    if not email:
        return None
    return db.session.scalar(select(Member).where(func.lower(Member.email) == email.lower()).limit(1))


def mark_read(note: Notification) -> None:
    if note.read_at is None:
        note.read_at = utcnow()


def preferences_of(member_id: uuid.UUID) -> dict[Kind, Delivery]:
    chosen = {p.kind: p.delivery for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.member_id == member_id))}
    return {kind: chosen.get(kind, Delivery.IMMEDIATE) for kind in Kind}


def set_preferences(member_id: uuid.UUID, choices: dict) -> dict[Kind, Delivery]:
    try:
        parsed = {Kind(k): Delivery(v) for k, v in choices.items()}
    except ValueError:
        raise Invalid({"preferences": [_("Choose immediate, digest or off for each kind.")]}) from None
    for kind, delivery in parsed.items():
        row = db.session.scalar(select(NotificationPreference).where(
            NotificationPreference.member_id == member_id, NotificationPreference.kind == kind))
        if row is None:
            db.session.add(NotificationPreference(member_id=member_id, kind=kind, delivery=delivery))
        else:
            row.delivery = delivery
    db.session.flush()
    return preferences_of(member_id)


def _chosen(member_ids) -> dict[tuple[uuid.UUID, Kind], Delivery]:
    """Everyone's explicit choices in one query: (member, kind) → delivery; the default is immediate."""
    return {(p.member_id, p.kind): p.delivery for p in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.member_id.in_(list(member_ids))))}


def languages_of(members, council: Council) -> dict[uuid.UUID, str]:
    """Each recipient's language in one query: their own account's where they have one, else the council's."""
    from sqlalchemy import func


    emails = {m.email.lower() for m in members if m.email}
    accounts = dict(db.session.execute(select(func.lower(User.email), User.locale).where(
        func.lower(User.email).in_(emails), User.locale.is_not(None))).all()) if emails else {}
    return {m.id: accounts.get((m.email or "").lower()) or council.locale or "tr" for m in members}


def notify(member_ids, kind: Kind, render, key: str, attachments: dict | None = None) -> int:
    """Record a notification for each member (once per ``key``), written in the member's language by
    ``render()`` (called under that locale, returning subject and body), and queue the e-mails in batches."""

    council = db.session.get(Council, current_council_id())
    members = db.session.scalars(select(Member).where(Member.id.in_(list(member_ids)))).all()
    languages, chosen = languages_of(members, council), _chosen(member_ids)
    rendered: dict[str, tuple[str, str]] = {}
    immediate = []
    for member in sorted(members, key=lambda m: str(m.id)):
        if not first_time(f"{key}:{member.id}"):
            continue
        language = languages[member.id]
        if language not in rendered:
            with force_locale(language):
                rendered[language] = render()
        subject, body = rendered[language]
        note = Notification(member_id=member.id, kind=kind, subject=subject, body=body,
                            attachments=attachments or {})
        db.session.add(note)
        db.session.flush()
        if chosen.get((member.id, kind), Delivery.IMMEDIATE) is Delivery.IMMEDIATE:
            immediate.append(str(note.id))
    # Through the outbox, in this transaction: a broker restarted before the worker took them loses nothing
    # (the batches were Celery messages of their own, and a Redis restart dropped hundreds of e-mails).
    for start in range(0, len(immediate), BATCH):
        outbox.emit("notifications.batch", {"notification_ids": immediate[start:start + BATCH]})
    return len(immediate)


def send_batch(notification_ids: list[str], *, keep: Callable[[], None] = lambda: None) -> int:
    """E-mail one batch of immediate notifications (those not sent yet, to members with an address);
    ``keep()`` after each, so that a failure later in the batch does not send these again."""

    sent = 0
    for note in db.session.scalars(select(Notification).where(
            Notification.id.in_([uuid.UUID(i) for i in notification_ids]), Notification.emailed_at.is_(None))):
        member = db.session.get(Member, note.member_id)
        if member is not None and not member.email and _texted(note, member):
            note.emailed_at = utcnow()
            keep()
            sent += 1
            continue
        if member is None or not member.email:
            continue
        message = build_message(member.email, note.subject, note.body)
        if note.attachments.get("ics_meeting_id"):
            _attach_calendar(message, uuid.UUID(note.attachments["ics_meeting_id"]))
        deliver(message)
        note.emailed_at = utcnow()
        keep()
        sent += 1
    return sent


# What a member with no e-mail address who agreed to SMS gets by SMS: news of meetings (an SMS costs the council).
BY_SMS = {Kind.MEETING_INVITATION, Kind.MEETING_REMINDER}
SMS_LENGTH = 300  # two concatenated Turkish messages at most


def _texted(note: Notification, member: Member) -> bool:
    """Queue ``note`` as an SMS to a member who agreed to notices by SMS and has a mobile number, where the council
    has an SMS account; whether it was."""
    number = mobile_number(member.phone) if member.sms_consent_at is not None else None
    if number is None or note.kind not in BY_SMS:
        return False
    council = db.session.get(Council, member.council_id)
    text = f"{council.name}: {note.subject}. {' '.join(note.body.split())}"
    if len(text) > SMS_LENGTH:
        text = text[:SMS_LENGTH - 1] + "…"
    return sms.queue(number, text, note.kind.value, member.id) is not None


def send_digests(*, keep: Callable[[], None] = lambda: None) -> int:
    """Each member who chose the digest gets one e-mail with what is waiting (daily, from Celery beat);
    ``keep()`` after each e-mail, so that one member's failure does not send another's twice."""

    pending = db.session.scalars(select(Notification).where(Notification.emailed_at.is_(None))
                                 .order_by(Notification.created_at)).all()
    chosen = _chosen({note.member_id for note in pending})
    waiting: dict[uuid.UUID, list[Notification]] = {}
    for note in pending:
        if chosen.get((note.member_id, note.kind)) is Delivery.DIGEST:
            waiting.setdefault(note.member_id, []).append(note)
    sent = 0
    for member_id, notes in waiting.items():
        member = db.session.get(Member, member_id)
        if member is None or not member.email:
            continue
        council = db.session.get(Council, member.council_id)
        with force_locale(council.locale or "tr"):
            text = "\n\n".join(f"• {n.subject}\n{n.body}" for n in notes)
            deliver(build_message(member.email, _("%(council)s: your daily summary", council=council.name), text))
        for note in notes:
            note.emailed_at = utcnow()
        keep()
        sent += 1
    return sent


def _attach_calendar(message, meeting_id: uuid.UUID) -> None:

    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        return
    body = db.session.get(Body, meeting.body_id)
    council = db.session.get(Council, meeting.council_id)
    # As text with its charset, so that Turkish letters survive every mail client.
    message.add_attachment(meeting_calendars.invitation(meeting, body, council).decode("utf-8"), subtype="calendar",
                           charset="utf-8", filename="toplanti.ics",
                           params={"method": meeting_calendars.method_of(meeting)})


def meeting_invitations(meeting_id: uuid.UUID, key: str, *, reminder: bool = False, change: str | None = None) -> int:
    """Invite (or remind) every member with a vote in the meeting's body, or tell them of its ``change``
    ("rescheduled" or "cancelled"); returns the e-mails queued now. Each carries the meeting's event, which a
    calendar replaces (a higher SEQUENCE) or removes (METHOD:CANCEL)."""
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == meeting_id))
    if meeting is None:
        return 0
    body = db.session.get(Body, meeting.body_id)
    invited = sorted(eligible_members(body, meeting.day, parameters_on(meeting.day)))

    def render() -> tuple[str, str]:
        when = moment_text(meeting.scheduled_at, db.session.get(Council, meeting.council_id).timezone)
        if change == "cancelled":
            return (_("Cancelled: %(title)s", title=meeting.title),
                    _("The meeting of %(body)s, %(title)s, called for %(when)s, is cancelled. Reason: %(reason)s",
                      body=body.name, title=meeting.title, when=when, reason=meeting.cancellation_reason or "—"))
        if change == "rescheduled":
            text = _("The meeting of %(body)s, %(title)s, has moved: it is now on %(when)s.",
                     body=body.name, title=meeting.title, when=when)
        else:
            text = _("You are invited to the meeting of %(body)s: %(title)s, on %(when)s.",
                     body=body.name, title=meeting.title, when=when)
        if meeting.location:
            text += "\n" + _("Place: %(place)s", place=meeting.location)
        subject = (_("Reminder: %(title)s", title=meeting.title) if reminder
                   else _("New time: %(title)s", title=meeting.title) if change
                   else _("Invitation: %(title)s", title=meeting.title))
        return subject, text

    kind = Kind.MEETING_REMINDER if reminder else Kind.MEETING_INVITATION
    queued = notify(invited, kind, render, key, {"ics_meeting_id": str(meeting.id)})
    if body.kind is BodyKind.WORKING_GROUP:
        queued += _tell_participants(meeting, body, render, key)
    return queued


def _tell_participants(meeting: Meeting, body: Body, render, key: str) -> int:
    """A working group's non-member participants (who agreed to being contacted by the group when they joined)
    get its meeting notices too, by e-mail, in the council's language, with the meeting's event."""
    council = db.session.get(Council, meeting.council_id)
    sent = 0
    with force_locale(council.locale or "tr"):
        subject, text = render()
    for participant in participants_on(body, meeting.day):
        if not participant.email or not first_time(f"{key}:participant:{participant.id}"):
            continue
        message = build_message(participant.email, subject, text)
        _attach_calendar(message, meeting.id)
        deliver(message)
        sent += 1
    return sent


def decision_taken(vote_id: uuid.UUID, key: str) -> int:
    """Tell the body's members about a decision it took."""

    vote = db.session.scalar(select(Vote).where(Vote.id == vote_id))
    if vote is None or not vote.decision_number:
        return 0
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.id == vote.agenda_item_id))
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == item.meeting_id))
    body = db.session.get(Body, meeting.body_id)

    def render() -> tuple[str, str]:
        return (_("Decision %(number)s of %(body)s", number=vote.decision_number, body=body.name),
                _("%(body)s adopted decision %(number)s on: %(item)s (%(yes)d yes, %(no)d no, %(abstain)d "
                  "abstaining).", body=body.name, number=vote.decision_number, item=item.title, yes=vote.yes,
                  no=vote.no, abstain=vote.abstain))

    return notify(sorted(eligible_members(body, meeting.day, parameters_on(meeting.day))), Kind.DECISION,
                  render, key)


def motion_status_changed(motion_id: uuid.UUID, status: str, key: str) -> int:
    """The executive board follows motions up: its members hear of each change of status."""
    from datetime import date as day_type


    motion = db.session.scalar(select(Motion).where(Motion.id == motion_id))
    board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
    if motion is None or board is None:
        return 0
    members = sorted({s.member_id for s in seats_on(board, day_type.today()) if s.role in VOTING_ROLES})

    def render() -> tuple[str, str]:
        return (_("Motion no. %(n)d: %(status)s", n=motion.number, status=label(status)),
                _("The motion \"%(title)s\" (decision %(number)s) is now: %(status)s.", title=motion.title,
                  number=motion.decision_number, status=label(status)))

    return notify(members, Kind.MOTION_STATUS, render, key)


def application_outcome(application_id: uuid.UUID, key: str) -> bool:
    """Tell the applicant how their application was decided (if they gave an e-mail address)."""

    application = db.session.scalar(select(MembershipApplication).where(MembershipApplication.id == application_id))
    address = (application.applicant or {}).get("email") if application else None
    if not address or not first_time(key):
        return False
    council = db.session.get(Council, application.council_id)
    with force_locale(council.locale or "tr"):
        if application.status is ApplicationStatus.APPROVED:
            subject = _("Your membership application was approved")
            text = _("Welcome to %(council)s. Your membership application no. %(number)d was approved.",
                     council=council.name, number=application.number)
        else:
            subject = _("Your membership application was decided")
            text = _("Your membership application no. %(number)d to %(council)s was not approved. Reason: %(reason)s",
                     number=application.number, council=council.name, reason=application.decision_reason or "—")
        deliver(build_message(address, subject, text))
    return True


# --- the outbox events that notify people ---------------------------------------------------------------------


@outbox.handles("notifications.batch")
def _on_notifications_batch(event: outbox.OutboxEvent, keep) -> None:
    # Idempotent: a note already e-mailed is skipped, and each one sent is kept at once.
    send_batch(event.payload["notification_ids"], keep=keep)


@outbox.handles("application.decided")
def _on_application_decided(event: outbox.OutboxEvent, _keep) -> None:
    application_outcome(uuid.UUID(event.payload["application_id"]), key=str(event.id))


@outbox.handles("meeting.called")
def _on_meeting_called(event: outbox.OutboxEvent, _keep) -> None:
    meeting_invitations(uuid.UUID(event.payload["meeting_id"]), key=str(event.id))


@outbox.handles("meeting.rescheduled")
def _on_meeting_rescheduled(event: outbox.OutboxEvent, _keep) -> None:
    meeting_invitations(uuid.UUID(event.payload["meeting_id"]), key=str(event.id), change="rescheduled")


@outbox.handles("meeting.cancelled")
def _on_meeting_cancelled(event: outbox.OutboxEvent, _keep) -> None:
    meeting_invitations(uuid.UUID(event.payload["meeting_id"]), key=str(event.id), change="cancelled")


@outbox.handles("decision.taken")
def _on_decision_taken(event: outbox.OutboxEvent, _keep) -> None:
    decision_taken(uuid.UUID(event.payload["vote_id"]), key=str(event.id))


@outbox.handles("motion.status")
def _on_motion_status(event: outbox.OutboxEvent, _keep) -> None:
    motion_status_changed(uuid.UUID(event.payload["motion_id"]), event.payload["status"], key=str(event.id))

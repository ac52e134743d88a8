"""A meeting's record once it is over: the minutes its presiding board approves, frozen, and the signed archive.

After the close the desk draws up a version of the minutes (:func:`draw_up`): the PDF as the record stands, its
fingerprint (the SHA-256 of its text) printed on every page. Each member of the elected presiding board approves
that version from their phone (or at the desk), confirming afresh with the code of their badge (a fresh
confirmation, not a second factor: an online member's link e-mail carries the code too). When the last of them approves, the version is frozen and the
meeting's archive is sealed: the minutes, the attendance list, every vote's ledger and result, the floor motions,
the speakers and the audit entries of the meeting, in one zip whose manifest the council's key signs
(konsey.core.signed_packages). A frozen version never changes; a correction is a new version naming the one it
corrects and why, approved the same way, and sealed into a new archive.

Where a body's meetings have no presiding board, the chair and the secretary general sign the paper copy, and no
version is drawn up here.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import Integer, LargeBinary, String, Uuid, delete, select
from sqlalchemy.orm import Mapped, deferred, mapped_column

from konsey.core import floor_motions, presiding, speakers
from konsey.core.attendance_list import attendance_list_pdf
from konsey.core.audit import AuditEntry, record
from konsey.core.bodies import Body
from konsey.core.council_keys import council_key
from konsey.core.errors import Conflict, Invalid, NotFound
from konsey.core.meetings import AgendaItem, Ballot, Meeting, MeetingStatus, Vote, VoteKind
from konsey.core.membership import Member
from konsey.core.minutes import minutes_version, short_fingerprint
from konsey.core.signed_packages import seal
from konsey.core.votes import count_of
from konsey.tenants.db import CouncilOwned, as_utc, db, lock, same_council_fk, utcnow
from konsey.tenants.models import Council

ARCHIVE_FORMAT = "konsey-meeting-archive/1"


class MinutesVersion(CouncilOwned, db.Model):
    """One version of a meeting's minutes, as drawn up for the board's approval; frozen once all approved."""

    __tablename__ = "minutes_versions"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    number: Mapped[int] = mapped_column(Integer)
    fingerprint: Mapped[str] = mapped_column(String(64))
    document: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    drawn_up_at: Mapped[datetime] = mapped_column(default=utcnow)
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the frozen version this one corrects
    correction_reason: Mapped[str | None] = mapped_column(String(500))
    frozen_at: Mapped[datetime | None]

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "meeting_id", "number"),
        db.Index("ix_minutes_versions_council_fingerprint", "council_id", "fingerprint"),
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
    )

    @property
    def short_fingerprint(self) -> str:
        """As printed at the foot of every page (XXXX-XXXX-XXXX-XXXX)."""
        return short_fingerprint(self.fingerprint)


class MinutesApproval(CouncilOwned, db.Model):
    """A board member's approval of one version of the minutes."""

    __tablename__ = "minutes_approvals"

    version_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "version_id", "member_id"),
        same_council_fk("version_id", "minutes_versions", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


class MeetingArchive(CouncilOwned, db.Model):
    """The signed archive sealed when a version of the minutes was frozen (one per frozen version)."""

    __tablename__ = "meeting_archives"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sealed_at: Mapped[datetime] = mapped_column(default=utcnow)
    filename: Mapped[str] = mapped_column(String(120))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "version_id"),
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
        same_council_fk("version_id", "minutes_versions", ondelete="CASCADE"),
    )


def versions(meeting: Meeting) -> list[MinutesVersion]:
    return list(db.session.scalars(select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id)
                                   .order_by(MinutesVersion.number)))


def version_of(meeting: Meeting, number: int) -> MinutesVersion:
    if not 0 < number < 2**31:  # an address's number beyond the column's range is simply not a version
        raise NotFound(_("Not found."))
    version = db.session.scalar(select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id,
                                                             MinutesVersion.number == number))
    if version is None:
        raise NotFound(_("Not found."))
    return version


def approvals(version: MinutesVersion) -> dict[uuid.UUID, datetime]:
    """Who of the board approved this version, and when."""
    return dict(db.session.execute(select(MinutesApproval.member_id, MinutesApproval.approved_at)
                                   .where(MinutesApproval.version_id == version.id)).all())


def awaiting(meeting: Meeting) -> MinutesVersion | None:
    """The version the board is approving now, if any."""
    return db.session.scalar(select(MinutesVersion).where(MinutesVersion.meeting_id == meeting.id,
                                                          MinutesVersion.frozen_at.is_(None)))


def draw_up(meeting: Meeting, reason: str | None = None) -> MinutesVersion:
    """A version of the closed meeting's minutes for the board to approve: the first, or a correction of the
    frozen one (with its ``reason``)."""
    if meeting.status is not MeetingStatus.CLOSED:
        raise Conflict({"meeting": [_("The minutes are drawn up for approval once the meeting is closed.")]})
    if not presiding.board(meeting):
        raise Conflict({"meeting": [_("This meeting had no elected presiding board to approve its minutes.")]})
    lock(meeting, "no_key_update")  # two desks drawing up at once: one version
    if awaiting(meeting) is not None:
        raise Conflict({"meeting": [_("A version of the minutes is waiting for the board's approval.")]})
    earlier = versions(meeting)
    reason = (reason or "").strip() or None
    if earlier and reason is None:
        raise Invalid({"reason": [_("A correction of approved minutes says what it corrects.")]})
    if not earlier and reason is not None:
        raise Invalid({"reason": [_("Only a correction of approved minutes has a reason.")]})
    number = len(earlier) + 1
    # The record is in the council's language, whatever the language of the person at the desk: the same text,
    # and so the same fingerprint, for every reader.
    with force_locale(db.session.get(Council, meeting.council_id).locale or "tr"):
        document, fingerprint = minutes_version(meeting, number, earlier[-1].number if earlier else None, reason)
    version = MinutesVersion(meeting_id=meeting.id, number=number, fingerprint=fingerprint, document=document,
                             corrects_id=earlier[-1].id if earlier else None, correction_reason=reason)
    db.session.add(version)
    db.session.flush()
    # The fingerprint and the version's number, never its text or the reason (free text stays out of the chain).
    record("minutes.drawn_up", version, {"meeting": str(meeting.id), "number": number, "fingerprint": fingerprint,
                                         "corrects": str(version.corrects_id) if version.corrects_id else None})
    return version


def approve(meeting: Meeting, version: MinutesVersion, member: Member) -> bool:
    """A board member approves the version; True when that was the last approval and the version is frozen (and
    the archive sealed)."""
    board = {member_row.id for _seat, member_row in presiding.board(meeting)}
    if member.id not in board:
        raise Invalid({"member_id": [_("Only the members of the presiding board approve the minutes.")]})
    lock(version, "no_key_update")  # the last two approvals at once: one freezes
    if version.frozen_at is not None:
        raise Conflict({"version": [_("These minutes are approved and frozen already.")]})
    approved = set(approvals(version))
    if member.id in approved:
        raise Conflict({"version": [_("You have approved this version already.")]})
    approval = MinutesApproval(version_id=version.id, member_id=member.id)
    db.session.add(approval)
    db.session.flush()
    record("minutes.approved", approval, {"version": str(version.id), "fingerprint": version.fingerprint})
    if not board <= approved | {member.id}:
        return False
    version.frozen_at = utcnow()
    archive = seal_archive(meeting, version)
    record("minutes.frozen", version, {"number": version.number, "fingerprint": version.fingerprint,
                                       "archive_manifest_sha256": archive.manifest_sha256})
    return True


def withdraw(meeting: Meeting, version: MinutesVersion) -> None:
    """The desk takes back a version the board has not yet approved in full (a board member who cannot approve:
    erased, or with no way to confirm), so that another can be drawn up; a frozen version is never withdrawn."""
    lock(version, "update")
    if version.frozen_at is not None:
        raise Conflict({"version": [_("These minutes are approved and frozen already.")]})
    record("minutes.withdrawn", version, {"number": version.number, "fingerprint": version.fingerprint})
    db.session.execute(delete(MinutesApproval).where(MinutesApproval.version_id == version.id))
    db.session.delete(version)
    db.session.flush()


def _vote_records(meeting: Meeting) -> list[dict]:
    """Every vote of the meeting with its result and its ledger: who voted through which channel; for a vote by
    name their choice too, for a secret vote never."""
    votes = db.session.execute(select(Vote, AgendaItem).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                               .where(AgendaItem.meeting_id == meeting.id).order_by(Vote.opened_at)).all()
    names = dict(db.session.execute(select(Member.id, Member.name).join(
        Ballot, Ballot.member_id == Member.id).join(Vote, Vote.id == Ballot.vote_id).join(
        AgendaItem, AgendaItem.id == Vote.agenda_item_id).where(AgendaItem.meeting_id == meeting.id)).all())
    records = []
    for vote, item in votes:
        count = count_of(vote)
        ledger = db.session.scalars(select(Ballot).where(Ballot.vote_id == vote.id)).all()
        entries = []
        for ballot in sorted(ledger, key=lambda b: names.get(b.member_id, "")):
            entry = {"seat": names.get(ballot.member_id, "—"), "channel": str(ballot.channel)}
            if vote.kind is not VoteKind.SECRET and ballot.choice is not None:
                entry["choice"] = str(ballot.choice)
            entries.append(entry)
        records.append({
            "item": item.title, "kind": str(vote.kind), "purpose": str(vote.purpose),
            "opened_at": as_utc(vote.opened_at).isoformat(),
            "closed_at": as_utc(vote.closed_at).isoformat() if vote.closed_at else None,
            "present": vote.present, "yes": vote.yes, "no": vote.no, "abstain": vote.abstain,
            "outcome": str(vote.outcome) if vote.outcome else None, "decision_number": vote.decision_number,
            "turnout_by_channel": dict(sorted(count.turnout.items())),
            # A secret vote's hall subtotal beside the phones' could name a voter: its totals and turnout only.
            "hall_counts": ({"yes": vote.hall_yes, "no": vote.hall_no, "abstain": vote.hall_abstain}
                            if vote.hall_yes is not None and vote.kind is not VoteKind.SECRET else None),
            "ledger": entries,
        })
    return records


def _floor_motion_records(meeting: Meeting) -> list[dict]:
    return [{"number": motion.number, "kind": str(motion.kind), "text": motion.text, "proposer": proposer,
             "channel": str(motion.channel), "handed_in_at": as_utc(motion.handed_in_at).isoformat(),
             "status": str(motion.status), "refusal_reason": motion.refusal_reason, "signatures": signatures}
            for motion, proposer, signatures in floor_motions.listed(meeting)]


def _speaker_records(meeting: Meeting) -> list[dict]:
    return [{"speaker": name, "stance": str(request.stance),
             "from": as_utc(request.started_at).isoformat() if request.started_at else None,
             "to": as_utc(request.ended_at).isoformat() if request.ended_at else None}
            for request, name in speakers.spoken(meeting)]


def _audit_excerpt(meeting: Meeting, version: MinutesVersion) -> list[dict]:
    """The audit chain's entries about this meeting and what happened in it (each with its hash, so the excerpt
    can be laid against the council's chain)."""
    subjects = {str(meeting.id), str(version.id)}
    subjects |= {str(i) for i in db.session.scalars(select(Vote.id).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                                                    .where(AgendaItem.meeting_id == meeting.id))}
    subjects |= {str(motion.id) for motion, _proposer, _signatures in floor_motions.listed(meeting)}
    subjects |= {str(i) for i in db.session.scalars(select(MinutesApproval.id).join(
        MinutesVersion, MinutesVersion.id == MinutesApproval.version_id).where(MinutesVersion.meeting_id == meeting.id))}
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_id.in_(subjects))
                                 .order_by(AuditEntry.seq)).all()
    return [{"seq": e.seq, "at": as_utc(e.at).isoformat(), "action": e.action, "subject_type": e.subject_type,
             "subject_id": e.subject_id, "details": e.details, "prev_hash": e.prev_hash, "hash": e.hash}
            for e in entries]


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str).encode("utf-8")


def seal_archive(meeting: Meeting, version: MinutesVersion) -> MeetingArchive:
    """The meeting's archive with this (frozen) version of the minutes, signed with the council's key."""
    council = db.session.get(Council, meeting.council_id)
    body = db.session.get(Body, meeting.body_id)
    board = [{"name": member.name, "role": str(seat.role)} for seat, member in presiding.board(meeting)]
    approved = approvals(version)
    names = dict(db.session.execute(select(Member.id, Member.name).where(Member.id.in_(list(approved) or [None]))).all())
    files = [
        ("tutanak.pdf", version.document),
        ("oylamalar.json", _json(_vote_records(meeting))),
        ("onergeler.json", _json(_floor_motion_records(meeting))),
        ("konusmacilar.json", _json(_speaker_records(meeting))),
        ("denetim-kaydi.json", _json(_audit_excerpt(meeting, version))),
    ]
    header = {
        "format": ARCHIVE_FORMAT,
        "council": {"name": council.name, "slug": council.slug, "public_key": council_key().public_key},
        "meeting": {"id": str(meeting.id), "title": meeting.title, "body": body.name,
                    "scheduled_at": as_utc(meeting.scheduled_at).isoformat(),
                    "closed_at": as_utc(meeting.closed_at).isoformat() if meeting.closed_at else None},
        "minutes": {"version": version.number, "fingerprint": version.fingerprint,
                    "corrects_version": _number_of(version.corrects_id),
                    "correction_reason": version.correction_reason,
                    "approved_by": [{"name": names.get(member_id, "—"), "at": as_utc(at).isoformat()}
                                    for member_id, at in sorted(approved.items(), key=lambda kv: kv[1])]},
        "presiding_board": board,
    }
    with force_locale(council.locale or "tr"):  # the attendance list in the council's language, as the minutes
        attendance = attendance_list_pdf(meeting)
    files.insert(1, ("hazirun-cetveli.pdf", attendance))
    content, manifest, _signature = seal(header, files)
    archive = MeetingArchive(meeting_id=meeting.id, version_id=version.id, content=content,
                             filename=f"toplanti-arsivi-{council.slug}-{meeting.day:%Y%m%d}-v{version.number}.zip",
                             manifest_sha256=hashlib.sha256(manifest).hexdigest())
    db.session.add(archive)
    db.session.flush()
    return archive


def _number_of(version_id: uuid.UUID | None) -> int | None:
    if version_id is None:
        return None
    return db.session.scalar(select(MinutesVersion.number).where(MinutesVersion.id == version_id))


def latest_archive(meeting: Meeting) -> MeetingArchive | None:
    return db.session.scalar(select(MeetingArchive).where(MeetingArchive.meeting_id == meeting.id)
                             .order_by(MeetingArchive.sealed_at.desc()).limit(1))

"""A closed meeting's record: the minutes drawn up for the presiding board, approved by each of its members from
their phone, frozen, and the signed archive; and the public check of an archive or a fingerprint.

Drawing up is the desk's (``meetings.run``); approving is a board member's own step, authorised by their pass's
key and confirmed with their badge's code (konsey.core.meeting_record); the check is public, as the council's
public key is."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import meeting_record, passes, presiding
from konsey.core.council_keys import public_keys, published_key
from konsey.core.errors import Invalid, NotFound
from konsey.core.meeting_record import MeetingArchive, MinutesVersion
from konsey.core.meetings import Meeting
from konsey.core.passes import normalised_code
from konsey.core.permissions import Permission
from konsey.core.signed_packages import problems_of, read_manifest
from konsey.schemas.meetings import DeskMinutesApprovalSchema, DrawUpMinutesSchema, MinutesApprovalInSchema
from konsey.tenants.db import db
from konsey.usecases.base import command, loaded, query
from konsey.usecases.hybrid import pass_holder
from konsey.usecases.meetings import meeting
from konsey.usecases.members import member_named

ARCHIVE_LIMIT = 9 * 1024 * 1024  # the largest archive the public page checks (within the app's upload limit)


@dataclass(frozen=True)
class VersionState:
    """A version of the minutes with who of the board approved it."""

    version: MinutesVersion
    approved: dict[uuid.UUID, datetime]
    board: list  # (seat, member), in order
    corrects_number: int | None = None

    @property
    def waiting_for(self) -> list:
        return [(seat, member) for seat, member in self.board if member.id not in self.approved]


@dataclass(frozen=True)
class MeetingRecord:
    meeting: Meeting
    versions: list[VersionState]
    archive: MeetingArchive | None
    can_draw_up: bool


def _record(meeting_row: Meeting) -> MeetingRecord:
    board = presiding.board(meeting_row)
    versions = meeting_record.versions(meeting_row)
    numbers = {v.id: v.number for v in versions}
    states = [VersionState(v, meeting_record.approvals(v), board, numbers.get(v.corrects_id)) for v in versions]
    return MeetingRecord(meeting_row, states, meeting_record.latest_archive(meeting_row),
                         can_draw_up=bool(board) and meeting_row.status.value == "closed"
                         and all(s.version.frozen_at is not None for s in states))


@query(Permission.COUNCIL_VIEW)
def minutes_record(meeting_id: uuid.UUID) -> MeetingRecord:
    """The versions of the meeting's minutes, each with the board's approvals, and the latest archive."""
    return _record(meeting(meeting_id))


@command(Permission.MEETINGS_RUN, takes=DrawUpMinutesSchema)
def draw_up_minutes(meeting_id: uuid.UUID, data: dict) -> MinutesVersion:
    """A version of the closed meeting's minutes for the board's approval (a correction says why)."""
    meeting_row = meeting(meeting_id)
    return meeting_record.draw_up(meeting_row, loaded(data).get("reason"))


@query(Permission.COUNCIL_VIEW)
def minutes_version_pdf(meeting_id: uuid.UUID, number: int) -> tuple[Meeting, MinutesVersion]:
    """One version of the minutes, as the board approves (or approved) it."""
    meeting_row = meeting(meeting_id)
    return meeting_row, meeting_record.version_of(meeting_row, number)


@query(Permission.COUNCIL_VIEW)
def meeting_archive(meeting_id: uuid.UUID) -> MeetingArchive:
    """The latest signed archive of the meeting (sealed when a version of its minutes was frozen)."""
    archive = meeting_record.latest_archive(meeting(meeting_id))
    if archive is None:
        raise NotFound(_("The meeting's archive is sealed once the board has approved its minutes."))
    return archive


@command(Permission.MEETINGS_RUN)
def withdraw_minutes(meeting_id: uuid.UUID, number: int) -> None:
    """Take back a version of the minutes the board has not approved in full (another is drawn up after)."""
    meeting_row = meeting(meeting_id)
    meeting_record.withdraw(meeting_row, meeting_record.version_of(meeting_row, number))


@command(Permission.MEETINGS_RUN, takes=DeskMinutesApprovalSchema)
def approve_minutes_at_desk(meeting_id: uuid.UUID, number: int, data: dict) -> bool:
    """A member of the board without their phone approves at the desk, typing the code on their badge (the same
    confirmation as on the phone); True when that froze the minutes."""
    meeting_row = meeting(meeting_id)
    version = meeting_record.version_of(meeting_row, number)
    data = loaded(data)
    member = member_named(data["member_id"])
    held = passes.pass_of(meeting_row, member.id)
    if held is None or normalised_code(data["code"]) != held.code:
        raise Invalid({"code": [_("This is not the code on the member's badge.")]})
    return meeting_record.approve(meeting_row, version, member)


# --- a board member's phone ------------------------------------------------------------------------------------


@query(None)
def phone_minutes_pdf(token: str, number: int) -> tuple[Meeting, MinutesVersion]:
    """A version of the minutes for a member of the board to read before approving it."""
    _pass, meeting_row, member = pass_holder(token)
    if not presiding.on_board(meeting_row, member.id):
        raise NotFound(_("Not found."))
    return meeting_row, meeting_record.version_of(meeting_row, number)


@command(None, takes=MinutesApprovalInSchema)
def phone_approve_minutes(token: str, number: int, data: dict) -> bool:
    """A member of the board approves a version of the minutes, confirming with their badge's code; True when that
    froze it (every member approved) and sealed the archive."""
    meeting_pass, meeting_row, member = pass_holder(token)
    data = loaded(data)
    if normalised_code(data["code"]) != meeting_pass.code:
        raise Invalid({"code": [_("This is not the code on your badge.")]})
    return meeting_record.approve(meeting_row, meeting_record.version_of(meeting_row, number), member)


# --- the public check ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the public check found: an archive's problems (none: intact, the council's), what it says it is,
    and the version of the minutes a fingerprint names."""

    checked_archive: bool
    problems: list[str]
    manifest: dict | None
    version: MinutesVersion | None
    meeting: Meeting | None

    @property
    def archived_meeting_at(self) -> datetime | None:
        """When the archived meeting was held, as its manifest says."""
        try:
            return datetime.fromisoformat(self.manifest["meeting"]["scheduled_at"])
        except (TypeError, KeyError, ValueError):
            return None


@query(None)
def verify_record(data: dict) -> Verification:
    """Check an archive against the council's public key, or look up the version of the minutes a fingerprint (the
    one on every page, or the whole SHA-256) names."""
    keys = public_keys()
    archive: bytes | None = data.get("archive")
    if archive:
        if len(archive) > ARCHIVE_LIMIT:
            raise Invalid({"archive": [_("The file is larger than an archive can be.")]})
        if not keys:
            raise Invalid({"archive": [_("This council has not signed any archive yet.")]})
        problems = problems_of(archive, keys)
        manifest = read_manifest(archive)
        if manifest is not None and manifest.get("format") != meeting_record.ARCHIVE_FORMAT and not problems:
            problems = [_("This is a package of the council, but not a meeting's archive.")]
        return Verification(True, problems, manifest, None, None)
    typed = "".join(ch for ch in (data.get("fingerprint") or "").lower() if ch in "0123456789abcdef")
    if len(typed) < 16:
        raise Invalid({"fingerprint": [_("Type the fingerprint printed at the foot of the minutes' pages.")]})
    version = db.session.scalar(select(MinutesVersion).where(MinutesVersion.fingerprint.startswith(typed))
                                .order_by(MinutesVersion.drawn_up_at.desc()).limit(1))
    if version is None:
        raise Invalid({"fingerprint": [_("No minutes of this council have this fingerprint.")]})
    return Verification(False, [], None, version, db.session.get(Meeting, version.meeting_id))


@query(None)
def public_key():
    """The council's published key (what an archive's signature is checked against), if it has one yet."""
    return published_key()


@query(None)
def check_package(content: bytes, public_key_b64: str) -> tuple[list[str], dict | None]:
    """Any signed package of a council (a meeting's archive, a motion's package) against a public key, with no
    database: its problems (none: intact and signed with that key) and what its manifest says it is."""
    return problems_of(content, public_key_b64), read_manifest(content)

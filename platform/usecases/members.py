"""Members of the council: the list, adding, changing and erasing a member, the membership history (suspend,
end, restore with a reason), institutions' representatives, and the CSV import."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable

from flask_babel import gettext as _
from sqlalchemy import literal, or_, select, tuple_

from konsey.core import applications, export, meetings, member_passkeys, membership, representatives
from konsey.core.audit import record
from konsey.core.errors import Invalid
from konsey.core.identifiers import tckn_is_valid
from konsey.core.membership import Member, MembershipEvent
from konsey.core.permissions import Permission
from konsey.core.representatives import Representative
from konsey.core.seats import Seat
from konsey.core.special_data import lookup_hash
from konsey.core.text import search_key
from konsey.schemas.members import (
    MemberInputSchema,
    MemberStatusChangeSchema,
    MemberUpdateSchema,
    RepresentativeSchema,
)
from konsey.tenants.db import db
from konsey.tenants.models import council_today
from konsey.usecases import member_import
from konsey.usecases.base import command, loaded, one, query, referenced


def member_named(member_id, field: str = "member_id") -> Member:
    """The member an input field names, or :class:`Invalid` on that field."""
    return referenced(Member, member_id, field, _("No such member in this council."))


@query(Permission.MEMBERS_VIEW)
def list_members(page: int = 1, per_page: int = 50, q: str | None = None, *, category=None, status=None,
                 body_id: uuid.UUID | None = None, after: str | None = None) -> tuple[list[Member], bool]:
    """Members in Turkish alphabetical order, a page at a time; and whether there is a next page. Filters:
    a part of the name (or a whole identity number), a category, a status, and a body (those who hold a seat in it
    today).

    ``after`` (a :func:`member_cursor`) continues after that member through the (sort name, id) index, so a
    deep page costs what the first does; ``page`` (an offset) remains for the pages' "previous" links."""
    rows = select(Member).order_by(Member.sort_name, Member.id)
    if q and tckn_is_valid(q.strip()):  # an identity number: found by the council's keyed hash, never by its value
        rows = rows.where(Member.tckn_hash == lookup_hash(q.strip()))
    elif q and search_key(q):  # anywhere in the name, however it was typed (konsey.core.text.search_key)
        rows = rows.where(Member.search_name.contains(search_key(q), autoescape=True))
    if category is not None:
        rows = rows.where(Member.category == category)
    if status is not None:
        rows = rows.where(Member.status == status)
    if body_id is not None:
        today = council_today()
        seated = select(Seat.member_id).where(Seat.body_id == body_id, Seat.starts_on <= today,
                                              or_(Seat.ends_on.is_(None), Seat.ends_on >= today))
        rows = rows.where(Member.id.in_(seated))
    if after is not None:
        sort_name, member_id = _read_cursor(after)
        rows = rows.where(tuple_(Member.sort_name, Member.id) > tuple_(literal(sort_name, Member.sort_name.type),
                                                                       literal(member_id, Member.id.type)))
    else:
        rows = rows.offset((max(page, 1) - 1) * per_page)
    found = db.session.scalars(rows.limit(per_page + 1)).all()
    return found[:per_page], len(found) > per_page


def member_cursor(member: Member) -> str:
    """Where a page of members ended, for ``after``: opaque to clients (base64 of the sort key and the id)."""
    return base64.urlsafe_b64encode(f"{member.sort_name}\x1f{member.id}".encode()).decode().rstrip("=")


def _read_cursor(cursor: str) -> tuple[str, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        sort_name, member_id = raw.rsplit("\x1f", 1)
        return sort_name, uuid.UUID(member_id)
    except ValueError:  # bad base64, bad UTF-8, no separator, a bad id: all ValueErrors
        raise Invalid({"after": [_("This page link is not valid; start from the first page.")]}) from None


@query(Permission.MEMBERS_VIEW)
def show_member(member_id: uuid.UUID) -> Member:
    """One member's record."""
    return one(Member, member_id)


@command(Permission.MEMBERS_MANAGE, takes=MemberInputSchema)
def add_member(data: dict) -> Member:
    """Add an individual or institutional member (the statutory caps apply)."""
    data = loaded(data)
    member = membership.add_member(data)
    if member.sms_consent_at is not None:
        applications.record_sms_consent(member, "secretariat")
    return member


@command(Permission.MEMBERS_MANAGE, takes=MemberUpdateSchema)
def update_member(member_id: uuid.UUID, data: dict) -> Member:
    """Apply a partial change; the member as it would then be is validated as a whole first."""
    member = one(Member, member_id)
    data = loaded(data)
    schema = MemberInputSchema()
    current = {k: v for k, v in schema.dump(member).items() if v is not None}
    schema.load({**current, **schema.dump(data)})  # a ValidationError names the field (422)
    membership.update_member(member, data)
    if "sms_consent_at" in data:
        applications.record_sms_consent(member, "secretariat")
    return member


@query(Permission.MEMBERS_VIEW)
def passkeys_of(member_id: uuid.UUID) -> list:
    """The passkeys the member added on their phones (to confirm it is them at a meeting): names and dates only."""
    return member_passkeys.of_member(one(Member, member_id).id)


@command(Permission.MEMBERS_MANAGE)
def remove_passkeys(member_id: uuid.UUID) -> int:
    """A phone lost or passed on: the member's passkeys go; the next meeting asks for a code by SMS again."""
    member = one(Member, member_id)
    removed = member_passkeys.remove_all(member)
    record("member.passkeys_removed", member, {"count": removed})
    return removed


@command(Permission.MEMBERS_MANAGE)
def erase_member(member_id: uuid.UUID) -> None:
    """Erase a member's record (KVKK erasure request): what the other records hold of the person goes first."""
    member = one(Member, member_id)
    applications.forget_member(member.id)
    meetings.forget_stand_ins(member.id)
    export.drop_ready_exports()  # a ready export would still carry the erased person's data
    membership.remove_member(member)


@query(Permission.MEMBERS_VIEW)
def membership_history(member_id: uuid.UUID) -> list[MembershipEvent]:
    """A member's history: joined, status changes, seats."""
    member = one(Member, member_id)
    return db.session.scalars(select(MembershipEvent).where(MembershipEvent.member_id == member.id)
                              .order_by(MembershipEvent.on, MembershipEvent.created_at)).all()


@command(Permission.MEMBERS_MANAGE, takes=MemberStatusChangeSchema)
def change_status(member_id: uuid.UUID, data: dict) -> MembershipEvent:
    """Suspend, end or restore a membership, with the reason."""
    member = one(Member, member_id)
    data = loaded(data)
    return membership.change_status(member, data["status"], data["reason"], data.get("on") or council_today())


@query(Permission.MEMBERS_VIEW)
def list_representatives(member_id: uuid.UUID) -> list[Representative]:
    """An institution's representatives, with their mandates."""
    member = one(Member, member_id)
    return db.session.scalars(select(Representative).where(Representative.member_id == member.id)
                              .order_by(Representative.mandate_expires_on.desc())).all()


@command(Permission.MEMBERS_MANAGE, takes=RepresentativeSchema)
def appoint_representative(member_id: uuid.UUID, data: dict) -> Representative:
    """Record an institution's representative or substitute with their mandate letter."""
    member = one(Member, member_id)
    data = loaded(data)
    return representatives.appoint(member, data["capacity"], data["name"], data["mandate_letter"],
                                   data["mandate_expires_on"], mobile=data.get("mobile"))


@command(Permission.MEMBERS_MANAGE)
def end_mandate(member_id: uuid.UUID, representative_id: uuid.UUID) -> Representative:
    """End a representative's mandate today (the record is kept)."""
    member = one(Member, member_id)
    representative = one(Representative, representative_id, member_id=member.id)
    representatives.end_mandate(representative)
    return representative


@command(Permission.MEMBERS_IMPORT)
def import_members(content: bytes, *, dry_run: bool,
                   progress: Callable[[int, int], None] | None = None) -> member_import.ImportReport:
    """A CSV of members: a dry run reports every bad row; a real run adds them all, or none if any is bad."""
    return member_import.import_members(content, dry_run=dry_run, progress=progress)  # adds nothing unless all good

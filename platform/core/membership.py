"""Council members: individual citizens and institutions acting through representatives."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, String, Text, Uuid, event, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.counters import next_number
from konsey.core.errors import Conflict, Invalid
from konsey.core.rules.membership import category_cap
from konsey.core.special_data import Category, Sealed, lookup_hash
from konsey.core.text import email_lower, search_key, turkish_sort_key
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import Council, council_today
from konsey.tenants.scoping import current_council_id


class MemberKind(enum.StrEnum):
    INDIVIDUAL = "individual"
    INSTITUTIONAL = "institutional"


class MemberCategory(enum.StrEnum):
    """Who may take part (Regulation art. 7 and domain.md)."""

    INDIVIDUAL = "individual"
    PUBLIC_BODY = "public_body"
    CIVIL_ADMINISTRATION = "civil_administration"
    MUNICIPALITY = "municipality"
    MUHTAR = "muhtar"
    POLITICAL_PARTY = "political_party"
    UNIVERSITY = "university"
    PROFESSIONAL_CHAMBER = "professional_chamber"
    UNION = "union"
    NOTARY = "notary"
    BAR_ASSOCIATION = "bar_association"
    ASSOCIATION = "association"
    FOUNDATION = "foundation"
    ASSEMBLY_REPRESENTATIVE = "assembly_representative"
    WORKING_GROUP_REPRESENTATIVE = "working_group_representative"
    OTHER = "other"

    @property
    def kind(self) -> MemberKind:
        # A group's seat takes part like an institution: the group holds it, its representative attends.
        individual = {self.INDIVIDUAL, self.MUHTAR}
        return MemberKind.INDIVIDUAL if self in individual else MemberKind.INSTITUTIONAL


# The general-assembly seat of an assembly or working group (rule 5): opened when the general assembly approves
# the group, ended when it is dissolved; never entered by hand.
GROUP_SEAT_CATEGORIES = (MemberCategory.ASSEMBLY_REPRESENTATIVE, MemberCategory.WORKING_GROUP_REPRESENTATIVE)


# Who may apply through the council's public form: a person, or a civil-society organisation speaking for itself.
# Public bodies, the municipality, the civil administration, notaries, bars, parties and muhtars take part by
# office, as the secretariat records them.
PUBLIC_APPLICATION_CATEGORIES = (MemberCategory.INDIVIDUAL, MemberCategory.ASSOCIATION, MemberCategory.FOUNDATION,
                                 MemberCategory.UNION, MemberCategory.PROFESSIONAL_CHAMBER)


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"  # "prefer not to say"


class MemberStatus(enum.StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ENDED = "ended"


# What the inventory says of a representative's name (konsey.core.special_data): whose, why, on which basis.
_REPRESENTATIVES = _l("representatives of member institutions")
_SPEAKS_FOR = _l("who speaks, is checked in and votes for a member institution (Regulation art. 7)")
_AFFILIATION_BASIS = _l("KVKK art. 6/3: explicit consent, or the law's provision")


class Member(CouncilOwned, db.Model):
    __tablename__ = "members"

    member_no: Mapped[int]
    kind: Mapped[MemberKind] = mapped_column(enum_of(MemberKind, 16))
    category: Mapped[MemberCategory] = mapped_column(enum_of(MemberCategory))
    name: Mapped[str] = mapped_column(String(200))  # person or organisation
    sort_name: Mapped[str] = mapped_column(String(400))
    search_name: Mapped[str] = mapped_column(String(200), default="")  # konsey.core.text.search_key of the name
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    # When the member agreed to meeting notices and reminders by SMS (None: none by SMS; their meeting link and a
    # sign-in code still go to the number on file, being how they take part).
    sms_consent_at: Mapped[datetime | None]
    birth_date: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[Gender | None] = mapped_column(enum_of(Gender, 16))
    neighbourhood: Mapped[str | None] = mapped_column(String(120))
    # Sealed (konsey.core.special_data): the identity number, and who speaks for a party, union or association.
    tckn_sealed: Mapped[str | None] = mapped_column("tckn", Text)
    tckn_hash: Mapped[str | None] = mapped_column(String(64))  # the council's keyed hash: found and kept unique by it
    tckn_hint: Mapped[str | None] = mapped_column(String(2))  # its last two digits: all a page or the API ever shows
    tckn = Sealed(Category.IDENTITY, _l("members"), _l("the membership register (Regulation art. 7)"),
                  _l("KVKK art. 5/2(ç): a legal obligation"), label=_l("T.C. identity number"), record=_l("Member"),
                  indexed_by="tckn_hash", hint_by="tckn_hint", kept="retention_former_members_days")
    derbis_no: Mapped[str | None] = mapped_column(String(40))
    mersis_no: Mapped[str | None] = mapped_column(String(16))
    detsis_no: Mapped[str | None] = mapped_column(String(8))
    kep_address: Mapped[str | None] = mapped_column(String(254))
    representative_name_sealed: Mapped[str | None] = mapped_column("representative_name", Text)
    representative_name = Sealed(Category.AFFILIATION, _REPRESENTATIVES, _SPEAKS_FOR, _AFFILIATION_BASIS,
                                 label=_l("Representative's name"), record=_l("Member"),
                                 kept="retention_former_members_days")
    substitute_name_sealed: Mapped[str | None] = mapped_column("substitute_name", Text)
    substitute_name = Sealed(Category.AFFILIATION, _REPRESENTATIVES, _SPEAKS_FOR, _AFFILIATION_BASIS,
                             label=_l("Substitute's name"), record=_l("Member"), kept="retention_former_members_days")
    status: Mapped[MemberStatus] = mapped_column(enum_of(MemberStatus, 16), default=MemberStatus.ACTIVE)
    joined_on: Mapped[date] = mapped_column(Date, default=council_today)  # the council's day, not the server's
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The version of the member's secret calendar address (konsey.core.meeting_calendars): renewing it raises
    # this, and every earlier address stops working.
    calendar_feed_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Set on a group's general-assembly seat: the assembly or working group that holds it (one seat per group).
    group_body_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "member_no"),
        db.UniqueConstraint("council_id", "group_body_id"),
        same_council_fk("group_body_id", "bodies"),
        db.Index("ix_members_council_sort", "council_id", "sort_name", "id"),
        db.Index("ix_members_council_tckn_hash", "council_id", "tckn_hash"),
    )


@event.listens_for(Member.name, "set", propagate=True)
def _keep_sort_name(target: Member, value: str, oldvalue, initiator) -> None:
    target.sort_name = turkish_sort_key(value or "")
    target.search_name = search_key(value or "")[:200]  # folding may lengthen a name (a ligature)


def next_member_no(count: int = 1) -> int:
    """The next member number in the current council; ``count`` numbers are reserved (bulk imports)."""

    return next_number("member_no", lambda: db.session.scalar(select(func.max(Member.member_no))) or 0, count)


def new_member(data: dict, member_no: int) -> Member:
    """A member of the current council from data loaded by ``MemberInputSchema`` (not yet added)."""
    values = {k: v for k, v in data.items() if v is not None}
    return Member(member_no=member_no, kind=data["category"].kind, **values)


class MembershipEvent(CouncilOwned, db.Model):
    """A change of a member's standing (suspended, ended, active again), with the reason: the history."""

    __tablename__ = "membership_events"

    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[MemberStatus] = mapped_column(enum_of(MemberStatus, 16))
    reason: Mapped[str] = mapped_column(String(500))
    on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.Index("ix_membership_events_council_member", "council_id", "member_id"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


def change_status(member: Member, status: MemberStatus, reason: str, on: date) -> MembershipEvent:
    if status is member.status:
        raise Conflict({"status": [_("The member already has this status.")]})
    member.status = status
    event = MembershipEvent(member_id=member.id, status=status, reason=reason, on=on)
    db.session.add(event)
    db.session.flush()
    record("member.status", member, {"status": status.value, "on": on.isoformat()})  # the reason stays here only
    return event


class Capacity(enum.StrEnum):
    REPRESENTATIVE = "representative"
    SUBSTITUTE = "substitute"


class Representative(CouncilOwned, db.Model):
    __tablename__ = "representatives"

    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    capacity: Mapped[Capacity] = mapped_column(enum_of(Capacity, 16))
    name_sealed: Mapped[str] = mapped_column("name", Text)
    name = Sealed(Category.AFFILIATION, _REPRESENTATIVES, _SPEAKS_FOR, _AFFILIATION_BASIS,
                  label=_l("Representative's name"), record=_l("Representative"))
    mandate_letter: Mapped[str] = mapped_column(String(200))  # the letter's date and number, as written
    mobile: Mapped[str | None] = mapped_column(String(16))  # +90…: the institution's meeting link reaches them
    mandate_expires_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.Index("ix_representatives_council_member", "council_id", "member_id"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )

    def valid_on(self, day: date) -> bool:
        return day <= self.mandate_expires_on


def in_order(representatives) -> list[Representative]:
    """Representatives before substitutes, each by name in Turkish order (names are sealed: sorted here, not by
    the database)."""
    # Sorting reads no name for a person: opened without a record (a page showing them records its own read).
    return sorted(representatives, key=lambda rep: (rep.capacity.value, turkish_sort_key(Representative.name.plain(rep))))


def serving_representatives(member: Member, day: date | None = None) -> int:
    """How many representatives (not substitutes) act for the institution with a mandate valid on ``day``."""
    day = day or council_today()
    return sum(1 for rep in db.session.scalars(select(Representative).where(
        Representative.member_id == member.id, Representative.capacity == Capacity.REPRESENTATIVE))
        if rep.valid_on(day))


def check_category_cap(category: MemberCategory, adding: int = 1) -> None:
    """Refuse members beyond the statutory limit of their category in the current council."""
    council = db.session.get(Council, current_council_id())
    cap = category_cap(category.value, council.neighbourhood_count)
    if cap is None:
        return
    count = db.session.scalar(select(func.count(Member.id)).where(
        Member.category == category, Member.status == MemberStatus.ACTIVE))
    if count + adding > cap:
        raise Conflict({"category": [_("The council already has the most members allowed in this "
                                              "category (%(cap)d).", cap=cap)]})


def check_another_university() -> None:
    """With several universities each sends one representative: a university still sending two must end
    one mandate before another university joins."""
    for university in db.session.scalars(select(Member).where(
            Member.category == MemberCategory.UNIVERSITY, Member.status == MemberStatus.ACTIVE)):
        if serving_representatives(university) > 1:
            raise Invalid({"category": [_(
                "%(name)s sends two representatives; with a second university each sends one, so end one of "
                "its mandates first.", name=university.name)]})


def check_unique_identity(data: dict, member: Member | None = None) -> None:
    """One member per e-mail address (whatever its case) and per identity number in a council: the same rule
    for the API, the pages, the CSV import and approved applications."""
    problems = {}
    if data.get("email"):
        same = select(Member.id).where(func.lower(Member.email) == email_lower(data["email"]))
        if member is not None:
            same = same.where(Member.id != member.id)
        if db.session.scalar(same.limit(1)) is not None:
            problems["email"] = [_("A member with this e-mail address already exists.")]
    if data.get("tckn"):
        same = select(Member.id).where(Member.tckn_hash == lookup_hash(data["tckn"]))
        if member is not None:
            same = same.where(Member.id != member.id)
        if db.session.scalar(same.limit(1)) is not None:
            problems["tckn"] = [_("A member with this identity number already exists.")]
    if problems:
        raise Conflict(problems)


def refuse_group_seat_by_hand(category: MemberCategory) -> None:
    if category in GROUP_SEAT_CATEGORIES:
        raise Invalid({"category": [_("An assembly's or working group's seat in the general assembly opens when "
                                      "the general assembly approves the group; it is not entered by hand.")]})


def add_member(data: dict) -> Member:
    refuse_group_seat_by_hand(data["category"])
    check_unique_identity(data)
    check_category_cap(data["category"])
    if data["category"] is MemberCategory.UNIVERSITY:
        check_another_university()
    member = new_member(data, next_member_no())
    db.session.add(member)
    db.session.flush()
    record("member.added", member, {"member_no": member.member_no, "category": member.category.value})
    return member


def update_member(member: Member, data: dict) -> Member:
    """Apply a partial change (the use case has validated the member as it would then be, as a whole)."""
    check_unique_identity(data, member)
    if member.group_body_id is not None and data.get("category", member.category) is not member.category:
        raise Invalid({"category": [_("This is a group's seat in the general assembly: its category stays.")]})
    if data.get("category", member.category) is not member.category:
        refuse_group_seat_by_hand(data["category"])
    if "sms_consent_at" in data and bool(data["sms_consent_at"]) == bool(member.sms_consent_at):
        data = {key: value for key, value in data.items() if key != "sms_consent_at"}  # the first consent's moment
    for key, value in data.items():
        setattr(member, key, value)
    if "category" in data:
        member.kind = data["category"].kind
    # Field names only: the log is kept for good, personal data is not (KVKK).
    record("member.updated", member, {"fields": sorted(data)})
    return member


def remove_member(member: Member) -> None:
    """Erase a member's record (a KVKK erasure request, or a mistaken entry); the log keeps only the id. What
    other records hold of the person (their application, their stand-ins, a ready export) the use case that
    erases them clears first (konsey.usecases.members.erase_member)."""
    record("member.erased", member, {"member_no": member.member_no})
    db.session.delete(member)

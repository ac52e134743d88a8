"""The children's assembly's records: children (minimum data) and their guardians' consents."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Integer, String, Text, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.pluginkit import (
    Category,
    CouncilOwned,
    Invalid,
    Sealed,
    age_on,
    council_today,
    count_round,
    current_council,
    db,
    enum_of,
    notification_template,
    plugin_config,
    record,
    same_council_fk,
    send_mail_after_commit,
    utcnow,
)

NAME = "children_assembly"


class ChildStatus(enum.StrEnum):
    AWAITING_CONSENT = "awaiting_consent"  # nothing but the record exists until a guardian consents
    ACTIVE = "active"
    AGED_OUT = "aged_out"
    LEFT = "left"


class ConsentMethod(enum.StrEnum):
    WRITTEN_FORM = "written_form"
    IN_PERSON = "in_person"
    ELECTRONIC = "electronic"


class Officer(enum.StrEnum):
    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    SECRETARY = "secretary"


_CHILD_PURPOSE = _l("the children's assembly's membership and its guardians' consent")
_CHILD_BASIS = _l("KVKK art. 5/1: the guardian's explicit consent")
_CHILD = _l("Child of the children's assembly")
_KEPT = "retention_minors_days"


class Child(CouncilOwned, db.Model):
    __tablename__ = "children_assembly_children"

    # A minor's data and their guardian's contacts are sealed (konsey.pluginkit.Sealed): a copy of the database
    # shows none of them, and every read by a person is recorded.
    name_sealed: Mapped[str] = mapped_column("name", Text)  # as the family gives it; never published
    name = Sealed(Category.CHILD, _l("children"), _CHILD_PURPOSE, _CHILD_BASIS, label=_l("Child's name"),
                  record=_CHILD, kept=_KEPT)
    birth_date_sealed: Mapped[str | None] = mapped_column("birth_date", Text)
    birth_date = Sealed(Category.CHILD, _l("children"), _CHILD_PURPOSE, _CHILD_BASIS, label=_l("Child's birth date"),
                        record=_CHILD, kind=date, kept=_KEPT)
    school_grade: Mapped[int | None] = mapped_column(Integer)
    guardian_name_sealed: Mapped[str] = mapped_column("guardian_name", Text)
    guardian_name = Sealed(Category.CHILD, _l("guardians"), _CHILD_PURPOSE, _CHILD_BASIS, label=_l("Guardian's name"),
                           record=_CHILD, kept=_KEPT)
    guardian_relation: Mapped[str] = mapped_column(String(60))
    guardian_email_sealed: Mapped[str | None] = mapped_column("guardian_email", Text)
    guardian_email = Sealed(Category.CHILD, _l("guardians"), _CHILD_PURPOSE, _CHILD_BASIS,
                            label=_l("Guardian's e-mail address"), record=_CHILD, kept=_KEPT)
    guardian_phone_sealed: Mapped[str | None] = mapped_column("guardian_phone", Text)
    guardian_phone = Sealed(Category.CHILD, _l("guardians"), _CHILD_PURPOSE, _CHILD_BASIS,
                            label=_l("Guardian's phone"), record=_CHILD, kept=_KEPT)
    status: Mapped[ChildStatus] = mapped_column(enum_of(ChildStatus, 20), default=ChildStatus.AWAITING_CONSENT)
    officer: Mapped[Officer | None] = mapped_column(enum_of(Officer, 20))
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.Index("ix_children_assembly_children_council_status", "council_id", "status"),)


class GuardianConsent(CouncilOwned, db.Model):
    """Who consented for the child, in what relation, when and how (KVKK art. 6: minors via guardians)."""

    __tablename__ = "children_assembly_consents"

    child_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    guardian_name_sealed: Mapped[str] = mapped_column("guardian_name", Text)
    guardian_name = Sealed(Category.CHILD, _l("guardians"), _CHILD_PURPOSE, _CHILD_BASIS,
                           label=_l("Consenting guardian's name"), record=_CHILD, kept=_KEPT,
                           subject=("children_assembly_children", "child_id"))
    relation: Mapped[str] = mapped_column(String(60))
    given_on: Mapped[date] = mapped_column(Date)
    method: Mapped[ConsentMethod] = mapped_column(enum_of(ConsentMethod, 20))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (same_council_fk("child_id", "children_assembly_children", ondelete="CASCADE"),)


# --- rules (pure) ---------------------------------------------------------------------------------------------


def admission_problems(settings: dict, birth_date: date | None, school_grade: int | None, on: date) -> dict:
    """Field → reasons why a child cannot join on ``on`` under the council's settings (empty: may join)."""
    if settings["use_school_grades"]:
        if school_grade is None:
            return {"school_grade": [_("Give the child's school grade.")]}
        if not settings["grade_min"] <= school_grade <= settings["grade_max"]:
            return {"school_grade": [_("The children's assembly is for grades %(min)d to %(max)d.",
                                       min=settings["grade_min"], max=settings["grade_max"])]}
        return {}
    if birth_date is None:
        return {"birth_date": [_("Give the child's birth date.")]}
    age = age_on(birth_date, on)
    if not settings["age_min"] <= age <= settings["age_max"]:
        return {"birth_date": [_("The children's assembly is for ages %(min)d to %(max)d; this child is %(age)d.",
                                 min=settings["age_min"], max=settings["age_max"], age=age)]}
    return {}


def ages_out(settings: dict, birth_date: date | None, on: date) -> bool:
    """A child ages out on the birthday that takes them past the band (grade-based councils: by hand)."""
    return not settings["use_school_grades"] and birth_date is not None and age_on(birth_date, on) > settings["age_max"]


# --- services ---------------------------------------------------------------------------------------------------


def register_child(data: dict, today: date | None = None) -> Child:
    problems = admission_problems(plugin_config(NAME), data.get("birth_date"), data.get("school_grade"),
                                  today or council_today())
    if problems:
        raise Invalid(problems)
    guardian = data["guardian"]
    child = Child(name=data["name"], birth_date=data.get("birth_date"), school_grade=data.get("school_grade"),
                  guardian_name=guardian["name"], guardian_relation=guardian["relation"],
                  guardian_email=guardian.get("email"), guardian_phone=guardian.get("phone"))
    db.session.add(child)
    db.session.flush()
    record("children_assembly.child_registered", child)
    return child


def record_consent(child: Child, data: dict) -> GuardianConsent:
    """The guardian's consent; the child's participation becomes active with it."""
    if child.status is not ChildStatus.AWAITING_CONSENT:
        raise Invalid({"child": [_("This child's consent is already recorded.")]})
    if data["given_on"] > council_today():
        raise Invalid({"given_on": [_("A consent cannot be dated in the future.")]})
    consent = GuardianConsent(child_id=child.id, guardian_name=data["guardian_name"], relation=data["relation"],
                              given_on=data["given_on"], method=data["method"])
    db.session.add(consent)
    child.status, child.joined_on = ChildStatus.ACTIVE, council_today()
    db.session.flush()
    record("children_assembly.consent", consent, {"child": str(child.id), "method": consent.method.value})
    return consent


def require_active(child: Child) -> None:
    if child.status is not ChildStatus.ACTIVE:
        raise Invalid({"child_id": [_("Without a guardian's consent a child cannot take part.")]})


def elect_officer(office: Officer, votes: dict[str, int]) -> Child:
    """The assembly elects its own officers: the most votes among active children (a tie is re-voted)."""

    children = {str(c.id): c for c in db.session.scalars(select(Child).where(Child.id.in_(
        [uuid.UUID(k) for k in votes if _is_uuid(k)])))}
    for child_id in votes:
        if child_id not in children:
            raise Invalid({"votes": [_("Not a child of this assembly: %(id)s", id=child_id)]})
        require_active(children[child_id])
    result = count_round(1, votes, len(children), {"election_round_rule": "plurality"})
    if result.winner is None:
        raise Invalid({"votes": [_("The vote is tied or empty: vote again between the leaders.")]})
    for holder in db.session.scalars(select(Child).where(Child.officer == office)):
        holder.officer = None
    winner = children[result.winner]
    winner.officer = office
    record("children_assembly.officer", winner, {"office": office.value})
    return winner


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def age_out(today: date | None = None) -> list[Child]:
    """Mark children past the band as aged out and tell their guardians (never the child)."""
    today = today or council_today()
    settings = plugin_config(NAME)
    aged = []
    for child in db.session.scalars(select(Child).where(Child.status == ChildStatus.ACTIVE)):
        if ages_out(settings, child.birth_date, today):
            child.status, child.left_on, child.officer = ChildStatus.AGED_OUT, today, None
            record("children_assembly.aged_out", child)
            aged.append(child)
            if settings["notify_guardians"] and child.guardian_email:
                council = current_council()
                subject, body = notification_template("children_assembly.aged_out")
                send_mail_after_commit(child.guardian_email, subject,
                                       body.format(child=child.name.split()[0], council=council.name))
    return aged


def age_out_job(**_kwargs) -> int:
    from konsey.plugins.children_assembly.usecases import age_out_children  # the use cases import this module

    return len(age_out_children())


def active_children() -> int:
    return db.session.scalar(select(func.count(Child.id)).where(Child.status == ChildStatus.ACTIVE)) or 0


# --- how long a minor's record is kept (KVKK art. 7) ---------------------------------------------------------------


def _past_purpose(cutoff: date) -> list[Child]:
    """Children whose record's purpose ended before ``cutoff``: they came of age (18) or left the assembly. Birth
    dates are sealed, so the test is made here, not by the database."""
    born = Child.birth_date.plain  # the sweep's own reading: no person reads it, so none is recorded
    return [child for child in db.session.scalars(select(Child))
            if (child.left_on is not None and child.left_on < cutoff)
            or (born(child) is not None and age_on(born(child), cutoff) >= 18)]


def minors_due(cutoff: date) -> int:
    return len(_past_purpose(cutoff))


def expire_minors(cutoff: date) -> int:
    """Erase the records (the guardians' consents go with them): the assembly's decisions and minutes name no
    child."""
    children = _past_purpose(cutoff)
    for child in children:
        db.session.delete(child)
    db.session.flush()
    return len(children)

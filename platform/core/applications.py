"""Membership applications and consent records (KVKK).

An application moves submitted → under review → approved / rejected, or is withdrawn before a decision.
Institutional applications are decided by an executive-board decision, whose reference is recorded;
individual ones by the review panel. Approval creates the member and turns the applicant's explicit consents
into consent records.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.counters import next_number
from konsey.core.errors import Conflict, Invalid
from konsey.core.labels import label
from konsey.core.membership import Member, MemberKind, add_member
from konsey.core.outbox import emit
from konsey.core.special_data import Category, Sealed
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow

# The information notice shown at sign-up; a new text gets a new version and people accept it again.
KVKK_NOTICE_VERSION = "2026-12"  # 2026-12: what goes to the council's SMS provider, and the SMS purpose
PURPOSES = ("membership", "communication", "publication_of_name", "sms")
REQUIRED_PURPOSES = ("membership",)


class ApplicationStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


S = ApplicationStatus
TRANSITIONS = {
    S.SUBMITTED: {S.UNDER_REVIEW, S.WITHDRAWN},
    S.UNDER_REVIEW: {S.APPROVED, S.REJECTED, S.WITHDRAWN},
    S.APPROVED: set(),
    S.REJECTED: set(),
    S.WITHDRAWN: set(),
}


def can_move(current: ApplicationStatus, target: ApplicationStatus) -> bool:
    return target in TRANSITIONS[current]


class MembershipApplication(CouncilOwned, db.Model):
    __tablename__ = "membership_applications"

    number: Mapped[int]
    kind: Mapped[MemberKind] = mapped_column(enum_of(MemberKind, 16))
    # The applicant as submitted, validated by the member schema: sealed, for it holds an identity number and,
    # for an institution, who speaks for a party, a union or an association.
    applicant_sealed: Mapped[str] = mapped_column("applicant", Text)
    applicant = Sealed(Category.IDENTITY, _l("applicants"), _l("deciding a membership application (Regulation art. 7)"),
                       _l("KVKK art. 5/2(c): steps at the applicant's request; art. 6/3 for affiliations"),
                       label=_l("The applicant's form"), record=_l("Membership application"), kind=dict,
                       kept="retention_rejected_applications_days")
    status: Mapped[ApplicationStatus] = mapped_column(enum_of(ApplicationStatus, 16), default=S.SUBMITTED)
    notice_version: Mapped[str] = mapped_column(String(20))
    consents: Mapped[list] = mapped_column(JSON, default=list)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str | None] = mapped_column(String(1000))
    decision_reference: Mapped[str | None] = mapped_column(String(100))
    member_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "number"),
        db.Index("ix_membership_applications_council_status", "council_id", "status"),
        same_council_fk("member_id", "members"),
    )


class Consent(CouncilOwned, db.Model):
    """One explicit consent of a member for one purpose, provable: when, to which notice, how."""

    __tablename__ = "consents"

    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    purpose: Mapped[str] = mapped_column(String(40))
    notice_version: Mapped[str] = mapped_column(String(20))
    given_at: Mapped[datetime]
    source: Mapped[str] = mapped_column(String(40))
    withdrawn_at: Mapped[datetime | None]

    __council_table_args__ = (
        db.Index("ix_consents_council_member", "council_id", "member_id"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


def consent_problems(notice_version: str, purposes: list[str]) -> dict:
    """What is wrong with an applicant's acceptance of the notice and consents (empty when nothing)."""
    errors = {}
    if notice_version != KVKK_NOTICE_VERSION:
        errors["notice_version"] = [_("Read and accept the current information notice.")]
    if unknown := sorted(set(purposes) - set(PURPOSES)):
        errors["consents"] = [_("Unknown purpose: %(purpose)s", purpose=unknown[0])]
    elif any(p not in purposes for p in REQUIRED_PURPOSES):
        errors["consents"] = [_("Consent to processing for membership is needed to apply.")]
    return errors


def submit(data: dict, applicant: dict, notice_version: str, purposes: list[str]) -> MembershipApplication:
    """Record an application in the current council: ``data`` is the applicant as validated by the member
    schema, ``applicant`` the same as JSON (what the review panel reads)."""
    if errors := consent_problems(notice_version, purposes):
        raise Invalid(errors)
    number = next_number("application", lambda: db.session.scalar(select(func.max(MembershipApplication.number))) or 0)
    now = utcnow()
    application = MembershipApplication(
        number=number,
        kind=data["category"].kind,
        applicant=applicant,
        notice_version=notice_version,
        consents=[{"purpose": p, "given_at": now.isoformat()} for p in sorted(set(purposes))],
    )
    db.session.add(application)
    db.session.flush()
    record("application.submitted", application, {"number": number, "kind": application.kind.value})
    return application


def _move(application: MembershipApplication, target: ApplicationStatus) -> None:
    if application.status is S.SUBMITTED and target in (S.APPROVED, S.REJECTED):
        raise Conflict({"status": [_("Start the review first; then the application can be approved or "
                                     "rejected.")]})
    if not can_move(application.status, target):
        raise Conflict({"status": [_("An application that is %(status)s cannot become %(target)s.",
                                            status=label(application.status), target=label(target))]})
    application.status = target


def start_review(application: MembershipApplication) -> None:
    _move(application, S.UNDER_REVIEW)
    record("application.under_review", application)


def decide(application: MembershipApplication, *, approve: bool, decided_by: uuid.UUID | None, reason: str | None,
           decision_reference: str | None, member_data: dict | None = None):
    """Approve (creating the member from ``member_data``, the applicant loaded by the member schema, and their
    consent records) or reject, with who, when and why."""
    _move(application, S.APPROVED if approve else S.REJECTED)  # a step its status allows first (409), then its input
    # An approval is a decision of a body, never a click: the board's for an organisation, the review panel's
    # (set up by the board) for a person; its number is what the member's record and the audit point to.
    if approve and not (decision_reference or "").strip():
        raise Invalid({"decision_reference": [
            _("An institutional application is decided by an executive board decision: give its number.")
            if application.kind is MemberKind.INSTITUTIONAL else
            _("An individual application is decided by the review panel: give its decision number.")]})
    if not approve and not reason:
        raise Invalid({"reason": [_("Give the reason for the rejection.")]})
    application.decided_at = utcnow()
    application.decided_by_id = decided_by
    application.decision_reason = reason
    application.decision_reference = decision_reference
    if approve:
        member = add_member(member_data)
        application.member_id = member.id
        for consent in application.consents:
            db.session.add(Consent(member_id=member.id, purpose=consent["purpose"],
                                   notice_version=application.notice_version,
                                   given_at=datetime.fromisoformat(consent["given_at"]), source="application"))
            if consent["purpose"] == "sms":  # the member's state the senders read (konsey.core.notifications)
                member.sms_consent_at = datetime.fromisoformat(consent["given_at"])
        db.session.flush()
    record("application.approved" if approve else "application.rejected", application,
           {"number": application.number, "decision_reference": decision_reference})

    emit("application.decided", {"application_id": str(application.id)})  # the applicant is told


def record_sms_consent(member: Member, source: str) -> None:
    """The member's consent to notices by SMS as it now stands (``member.sms_consent_at``), provable: a consent
    given is a row (when, to which notice, how), a consent taken back is that row's withdrawal."""
    held = db.session.scalar(select(Consent).where(Consent.member_id == member.id, Consent.purpose == "sms",
                                                   Consent.withdrawn_at.is_(None)))
    if member.sms_consent_at is not None and held is None:
        db.session.add(Consent(member_id=member.id, purpose="sms", notice_version=KVKK_NOTICE_VERSION,
                               given_at=member.sms_consent_at, source=source))
    elif member.sms_consent_at is None and held is not None:
        held.withdrawn_at = utcnow()


def forget_member(member_id: uuid.UUID) -> None:
    """On a member's erasure: their applications keep number and outcome, not who they were (KVKK)."""
    for application in db.session.scalars(
        select(MembershipApplication).where(MembershipApplication.member_id == member_id)
    ):
        application.member_id = None
        application.applicant = {"erased": True}
    db.session.flush()


def withdraw(application: MembershipApplication) -> None:
    _move(application, S.WITHDRAWN)
    application.decided_at = utcnow()  # its purpose ended now: the retention days count from here
    record("application.withdrawn", application)

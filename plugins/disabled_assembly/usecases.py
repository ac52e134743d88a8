"""The disabled people's assembly's use cases: its page, consents, supporters and accessibility requests."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from konsey.pluginkit import (
    Body,
    Conflict,
    Invalid,
    Meeting,
    Member,
    MemberCategory,
    MemberKind,
    MemberStatus,
    Permission,
    body_of_type,
    command,
    council_today,
    db,
    join_assembly,
    loaded,
    one,
    query,
    record,
    referenced,
    seats_on,
    turkish_sort_key,
)
from konsey.plugins.disabled_assembly.models import (
    AccessibilityRequest,
    AccessKind,
    ExplicitConsent,
    Supporter,
)
from konsey.plugins.disabled_assembly.schemas import (
    AccessRequestSchema,
    ExplicitConsentSchema,
    SupporterSchema,
)

NAME = "disabled_assembly"
# Organisations that take part: those of persons with disabilities (associations, foundations, federations).
ORGANISATIONS = frozenset({MemberCategory.ASSOCIATION, MemberCategory.FOUNDATION, MemberCategory.UNION})


def assembly() -> Body:
    return body_of_type(NAME)


@query(Permission.COUNCIL_VIEW)
def overview(today: date | None = None) -> dict:
    body = assembly()
    today = today or council_today()
    seats = seats_on(body, today)
    seated = {s.member_id for s in seats}
    consented = set(db.session.scalars(select(ExplicitConsent.member_id)))
    supporters: dict = {}
    for supporter in sorted(db.session.scalars(select(Supporter)), key=lambda s: turkish_sort_key(s.name)):
        supporters.setdefault(supporter.member_id, []).append(supporter)
    candidates = db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE)
                                    .order_by(Member.sort_name).limit(500)).all()
    requests = db.session.scalars(select(AccessibilityRequest).order_by(AccessibilityRequest.requested_on.desc())
                                  .limit(100)).all()
    return {"body": body, "seats": seats, "supporters": supporters, "requests": requests,
            "candidates": [m for m in candidates if m.id not in seated], "consented": consented,
            "kinds": list(AccessKind), "organisations": {c.value for c in ORGANISATIONS}}


@command(Permission.BODIES_MANAGE, takes=ExplicitConsentSchema)
def record_consent(data: dict) -> ExplicitConsent:
    """The member's explicit consent, dated, before they join (a person; an organisation needs none)."""
    data = loaded(data)
    member = referenced(Member, data["member_id"], "member_id", _("No such member in this council."))
    given_on = data["given_on"]
    if member.kind is MemberKind.INSTITUTIONAL:
        raise Invalid({"member_id": [_("An organisation joins without a personal consent.")]})
    if given_on > council_today():
        raise Invalid({"given_on": [_("Give the day the consent was signed (not in the future).")]})
    if db.session.scalar(select(ExplicitConsent.id).where(ExplicitConsent.member_id == member.id)):
        raise Conflict({"member_id": [_("This member's consent is already recorded.")]})
    consent = ExplicitConsent(member_id=member.id, given_on=given_on)
    db.session.add(consent)
    db.session.flush()
    record("disabled_assembly.consent", consent, {"given_on": given_on.isoformat()})
    return consent


@command(Permission.BODIES_MANAGE, takes=SupporterSchema)
def add_supporter(data: dict) -> Supporter:
    """A carer or assistant who accompanies a member of the assembly (no vote, no seat)."""
    data = loaded(data)
    member = referenced(Member, data["member_id"], "member_id", _("No such member in this council."))
    if member.id not in {s.member_id for s in seats_on(assembly(), council_today())}:
        raise Invalid({"member_id": [_("A supporter accompanies a member of the assembly.")]})
    supporter = Supporter(member_id=member.id, name=data["name"].strip())
    db.session.add(supporter)
    db.session.flush()
    record("disabled_assembly.supporter", supporter)  # no name in the audit chain
    return supporter


@command(Permission.BODIES_MANAGE, takes=AccessRequestSchema)
def add_accessibility_request(data: dict, requested_on: date | None = None) -> AccessibilityRequest:
    """What a member needs to take part in the council's meetings (sign language, captions, step-free access…),
    for one meeting or for every one."""
    data = loaded(data)
    access, meeting_id = data["kind"], data.get("meeting_id")
    if meeting_id is not None:
        referenced(Meeting, meeting_id, "meeting_id", _("No such meeting in this council."))
    request = AccessibilityRequest(kind=access, meeting_id=meeting_id, note=(data.get("note") or "").strip() or None,
                                   requested_on=requested_on or council_today())
    db.session.add(request)
    db.session.flush()
    record("disabled_assembly.access_request", request, {"kind": access.value})
    return request


@command(Permission.BODIES_MANAGE, takes=join_assembly.takes)
def seat_member(data: dict):
    """Seat a member in the assembly from today: a person with their consent on record, or an organisation of
    persons with disabilities; the seat."""
    member = join_assembly(assembly().id, data)
    return next(seat for seat in seats_on(assembly(), council_today()) if seat.member_id == member.id)


@command(Permission.BODIES_MANAGE)
def mark_met(request_id: uuid.UUID) -> AccessibilityRequest:
    """The accessibility request is met (the interpreter booked, the ramp in place)."""
    request = one(AccessibilityRequest, request_id)
    request.met = True
    record("disabled_assembly.access_request_met", request)
    return request


def requests_in_last_year(today: date | None = None) -> int:
    """For the federation: accessibility requests of the last twelve months (a count; suppressed under five)."""
    since = (today or council_today()) - timedelta(days=365)
    return db.session.scalar(select(func.count(AccessibilityRequest.id))
                             .where(AccessibilityRequest.requested_on >= since)) or 0

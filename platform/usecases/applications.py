"""Membership applications: anyone may apply to an active council; the council's bodies review and decide."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, select

from konsey.core import applications
from konsey.core.applications import ApplicationStatus, MembershipApplication
from konsey.core.bylaws import parameters_on
from konsey.core.errors import Invalid, Locked
from konsey.core.permissions import Permission
from konsey.core.rules.membership import age_on
from konsey.schemas.applications import DecisionSchema, SubmitSchema
from konsey.schemas.members import MemberInputSchema, PublicApplicantSchema
from konsey.tenants.db import db
from konsey.tenants.models import Council, CouncilStatus, council_today
from konsey.tenants.scoping import current_council_id
from konsey.usecases.base import command, current_actor, loaded, one, query


@command(None, takes=SubmitSchema)
def submit_application(data: dict) -> MembershipApplication:
    """Apply for membership (individual or institutional), accepting the information notice."""
    council = db.session.get(Council, current_council_id())
    if council.status is not CouncilStatus.ACTIVE:
        raise Locked(_("This council does not take applications now."))
    data = loaded(data)
    errors = applications.consent_problems(data["notice_version"], data["consents"])
    schema = PublicApplicantSchema()
    try:
        member_data = schema.load(data["applicant"])
    except ValidationError as error:
        errors["applicant"] = error.messages
    else:
        minimum = parameters_on(council_today())["ordinary_member_min_age"]
        if member_data.get("birth_date") and age_on(member_data["birth_date"], council_today()) < minimum:
            errors["applicant"] = {"birth_date": [_(
                "Ordinary membership starts at %(age)d. Younger people take part through the council's "
                "children's or youth assembly, with a parent's consent.", age=minimum)]}
    if errors:
        raise Invalid(errors)
    return applications.submit(member_data, schema.dump(member_data), data["notice_version"], data["consents"])


@query(Permission.APPLICATIONS_DECIDE)
def list_applications(status: ApplicationStatus | None = None) -> list[MembershipApplication]:
    """Membership applications, newest first, filtered by status."""
    rows = select(MembershipApplication).order_by(MembershipApplication.number)
    if status is not None:
        rows = rows.where(MembershipApplication.status == status)
    return db.session.scalars(rows).all()


@query(Permission.APPLICATIONS_DECIDE)
def applications_page(status: str | None = None) -> dict:
    """The applications, newest first (of one status, when given), with the count of each status."""
    rows = select(MembershipApplication).order_by(MembershipApplication.number.desc())
    if status in set(ApplicationStatus):
        rows = rows.where(MembershipApplication.status == ApplicationStatus(status))
    counts = dict(db.session.execute(select(MembershipApplication.status, func.count())
                                     .group_by(MembershipApplication.status)).all())
    return {"rows": db.session.scalars(rows).all(), "statuses": list(ApplicationStatus), "counts": counts,
            "current": status}


@query(Permission.APPLICATIONS_DECIDE)
def show_application(application_id: uuid.UUID) -> MembershipApplication:
    """One membership application, with its consents."""
    return one(MembershipApplication, application_id)


@command(Permission.APPLICATIONS_DECIDE)
def start_review(application_id: uuid.UUID) -> MembershipApplication:
    """Take an application under review."""
    application = one(MembershipApplication, application_id)
    applications.start_review(application)
    return application


@command(Permission.APPLICATIONS_DECIDE, takes=DecisionSchema)
def approve_application(application_id: uuid.UUID, data: dict) -> MembershipApplication:
    """Approve: the applicant becomes a member, with their consents on record."""
    application = one(MembershipApplication, application_id)
    data = loaded(data)
    applications.decide(application, approve=True, decided_by=current_actor().user_id, reason=data.get("reason"),
                        decision_reference=data.get("decision_reference"),
                        member_data=MemberInputSchema().load(application.applicant))
    return application


@command(Permission.APPLICATIONS_DECIDE, takes=DecisionSchema)
def reject_application(application_id: uuid.UUID, data: dict) -> MembershipApplication:
    """Reject an application, with the reason the applicant is told."""
    application = one(MembershipApplication, application_id)
    data = loaded(data)
    applications.decide(application, approve=False, decided_by=current_actor().user_id, reason=data.get("reason"),
                        decision_reference=None)
    return application


@command(Permission.APPLICATIONS_DECIDE)
def withdraw_application(application_id: uuid.UUID) -> MembershipApplication:
    """Withdraw on the applicant's behalf (they asked the secretariat)."""
    application = one(MembershipApplication, application_id)
    applications.withdraw(application)
    return application

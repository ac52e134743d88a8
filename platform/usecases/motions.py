"""Motions to the municipal council: from an adopted decision to a package, its delivery, the municipality's
answer; the council's delivery route and its dead letters."""

from __future__ import annotations

import uuid
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import delivery, motions, outbox
from konsey.core import follow_up as follow_up_records
from konsey.core.council_keys import council_key
from konsey.core.errors import Invalid, NotFound
from konsey.core.meetings import Vote
from konsey.core.motion_package import Package, build_package
from konsey.core.motions import Motion, MotionStatus, MunicipalAnswer
from konsey.core.permissions import Permission
from konsey.schemas.delivery import MunicipalAnswerSchema, RouteInput
from konsey.schemas.motions import AnswerSchema, NewMotionSchema, StatusSchema
from konsey.tenants.db import db
from konsey.tenants.models import Council, council_today
from konsey.tenants.scoping import bound_council
from konsey.usecases.base import PER_PAGE, Page, command, loaded, one, paginate, query, referenced


@query(Permission.COUNCIL_VIEW)
def list_motions(page: int = 1, per_page: int = PER_PAGE) -> Page:
    """The motions, the latest first, a page at a time, with their status, due date and whether overdue."""
    return paginate(select(Motion).order_by(Motion.number.desc()), page, per_page)


@query(Permission.COUNCIL_VIEW)
def show_motion(motion_id: uuid.UUID) -> Motion:
    """One motion sent to the municipal council, with its status and answer."""
    return one(Motion, motion_id)


@query(Permission.COUNCIL_VIEW)
def follow_up(today: date | None = None, page: int = 1) -> dict:
    """The follow-up list, a page at a time: the motions, which are overdue and when each answer is due."""
    today = today or council_today()
    listed = list_motions(page)
    rows = listed.rows
    return {"rows": rows, "page": listed,
            "overdue": {m.id for m in rows if motions.is_overdue(m, today)},
            "due": {m.id: motions.answer_due(m) for m in rows if m.delivered_on}}


@query(Permission.COUNCIL_VIEW)
def motion_page(motion_id: uuid.UUID, today: date | None = None) -> dict:
    motion = one(Motion, motion_id)
    order = list(MotionStatus)
    later = [s for s in order[order.index(motion.status) + 1:] if s is not MotionStatus.ANSWERED]
    return {"motion": motion, "later": later, "answers": list(MunicipalAnswer),
            "overdue": motions.is_overdue(motion, today or council_today()),
            "due": motions.answer_due(motion), "due_estimated": motion.answer_due_estimated,
            "milestones": follow_up_records.milestones_of([motion.id])[motion.id],
            "milestone_states": list(follow_up_records.MilestoneState)}


@command(Permission.MOTIONS_MANAGE, takes=NewMotionSchema)
def adopt_motion(data: dict) -> Motion:
    """Make an adopted decision a motion to the municipal council (queued for delivery)."""
    data = loaded(data)
    vote = referenced(Vote, data.get("vote_id"), "vote_id", _("No such decision in this council."))
    return motions.adopt(vote, data["title"], data["text"])


@command(Permission.MOTIONS_MANAGE, takes=StatusSchema)
def advance_motion(motion_id: uuid.UUID, data: dict) -> Motion:
    """Move a motion on to its next status (queued, sent, delivered, …), with the day."""
    motion = one(Motion, motion_id)
    data = loaded(data)
    motions.advance(motion, data["status"], delivered_on=data.get("delivered_on"))
    return motion


def _record_answer(motion: Motion, data: dict) -> Motion:
    motions.record_answer(motion, data["answer"], data.get("text"), data.get("municipal_decision_date"),
                          data.get("municipal_decision_number"))
    return motion


@command(Permission.MOTIONS_MANAGE, takes=AnswerSchema)
def record_answer(motion_id: uuid.UUID, data: dict) -> Motion:
    """Record the municipal council's answer, with its own decision date and number as it gives them."""
    motion = one(Motion, motion_id)
    return _record_answer(motion, loaded(data))


@command(None, takes=MunicipalAnswerSchema)
def municipal_answer_posted(motion_id: uuid.UUID, body: bytes, headers: dict) -> Motion:
    """The municipality's system posts the answer, signed as Standard Webhooks with the council's secret: the
    signature is the permission (checked over the body's bytes as sent, before what it says is loaded)."""
    motion = one(Motion, motion_id)
    data = loaded(delivery.verify_municipal_post(body, headers, motion.id))
    return _record_answer(motion, data)


@query(Permission.MOTIONS_MANAGE)
def delivery_attempts(motion_id: uuid.UUID) -> list:
    """Each attempt to deliver a motion's package: channel, time, outcome."""
    motion = one(Motion, motion_id)
    return db.session.scalars(select(delivery.DeliveryAttempt).where(
        delivery.DeliveryAttempt.motion_id == motion.id).order_by(delivery.DeliveryAttempt.attempted_at)).all()


@command(Permission.MOTIONS_MANAGE)
def motion_package(motion_id: uuid.UUID) -> Package:
    """The motion's package as the municipality receives it (a signed zip; the key is made on first use)."""
    return build_package(one(Motion, motion_id))


# --- the council's delivery route, signing key and dead letters -------------------------------------------------


@command(Permission.DELIVERY_MANAGE)
def delivery_route():
    """How motions reach the municipality (made with the council's defaults on first look)."""
    return delivery.route_of_council()


@query(Permission.DELIVERY_MANAGE)
def delivery_channels() -> list[str]:
    """The channels a council's motions can go by: the statute's and those its plugins add."""
    return sorted(delivery.channels())


@command(Permission.DELIVERY_MANAGE, takes=RouteInput)
def set_delivery_route(data: dict):
    """Choose how motions reach the municipality: email, webhook or download."""
    data = loaded(data)
    return delivery.set_route(data["channel"], data["address"], data.get("payload_version"))


@command(Permission.DELIVERY_MANAGE)
def rotate_delivery_secret():
    """A new webhook secret, shown this once; the old one stops working at once."""
    return delivery.rotate_secret()


@command(None)
def signing_key():
    """The council's public key: municipalities verify motion packages with it (made on first use)."""
    return council_key()


@query(Permission.DELIVERY_MANAGE)
def dead_letters(limit: int | None = None) -> list[outbox.DeadLetter]:
    """Tasks that failed for good, newest first."""
    rows = select(outbox.DeadLetter).order_by(outbox.DeadLetter.failed_at.desc())
    return db.session.scalars(rows.limit(limit) if limit else rows).all()


@command(Permission.DELIVERY_MANAGE)
def retry_dead_letter(letter_id: uuid.UUID) -> outbox.DeadLetter:
    """Try once more a delivery that was given up on."""
    letter = one(outbox.DeadLetter, letter_id)
    outbox.retry_dead_letter(letter)
    return letter


# --- the municipality's side of a download link: the token is the only key -------------------------------------


def _receipt(token: str) -> tuple[Council, uuid.UUID]:
    try:
        council_id, motion_id, generation = delivery.read_receipt_token(token)
    except Invalid:
        raise NotFound(_("Not found.")) from None
    council = db.session.get(Council, council_id)
    if council is None:
        raise NotFound(_("Not found."))
    with bound_council(council.id):
        motion = db.session.scalar(select(Motion).where(Motion.id == motion_id))
        if motion is None or not delivery.receipt_link_is_current(motion, generation):
            raise NotFound(_("Not found."))  # a revoked link is as good as none
    return council, motion_id


@command(Permission.DELIVERY_MANAGE)
def revoke_receipt_links(motion_id: uuid.UUID) -> Motion:
    """Void the motion's receipt links sent so far (a link forwarded to the wrong person, say)."""
    motion = one(Motion, motion_id)
    delivery.revoke_receipt_links(motion)
    return motion


@query(None)
def receipt(token: str) -> tuple[Council, Motion]:
    """The council and the motion a receipt link names (404 for anything else)."""
    council, motion_id = _receipt(token)
    with bound_council(council.id):
        return council, one(Motion, motion_id)


@command(None)
def receipt_package(token: str) -> Package:
    council, motion_id = _receipt(token)
    with bound_council(council.id):
        package = build_package(one(Motion, motion_id))
        db.session.flush()  # what the package made (the signing key, once) is written as this council's
        return package


@command(None)
def confirm_receipt(token: str) -> bool:
    """The municipality confirms it received the package; True the first time."""
    council, motion_id = _receipt(token)
    with bound_council(council.id):
        first = delivery.confirm_receipt(one(Motion, motion_id))
        db.session.flush()  # written as this council's, before the scope is released
        return first

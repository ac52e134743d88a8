"""Councils on the platform: onboarding a new one, its lifecycle, the lists operators and members see, and a
council's own record (audit log, statutory calendar, full export)."""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from konsey.core import bylaws as bylaw_service
from konsey.core import council_import, people, reference, sealed_exports
from konsey.core import councils as council_service
from konsey.core import export as exports
from konsey.core.accounts import User, council_ids_of
from konsey.core.applications import ApplicationStatus, MembershipApplication
from konsey.core.audit import AuditEntry, record, verify_chain
from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import profile_in_force
from konsey.core.calendar import calendar
from konsey.core.council_keys import CouncilKey
from konsey.core.delivery import DeliveryRoute
from konsey.core.errors import Conflict, Locked, NotFound
from konsey.core.export import ExportJob, export_council
from konsey.core.invitations import send_invitation
from konsey.core.meetings import ACTIVE_STATUSES, AgendaItem, Meeting, Vote
from konsey.core.membership import Member
from konsey.core.motions import Motion, answer_due, is_overdue, overdue_condition
from konsey.core.permissions import Permission
from konsey.core.seats import seats_on
from konsey.core.text import turkish_sort_key
from konsey.schemas.councils import OnboardingSchema, SealedExportSchema, StatusChangeSchema
from konsey.tenants.db import db
from konsey.tenants.lifecycle import LifecycleError
from konsey.tenants.models import Council, CouncilStatus, council_midnight, council_today
from konsey.tenants.scoping import all_councils, bound_council, current_council_id
from konsey.usecases import members
from konsey.usecases.base import SYSTEM, acting_as, command, current_actor, loaded, one, query


@dataclass
class Onboarded:
    council: Council
    invitation_email: str
    invitation_url: str


def bound() -> Council:
    """The council bound for this request or task."""
    return db.session.get(Council, current_council_id())


def named(slug: str) -> Council | None:
    """The council whose address is ``slug``, if there is one."""
    return db.session.scalar(select(Council).where(Council.slug == slug))


def by_slug(slug: str) -> Council:
    council = named(slug)
    if council is None:
        raise NotFound(_("Not found."))
    return council


@contextmanager
def as_the_platform_in(council: Council) -> Iterator[Council]:
    """The one way a command (the operator's at the command line, a plugin's) works inside a council: the
    council bound, the platform acting."""
    with bound_council(council.id), acting_as(SYSTEM):
        yield council


def councils_of(user: User | None, *, every: bool = False) -> list[Council]:
    """The councils a person belongs to, by name; every council for an operator (or when ``every``)."""
    rows = select(Council)
    if not every and not (user is not None and user.is_operator):
        rows = rows.where(Council.id.in_(council_ids_of(user) if user else set()))
    return by_name(db.session.scalars(rows))


def by_name(councils) -> list[Council]:
    """Councils in Turkish alphabetical order (İzmir after Isparta, before Kadıköy; the database's byte order
    would put İ after Z)."""
    return sorted(councils, key=lambda council: turkish_sort_key(council.name))


@query(Permission.COUNCILS_LIST_OWN)
def my_councils() -> list[Council]:
    """Councils the person belongs to; every council for operators."""
    actor = current_actor()
    return councils_of(db.session.get(User, actor.user_id) if actor.user_id else None, every=actor.system)


@query(Permission.COUNCILS_LIST_ALL)
def operator_overview() -> tuple[list[Council], dict]:
    """Every council with its member count (a number, never a person)."""
    rows = by_name(db.session.scalars(select(Council)))
    with all_councils("operator council list: member counts", actor_id=current_actor().user_id) as every:
        counts = dict(every.execute(select(Member.council_id, func.count(Member.id))
                                         .group_by(Member.council_id)).all())
    return rows, counts


@command(Permission.COUNCILS_ONBOARD, takes=OnboardingSchema)
def onboard_council(data: dict) -> Onboarded:
    """Onboard a council: statutory bodies, default by-laws and the first administrator's invitation (e-mailed
    after the commit; the link is also returned, to be shown once)."""
    data = loaded(data)
    actor = current_actor()
    operator = db.session.get(User, actor.user_id) if actor.user_id else None
    onboarded = council_service.onboard_council(data, operator=operator)
    url = send_invitation(onboarded.council, onboarded.invitation, onboarded.invitation_secret)
    return Onboarded(onboarded.council, onboarded.invitation.email, url)


@query(Permission.COUNCILS_LIFECYCLE)
def council_for_operator(slug: str) -> Council:
    return by_slug(slug)


@command(Permission.MEMBERS_IMPORT)
def import_members_into(slug: str, content: bytes, *, dry_run: bool):
    """The operator imports a council's members (its first list, from the municipality's records): a dry run
    reports every bad row; a real run adds them all, or none if any is bad."""
    council = by_slug(slug)
    if council.is_read_only:
        raise Locked(_("This council is suspended and read-only."))
    with bound_council(council.id):
        report = members.import_members(content, dry_run=dry_run)
        db.session.flush()  # written as this council's, before the scope is released
    return report


@command(Permission.COUNCILS_LIFECYCLE, takes=StatusChangeSchema)
def change_status(slug: str | None, data: dict) -> Council:
    """Move a council through its lifecycle (archiving needs the export acknowledged). ``slug`` None: the
    council bound."""
    council = by_slug(slug) if slug else bound()
    data = loaded(data)
    try:
        council_service.change_status(council, CouncilStatus(data["status"]),
                                      export_acknowledged=data.get("export_acknowledged", False),
                                      reason=data.get("reason") or "")
    except LifecycleError as error:
        raise Conflict({error.field: [str(error)]}) from error
    return council


@query(Permission.COUNCIL_VIEW)
def show_council() -> Council:
    """The council: its municipality, contacts, language, time zone and status."""
    return bound()


@query(Permission.AUDIT_VIEW)
def audit_log(after: int = 0, limit: int = 100) -> list[AuditEntry]:
    """The council's audit log, oldest first, from sequence number ``after`` on."""
    return db.session.scalars(select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
                              .limit(limit)).all()


@query(Permission.AUDIT_VIEW)
def verify_audit_chain() -> tuple[int, list]:
    """How many entries the chain has and what is wrong with it (nothing, when no entry was edited or cut)."""
    council = bound()
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    return len(entries), verify_chain(entries, council.audit_head_seq, council.audit_head_hash)


@query(Permission.COUNCIL_VIEW)
def statutory_calendar(year: int | None = None) -> dict:
    """The statutory calendar: general assembly sessions owed this year, terms ending, with warnings."""
    return calendar(year or council_today().year)


@query(Permission.COUNCIL_EXPORT)
def full_export() -> dict:
    """Everything the council owns, as one JSON document, at once (the operator's command line)."""
    return export_council(bound())


@command(Permission.COUNCIL_EXPORT)
def start_export() -> ExportJob:
    """Ask for everything the council owns as one JSON document (KVKK data portability; before archiving): the
    worker writes it, the job tells how far it is, and it can be downloaded for a week."""
    return exports.request_export(current_actor().user_id)


@query(Permission.COUNCIL_EXPORT)
def export_job(job_id: uuid.UUID) -> ExportJob:
    """How far an export is (tables written of all), and whether it is ready."""
    return one(ExportJob, job_id)


@query(Permission.COUNCIL_EXPORT)
def latest_export() -> ExportJob | None:
    return db.session.scalar(select(ExportJob).order_by(ExportJob.created_at.desc()).limit(1))


@command(Permission.COUNCIL_EXPORT)
def download_export(job_id: uuid.UUID) -> tuple[str, bytes]:
    """(file name, gzip-compressed JSON) of a ready export; the download is audited (it holds personal data)."""
    job = one(ExportJob, job_id)
    content = exports.export_content(job)
    record("export.downloaded", job)
    exports.record_download(job, current_actor().user_id, "download_export")
    return f"{bound().slug}-export-{job.finished_at:%Y%m%d-%H%M}.json.gz", content


@command(Permission.COUNCIL_EXPORT, takes=SealedExportSchema)
def download_sealed_export(job_id: uuid.UUID, data: dict) -> tuple[str, bytes]:
    """(file name, envelope) of a ready export for the road: encrypted with the passphrase given, signed with the
    council's key (``konsey councils import --passphrase-file`` opens it); the download is audited."""
    job = one(ExportJob, job_id)
    passphrase = loaded(data)["passphrase"]
    content = sealed_exports.seal_export(exports.export_content(job), passphrase, bound().slug)
    record("export.downloaded", job, {"sealed": True})
    exports.record_download(job, current_actor().user_id, "download_sealed_export")
    return f"{bound().slug}-export-{job.finished_at:%Y%m%d-%H%M}.konsey", content


@command(Permission.SYSTEM)
def full_export_sealed(passphrase: str) -> bytes:
    """The operator's export for the road (the command line): the document compressed, encrypted, signed."""
    document = json.dumps(export_council(bound()), ensure_ascii=False, default=str).encode()
    return sealed_exports.seal_export(gzip.compress(document), passphrase, bound().slug)


def opened_export(data: bytes, passphrase: str | None) -> tuple[dict, str | None]:
    """(the document, the signing key's fingerprint) of an export file: a plain JSON document, or an envelope its
    passphrase opens. Not a use case: reading a file the operator was handed."""
    if not sealed_exports.is_sealed_export(data):
        return json.loads(data.decode("utf-8")), None
    if passphrase is None:
        raise sealed_exports.SealedExportError("this export is encrypted: give its passphrase")
    content, fingerprint = sealed_exports.open_export(data, passphrase)
    return json.loads(gzip.decompress(content)), fingerprint


@command(Permission.SYSTEM)
def import_council(document: dict) -> tuple[Council, dict]:
    """Restore a council from its full export into this instance (the operator, at the command line)."""
    return council_import.import_council(document)


@query(Permission.COUNCILS_ONBOARD)
def municipality_choices(province_code: int) -> list:
    """The municipalities of a province, for the onboarding form."""
    return reference.municipalities(province_code)


@query(Permission.COUNCIL_VIEW)
def dashboard(today: date | None = None) -> dict:
    """The council at a glance: its bodies, members by category, the by-laws in force, the statutory calendar
    and the people with roles."""
    today = today or council_today()
    order = list(BodyKind)
    bodies = sorted(db.session.scalars(select(Body)), key=lambda b: (order.index(b.kind), b.name))
    by_category = db.session.execute(select(Member.category, func.count(Member.id))
                                     .group_by(Member.category).order_by(Member.category)).all()
    # The version in force today, as the by-laws page finds it (one adopted for a later date is not yet the rule).
    profile = profile_in_force(bylaw_service.versions(), today)
    member_total = sum(n for _category, n in by_category)
    the_calendar = calendar(today.year)
    grants = people.people_of(bound())
    return {"calendar": the_calendar, "bodies": bodies, "by_category": by_category, "member_total": member_total,
            "profile": profile, "people": grants, "todo": _to_do(today),
            "getting_started": _getting_started(bodies, member_total, grants)}


def _to_do(today: date) -> list[dict]:
    """What needs doing now, each with the page where it is done (the template shows those one may open)."""
    items = []
    waiting = db.session.scalar(select(func.count(MembershipApplication.id)).where(
        MembershipApplication.status.in_([ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW]))) or 0
    if waiting:
        items.append({"text": ngettext("%(num)d membership application waits for a decision.",
                                       "%(num)d membership applications wait for a decision.", waiting),
                      "page": "application_pages.application_list", "permission": "applications.decide",
                      "testid": "todo-applications"})
    overdue = db.session.scalar(select(func.count(Motion.id)).where(overdue_condition(today))) or 0
    if overdue:
        items.append({"text": ngettext("%(num)d motion is overdue: the municipal council has not answered in time.",
                                       "%(num)d motions are overdue: the municipal council has not answered in time.",
                                       overdue),
                      "page": "motion_pages.motion_list", "permission": "council.view", "testid": "todo-motions"})
    upcoming = db.session.scalars(select(Meeting).where(Meeting.status.in_(ACTIVE_STATUSES),
                                                        Meeting.scheduled_at >= council_midnight(today))
                                  .order_by(Meeting.scheduled_at).limit(3)).all()
    for meeting in upcoming:
        items.append({"text": _("Coming up: %(title)s", title=meeting.title), "page": "meeting_pages.desk",
                      "args": {"meeting_id": meeting.id}, "permission": "council.view", "testid": "todo-meeting",
                      "when": meeting.scheduled_at})
    return items


def _getting_started(bodies: list, member_total: int, grants: list) -> list[dict] | None:
    """A new council's first steps, each ticked when done; None once all are done."""
    board = next((b for b in bodies if b.kind is BodyKind.EXECUTIVE_BOARD), None)
    board_seats = len(seats_on(board, council_today())) if board else 0  # who sits on it today, as its page says
    steps = [
        {"text": _("Add the members (by hand or from a CSV file)"), "page": "member_pages.members",
         "done": member_total > 0},
        {"text": _("Seat the executive board"), "page": "body_pages.body_list", "done": bool(board_seats)},
        {"text": _("Invite the people who work with you"), "page": "people_pages.people_page",
         "done": len({grant.user_id for grant in grants}) > 1},  # people, not their roles
        {"text": _("Set where motions are delivered"), "page": "motion_pages.delivery_page",
         # Motions go to the address given at onboarding until a route is set: either is "set".
         "done": bool(bound().motion_delivery_address) or db.session.scalar(select(func.count(DeliveryRoute.id))) > 0},
        {"text": _("Call the first general assembly"), "page": "meeting_pages.index",
         "done": db.session.scalar(select(func.count(Meeting.id))) > 0},
    ]
    return None if all(step["done"] for step in steps) else steps


@query(None)
def public_record(today: date | None = None) -> dict:
    """What anyone may read: the council's numbered decisions and its motions with the municipal answers,
    and the key that signs its packages. No people. Only an active council has a public record."""
    if bound().status is not CouncilStatus.ACTIVE:
        raise NotFound(_("Not found."))
    today = today or council_today()
    decisions = db.session.execute(
        select(Vote.decision_number, AgendaItem.title, Meeting.scheduled_at, Body.name)
        .join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .join(Body, Body.id == Meeting.body_id)
        .where(Vote.decision_number.is_not(None))
        .order_by(Meeting.scheduled_at.desc())
    ).all()
    motions = db.session.scalars(select(Motion).order_by(Motion.number.desc())).all()
    # The key that signs the council's motion packages, so that a municipality can check them.
    key = db.session.scalar(select(CouncilKey).order_by(CouncilKey.created_at.desc()))
    return {"decisions": decisions, "motions": motions, "key": key,
            "due": {m.id: answer_due(m) for m in motions},
            "overdue": {m.id for m in motions if is_overdue(m, today)}}

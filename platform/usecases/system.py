"""What the platform does by itself (the worker and the scheduler): an outbox event's work, notification
e-mails, digests, reminders, overdue follow-ups, plugins' scheduled jobs, the federation's daily snapshot.

These act as :data:`konsey.usecases.base.SYSTEM` (their permission is one no person holds). Where a write must
survive what comes after it in the same task (an e-mail already sent, an attempt that asks for a retry), the
use case says so by calling :func:`keep_so_far`."""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from konsey.core import (
    delivery,
    export,
    federation,
    live,
    motions,
    notifications,
    outbox,
    passes,
    sms,
    speakers,
)
from konsey.core.mail import build_message, deliver
from konsey.core.meetings import Meeting, MeetingStatus
from konsey.core.membership import Member
from konsey.core.motions import Motion
from konsey.core.permissions import Permission
from konsey.core.plugins import PluginEnablement, plugin_jobs
from konsey.core.urls import external_url
from konsey.tenants.db import db, utcnow
from konsey.tenants.models import Council, CouncilStatus, council_today
from konsey.tenants.scoping import all_councils, bound_council
from konsey.usecases import personal_data
from konsey.usecases.base import command, query

logger = logging.getLogger(__name__)


def keep_so_far() -> None:
    """Make the unit of work's writes so far durable, before something that may fail or be retried."""
    db.session.commit()


def _active_councils() -> list[uuid.UUID]:
    return db.session.scalars(select(Council.id).where(Council.status == CouncilStatus.ACTIVE)).all()


# --- the outbox relay: the events the domain wrote, handed to the broker ---------------------------------------


@query(Permission.SYSTEM)
def due_outbox_events(limit: int, now: datetime | None = None) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(council id, event id) of the events to publish, oldest first: never published, or their lease ran out
    (the message was lost, or the worker that held it died); never those done or dead."""
    now = now or utcnow()
    # Not audited per run (it runs every few seconds and reads only ids); the relay itself is the reason.
    with all_councils(reason="outbox relay: which events are waiting to be published", audit=False) as every:
        rows = every.execute(
            select(outbox.OutboxEvent.council_id, outbox.OutboxEvent.id)
            .where(outbox.OutboxEvent.completed_at.is_(None), outbox.OutboxEvent.dead_at.is_(None),
                   or_(outbox.OutboxEvent.lease_until.is_(None), outbox.OutboxEvent.lease_until < now))
            .order_by(outbox.OutboxEvent.created_at).limit(limit)
        ).all()
    return [tuple(row) for row in rows]


@command(Permission.SYSTEM)
def outbox_event_published(council_id: uuid.UUID, event_id: uuid.UUID, token: str,
                           now: datetime | None = None) -> None:
    """The broker took the message ``token`` for an event: that message holds the event for a lease."""
    redeliver_after = timedelta(seconds=current_app.config["KONSEY_OUTBOX_REDELIVER_AFTER"])
    with bound_council(council_id):
        event = db.session.get(outbox.OutboxEvent, event_id, with_for_update=True)  # not over a claim just made
        if event is not None:
            outbox.published(event, token, redeliver_after, now)
            db.session.flush()  # written as this council's, before the scope is released


@query(None)
def scheduled_plugin_jobs() -> list[tuple[str, object]]:
    """(plugin, job) of every installed plugin's scheduled jobs (each runs per council that enabled it)."""
    return plugin_jobs()


@query(None)
def retry_after(attempt: int) -> float:
    """Seconds before the next try of a task that failed for now (the platform's backoff: about three days in
    all over twenty tries)."""
    return delivery.retry_schedule(attempt)


@command(Permission.SYSTEM)
def send_email(to: str, subject: str, body: str, html: str | None = None) -> None:
    deliver(build_message(to, subject, body, html=html))


@query(Permission.SYSTEM)
def count_members() -> int:
    """The bound council's member count (the tests' check that workers honour council scoping)."""
    return db.session.scalar(select(func.count(Member.id))) or 0


@command(Permission.SYSTEM)
def handle_event(event_id: uuid.UUID, token: str | None = None) -> bool:
    """Do an outbox event's work once, in the bound council; False if it was done already, is dead, or another
    message holds it (``token`` is this message's id: the lease it must hold)."""
    if token is not None:
        if not outbox.claim(event_id, token, _lease()):
            return False
        keep_so_far()  # the claim is seen by the relay and by other workers while the work runs
    return outbox.handle(event_id, keep=keep_so_far)


@command(Permission.SYSTEM)
def postpone_event(event_id: uuid.UUID, token: str, wait_seconds: float) -> None:
    """The message ``token`` will try the event again in ``wait_seconds``: nobody else takes it meanwhile."""
    outbox.postpone(event_id, token, timedelta(seconds=wait_seconds), _lease())


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config["KONSEY_OUTBOX_LEASE_SECONDS"])


@command(Permission.SYSTEM)
def send_notification_batch(notification_ids: list[str]) -> int:
    """E-mail one batch (at most notifications.BATCH) of the bound council's immediate notifications."""
    return notifications.send_batch(notification_ids, keep=keep_so_far)


@command(Permission.SYSTEM)
def send_digests() -> int:
    """Daily: each member who chose the digest gets one e-mail, council by council."""
    sent = 0
    for council_id in _active_councils():
        with bound_council(council_id):
            sent += notifications.send_digests(keep=keep_so_far)
    return sent


@command(Permission.SYSTEM)
def meeting_reminders() -> int:
    """Daily: a reminder for each meeting in the next two days (once per meeting)."""
    queued = 0
    now = utcnow()
    for council_id in _active_councils():
        with bound_council(council_id):
            for meeting in db.session.scalars(select(Meeting).where(
                    Meeting.status == MeetingStatus.SCHEDULED, Meeting.scheduled_at > now,
                    Meeting.scheduled_at <= now + timedelta(days=2))).all():
                queued += notifications.meeting_invitations(meeting.id, key=f"reminder:{meeting.id}:{meeting.sequence}", reminder=True)
            keep_so_far()  # this council's reminders are recorded (and queued) before the next council's
    return queued


@command(Permission.SYSTEM)
def check_out_silent_participants() -> int:
    """Every half minute: online participants whose phone went silent (left, or lost the connection) are
    checked out, council by council; their meetings' screens hear of it."""
    dropped = 0
    for council_id in _active_councils():
        with bound_council(council_id):
            for meeting_id, members in passes.check_out_silent().items():
                dropped += len(members)
                speakers.off_the_list(db.session.get(Meeting, meeting_id), members)
                live.changed(meeting_id, urgent=False)
    return dropped


@query(Permission.SYSTEM)
def publish_waiting_live_states() -> int:
    """Every few seconds: the meetings whose screens still wait for a state (a worker recycled, or a failure,
    while a change was being folded) get it now."""
    return live.sweep()


@command(Permission.SYSTEM)
def purge_expired_exports() -> int:
    """Hourly: every council's exports past their week lose their document (it holds personal data)."""
    purged = 0
    for council_id in _active_councils_and_others():
        with bound_council(council_id):
            purged += export.purge_expired()
    return purged


def _active_councils_and_others() -> list[uuid.UUID]:
    # Suspended and archived councils' exports expire too: every council, whatever its state.
    return db.session.scalars(select(Council.id)).all()


@command(Permission.SYSTEM)
def personal_data_daily(today: date | None = None) -> dict[str, int]:
    """Daily, in every council whatever its state: delete or anonymise what has served its purpose (the by-laws'
    days; audited by counts), seal again what an older data key sealed (or what was stored before sealing began),
    and drop the keys nothing is sealed with any more. Totals per kind of record."""
    totals: dict[str, int] = {}
    for council_id in _active_councils_and_others():
        with bound_council(council_id):
            try:
                for code, count in personal_data.sweep_retention(today).items():
                    totals[code] = totals.get(code, 0) + count
                while personal_data.reseal(2000):
                    keep_so_far()
                personal_data.drop_retired_keys()
                keep_so_far()  # one council's sweep is kept whatever happens in the next one's
            except Exception:  # one council's failure (a key its master key cannot open) stops no other's
                db.session.rollback()
                logger.exception("the personal-data sweep failed in council %s", council_id)
    return totals


@command(Permission.SYSTEM)
def sms_reports() -> int:
    """Every quarter of an hour: each council with an SMS account asks its provider whether the messages sent
    reached the phones (the delivery page shows it). One council's provider out of reach stops no other."""
    answered = 0
    for council_id in _active_councils_and_others():
        with bound_council(council_id):
            try:
                answered += sms.ask_reports()
                keep_so_far()
            except Exception:  # a provider answering what it never documented: logged, the others go on
                db.session.rollback()
                logger.exception("asking for SMS delivery reports failed in council %s", council_id)
    return answered


@command(Permission.SYSTEM)
def flag_overdue_motions(today: date | None = None) -> int:
    """Daily: tell each council's secretariat which motions are past the municipal council's due date."""
    flagged = 0
    for council in db.session.scalars(select(Council).where(Council.status == CouncilStatus.ACTIVE)).all():
        with bound_council(council.id):
            overdue = db.session.scalars(select(Motion).where(motions.overdue_condition(today or council_today()))
                                         .order_by(Motion.number)).all()
            if overdue:
                with force_locale(council.locale):  # the council's language, whatever ran the job
                    deliver(build_message(council.contact_email, *_overdue_notice(council, overdue)))
                flagged += len(overdue)
    return flagged


def _overdue_notice(council: Council, overdue: list[Motion]) -> tuple[str, str]:
    """The secretariat's daily notice: which motions wait past their due date, each with its page."""
    subject = _("%(council)s: motions whose answer is overdue", council=council.name)
    lines = [_("The municipal council has not answered these motions by their due date:"), ""]
    for motion in overdue:
        lines.append(_("No. %(number)d: %(title)s (decision %(decision)s)", number=motion.number, title=motion.title,
                       decision=motion.decision_number))
        lines.append(external_url("motion_pages.motion_detail", council_slug=council.slug, motion_id=motion.id))
    return subject, "\n".join(lines)


@command(Permission.SYSTEM)
def run_plugin_job(plugin: str, job: str) -> int:
    """Run a plugin's scheduled job once for each council that has the plugin enabled, that council bound."""
    task = next((j.task for name, j in plugin_jobs() if name == plugin and j.name == job), None)
    if task is None:
        return 0
    with all_councils(reason=f"scheduled job {job} of plugin {plugin}: which councils enabled it") as every:
        councils = every.scalars(select(PluginEnablement.council_id).where(
            PluginEnablement.plugin == plugin, PluginEnablement.enabled.is_(True))).all()
        keep_so_far()  # the escape hatch's audit entry, and a transaction that ends before the councils' own
    for council_id in councils:
        with bound_council(council_id):
            task(council_id=str(council_id))
            keep_so_far()  # one council's job is done whatever happens in the next one's
    return len(councils)


@command(Permission.SYSTEM)
def federation_snapshot(today: date | None = None) -> int:
    """Daily: the federation's indicators of every council, kept for the trends."""
    return federation.take_snapshot(today)


@command(Permission.SYSTEM)
def bury_task(task: str, kwargs: dict, error: str, attempts: int,
              token: str | None = None) -> outbox.DeadLetter | None:
    """A task that failed for good lands in its council's dead letters, for people to see and retry."""
    db.session.rollback()  # whatever the failed task left: the letter goes in a transaction of its own
    return outbox.bury(task, kwargs, error, attempts, token)

"""A council's full export: every council-owned row, plugins' tables included (KVKK data portability)."""

from __future__ import annotations

import base64
import enum
import gzip
import json
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Integer, LargeBinary, String, Uuid, inspect, select, text, update
from sqlalchemy.orm import Mapped, deferred, mapped_column

from konsey.core import outbox
from konsey.core.accounts import CouncilRole, Invitation
from konsey.core.audit import record
from konsey.core.errors import Conflict
from konsey.core.keyring import CouncilDataKey, open_document, seal_document
from konsey.core.special_data import declared_fields, record_platform_read, sealed_fields_of
from konsey.tenants.db import CouncilOwned, as_utc, council_owned_models, db, enum_of, lock, utcnow
from konsey.tenants.models import Council
from konsey.tenants.scoping import bound_council, current_council_id

# An export holds every member's personal data: it can be downloaded for a week, then it is gone (KVKK: kept no
# longer than its purpose needs).
EXPORT_KEPT = timedelta(days=7)
# A job that has not moved for this long lost its worker: it no longer holds the next request back, and a
# redelivered event may take it over.
EXPORT_STALE_AFTER = timedelta(minutes=10)
UNFINISHED = ("queued", "running")

SEALED_EXPORT = "export_jobs.content"  # what a stored export is sealed as (konsey.core.keyring)
GZIP_MAGIC = b"\x1f\x8b"

# Secrets never leave in an export: a re-import makes new ones (webhook secret, signing key).
SECRET_COLUMNS = frozenset({"secret", "private_key_encrypted", "digest", "password_hash"})


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)  # money keeps its two decimals exactly
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")  # a document the council keeps (its minutes, its archives)
    return value


def _row(obj) -> dict:
    """A row as the export carries it: by column, a sealed value opened (it leaves only inside the export, which is
    itself sealed while it waits to be downloaded), secrets left out."""
    fields = sealed_fields_of(type(obj))
    sealed = {field.store: field for field in fields}
    # A keyed hash is of this installation's key, a hint is the value's: a restore makes both anew.
    derived = {column for field in fields for column in (field.indexed_by, field.hint_by) if column}
    row = {}
    for attr in inspect(obj).mapper.column_attrs:
        if attr.key in SECRET_COLUMNS or attr.key in derived:
            continue
        field = sealed.get(attr.key)
        if field is not None:
            row[field.name] = _plain(field.plain(obj))
        else:
            row[attr.key] = _plain(getattr(obj, attr.key))
    return row


def _keep_open_secret_votes_secret(tables: dict) -> None:
    """A secret vote still open tells its turnout and nothing more, in an export as everywhere: no running
    counts, no box, and not which seat has voted (with two exports a moment apart, that would name a voter)."""
    # A secret vote's box is never exported: it holds choices only while the vote is open (and the tables are read
    # one after another: a vote closing between two of them must not leave its box in the file).
    tables.pop("secret_tallies", None)
    secret_open = {row["id"] for row in tables.get("votes", []) if row["kind"] == "secret" and not row["closed_at"]}
    if not secret_open:
        return
    turnout = {vote_id: 0 for vote_id in secret_open}
    kept = []
    for row in tables.get("ballots", []):
        if row["vote_id"] in secret_open:
            turnout[row["vote_id"]] += 1
        else:
            kept.append(row)
    tables["ballots"] = kept
    for row in tables.get("votes", []):
        if row["id"] in secret_open:
            # (yes, no and abstain are the totals written at the close: zero until then)
            row.update(hall_yes=None, hall_no=None, hall_abstain=None, hall_room=None, turnout=turnout[row["id"]])


def export_council(council: Council, progress: Callable[[int, int], None] | None = None) -> dict:
    """Every council-owned row; ``progress(done, total)`` is told after each table."""
    document = {"format": "konsey-council-export/1", "exported_at": utcnow().isoformat(), "council": _row(council)}
    models = exported_models()
    with bound_council(council.id):
        tables = {}
        for done, model in enumerate(models, start=1):
            # In a stable order: the same data gives the same document, whatever plan the database chose.
            rows = db.session.scalars(select(model).order_by(*model.__mapper__.primary_key)).all()
            tables[model.__tablename__] = [_row(r) for r in rows]
            if progress is not None:
                progress(done, len(models))
        _keep_open_secret_votes_secret(tables)
    # Role grants and invitations are platform tables, read here for this one council only.
    tables["council_roles"] = [
        {**_row(r), "email": r.user.email}
        for r in db.session.scalars(select(CouncilRole).where(CouncilRole.council_id == council.id))
    ]
    tables["invitations"] = [
        _row(i)
        for i in db.session.scalars(select(Invitation).where(Invitation.council_id == council.id))
    ]
    document["tables"] = tables
    return document


def exported_models() -> list:
    """The council-owned tables an export carries: not the exports themselves, nor the council's keys (a restore
    makes new ones and seals the values with them)."""
    return [model for model in council_owned_models() if model not in (ExportJob, CouncilDataKey)]


# --- the export as work for the worker, with its progress ------------------------------------------------------


class ExportState(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    EXPIRED = "expired"


class ExportJob(CouncilOwned, db.Model):
    """A full export asked for from a page or the API, written by the worker (a large council's takes a while),
    kept compressed in the database — web and worker processes share no disk — until it expires."""

    __tablename__ = "export_jobs"

    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the user (a platform row): no key to it
    state: Mapped[ExportState] = mapped_column(enum_of(ExportState, 10), default=ExportState.QUEUED)
    tables_done: Mapped[int] = mapped_column(Integer, default=0)
    tables_total: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # the document, gzip-compressed
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    progress_at: Mapped[datetime] = mapped_column(default=utcnow)  # the worker's last sign of life
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]

    __council_table_args__ = (
        db.Index("ix_export_jobs_council_created", "council_id", "created_at"),
        # One unfinished export per council: of two requests at the same moment, the database keeps one.
        db.Index("uq_export_jobs_unfinished", "council_id", unique=True,
                 postgresql_where=text("state IN ('queued', 'running')"),
                 sqlite_where=text("state IN ('queued', 'running')")),
    )

    @property
    def percent(self) -> int:
        return round(100 * self.tables_done / self.tables_total) if self.tables_total else 0

    def stale(self, now: datetime | None = None) -> bool:
        """Unfinished and silent for EXPORT_STALE_AFTER: its worker is gone."""
        return self.state.value in UNFINISHED and as_utc(self.progress_at) < (now or utcnow()) - EXPORT_STALE_AFTER

    def expired(self, now: datetime | None = None) -> bool:
        return self.state is ExportState.EXPIRED or (
            self.state is ExportState.READY and as_utc(self.expires_at) < (now or utcnow()))


def request_export(requested_by_id: uuid.UUID | None) -> ExportJob:
    """Queue a full export of the bound council; one at a time (a second request while one runs is a conflict).
    Earlier exports' files are dropped: only the newest is kept."""
    unfinished = ExportJob.state.in_(UNFINISHED)
    db.session.execute(update(ExportJob).where(unfinished, ExportJob.progress_at < utcnow() - EXPORT_STALE_AFTER)
                       .values(state=ExportState.FAILED, error="stale")
                       .execution_options(synchronize_session=False))
    if db.session.scalar(select(ExportJob.id).where(unfinished).limit(1)) is not None:
        raise Conflict({"export": [_("An export is being prepared; wait for it to finish.")]})
    db.session.execute(update(ExportJob).where(ExportJob.state == ExportState.READY)
                       .values(state=ExportState.EXPIRED, content=None).execution_options(synchronize_session=False))
    job = ExportJob(requested_by_id=requested_by_id, tables_total=len(exported_models()))
    db.session.add(job)
    db.session.flush()
    outbox.emit("export.requested", {"job_id": str(job.id)})
    record("export.requested", job)
    return job


def write_export(job_id: uuid.UUID, keep: Callable[[], None]) -> None:
    """The worker's part: write the document table by table, keeping the progress as it goes. A job another
    worker is writing (it moved lately) is left to it; one whose worker went silent is taken over."""
    job = db.session.get(ExportJob, job_id)
    if job is None or job.state.value not in UNFINISHED or (job.state is ExportState.RUNNING and not job.stale()):
        return  # done, failed, dropped — or in another worker's hands
    job.state, job.progress_at = ExportState.RUNNING, utcnow()
    keep()

    def progress(done: int, total: int) -> None:
        job.tables_done, job.tables_total, job.progress_at = done, total, utcnow()
        keep()  # the page polling this job sees the count grow

    try:
        document = export_council(db.session.get(Council, current_council_id()), progress)
        content = seal_document(gzip.compress(json.dumps(document, ensure_ascii=False).encode(), compresslevel=6),
                                SEALED_EXPORT)
    except Exception:
        db.session.rollback()
        failed = db.session.get(ExportJob, job_id)
        failed.state, failed.error = ExportState.FAILED, "error"
        keep()
        raise
    lock(job)
    if job.state is not ExportState.RUNNING:
        return  # given up meanwhile (a newer request marked it stale): the newer one is the export
    job.content, job.size_bytes = content, len(content)
    job.state, job.finished_at = ExportState.READY, utcnow()
    job.expires_at = job.finished_at + EXPORT_KEPT
    record("export.ready", job, {"size_bytes": job.size_bytes})


def drop_ready_exports() -> None:
    """A member was erased (KVKK): no export may still carry their data."""
    db.session.execute(update(ExportJob).where(ExportJob.state == ExportState.READY)
                       .values(state=ExportState.EXPIRED, content=None).execution_options(synchronize_session=False))


@outbox.handles("export.requested")
def _on_export_requested(event: outbox.OutboxEvent, keep: Callable[[], None]) -> None:
    write_export(uuid.UUID(event.payload["job_id"]), keep)


def record_download(job: ExportJob, reader_user_id: uuid.UUID | None, route: str) -> None:
    """Every special-category value of the council leaves with a download: one record of the read, no value."""
    record_platform_read(reader_user_id, ExportJob.__tablename__, str(job.id),
                         sorted({field.key for field in declared_fields()}), route)


def export_content(job: ExportJob, now: datetime | None = None) -> bytes:
    """The compressed document of a ready export; a conflict while it is being prepared or once it expired
    (whether or not :func:`purge_expired` has dropped its content yet)."""
    if job.expired(now):
        raise Conflict({"export": [_("This export expired; prepare a new one.")]})
    if job.state is not ExportState.READY:
        raise Conflict({"export": [_("This export cannot be downloaded: it is still being prepared, or it failed or "
                                     "expired.")]})
    if job.content[:2] == GZIP_MAGIC:  # prepared before exports were sealed: kept a week at most, as it was
        return job.content
    return open_document(job.content, SEALED_EXPORT)


def purge_expired(now: datetime | None = None) -> int:
    """Drop the documents of the bound council's exports past their week; how many."""
    return db.session.execute(
        update(ExportJob).where(ExportJob.state == ExportState.READY, ExportJob.expires_at < (now or utcnow()))
        .values(state=ExportState.EXPIRED, content=None).execution_options(synchronize_session=False)).rowcount

"""A council's personal data as the law asks it to be kept (KVKK): who read its special categories, what is due to
be deleted and the daily sweep that deletes it, the processing inventory, and the council's data key."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import keyring, outbox, retention, special_data
from konsey.core.accounts import User
from konsey.core.audit import record
from konsey.core.bylaws import parameters_on
from konsey.core.formats import moment_text
from konsey.core.membership import Member
from konsey.core.permissions import Permission
from konsey.core.plugins import council_hooks
from konsey.core.special_data import CATEGORY_LABELS, SpecialDataRead
from konsey.tenants.db import db
from konsey.tenants.models import Council, council_midnight, council_today
from konsey.tenants.scoping import bound_council
from konsey.usecases.base import PER_PAGE, Page, command, paginate, query

OVERSEE = Permission.PERSONAL_DATA_OVERSEE


def pending_reads() -> list[dict]:
    """The reads of special-category data this request has noted (and forgets them): not a use case, the
    request's own notes, for :func:`record_reads` when it ends."""
    return special_data.reads_of_this_request()


@command(None)
def record_reads(reads: list[dict]) -> int:
    """What a person read of special-category data in one request, recorded when it ends (one row per record)."""
    return special_data.record_reads(reads)


# --- who read what ----------------------------------------------------------------------------------------------


def _reads(since: date | None, until: date | None):
    statement = select(SpecialDataRead).order_by(SpecialDataRead.at.desc(), SpecialDataRead.id)
    if since is not None:
        statement = statement.where(SpecialDataRead.at >= council_midnight(since))
    if until is not None:
        statement = statement.where(SpecialDataRead.at < council_midnight(until + timedelta(days=1)))
    return statement


def _readers(reads: list[SpecialDataRead]) -> dict[str, str]:
    """Who each reader is, as the data officer knows them: an account's address, a member's number."""
    user_ids = {read.reader_user_id for read in reads if read.reader_user_id}
    member_ids = {read.reader_member_id for read in reads if read.reader_member_id}
    names = {str(user.id): user.email for user in db.session.scalars(select(User).where(User.id.in_(user_ids)))} \
        if user_ids else {}
    if member_ids:
        for member in db.session.scalars(select(Member).where(Member.id.in_(member_ids))):
            names[str(member.id)] = _("member no. %(number)d", number=member.member_no)
    return names


def _reader_of(read: SpecialDataRead, names: dict[str, str]) -> str:
    reader = read.reader_user_id or read.reader_member_id
    return names.get(str(reader), str(reader)) if reader else _("the platform")


@query(OVERSEE)
def access_log(page: int = 1, since: date | None = None, until: date | None = None,
               per_page: int = PER_PAGE) -> Page:
    """The reads of special-category data, newest first, a page at a time; each row says who its reader is
    (``reader``: an account's address, a member's number, or the platform)."""
    found = paginate(_reads(since, until), page, per_page)
    names = _readers(found.rows)
    for read in found.rows:
        read.reader = _reader_of(read, names)
        read.record_label = special_data.record_label(read.record_type)
        read.field_labels = [special_data.field_label(key) for key in read.fields]
    return found


@query(OVERSEE)
def access_log_csv(since: date | None = None, until: date | None = None) -> str:
    """The reads as CSV for the data officer (no value: who, when, which record, which fields, from where)."""
    reads = db.session.scalars(_reads(since, until).limit(100_000)).all()
    names = _readers(reads)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("When"), _("Reader"), _("Record"), _("Record id"), _("Fields"), _("Route")])
    for read in reads:
        writer.writerow([moment_text(read.at), _reader_of(read, names), special_data.record_label(read.record_type),
                         read.record_id, "; ".join(special_data.field_label(key) for key in read.fields), read.route])
    return out.getvalue()


# --- what is kept, and for how long ------------------------------------------------------------------------------


def _kinds() -> list:
    return [kind for answer in council_hooks().hook.konsey_retention_kinds() for kind in answer]


@query(OVERSEE)
def retention_due(today: date | None = None) -> list[retention.Due]:
    """Per kind of record kept for a while: its days, the cutoff, and how many are due to go at the next sweep."""
    return retention.due(_kinds(), today)


@command(Permission.SYSTEM)
def sweep_retention(today: date | None = None) -> dict[str, int]:
    """The daily sweep in the bound council: expire what is due; the counts are audited, never a value."""
    return retention.sweep(_kinds(), today)


@query(OVERSEE)
def inventory() -> list[dict]:
    """The council's processing inventory of special-category data and identity numbers, in the shape VERBİS asks
    for: one line per field the code declares sealed (core and enabled plugins alike)."""
    parameters = parameters_on(council_today())
    kept_by = council_hooks().known  # a plugin ever enabled: its data is kept while the council keeps it
    lines = []
    for field in special_data.declared_fields():
        plugin = field.model.__module__.split(".")[2] if field.model.__module__.startswith("konsey.plugins.") else None
        if plugin is not None and plugin not in kept_by:
            continue
        days = parameters.get(field.kept) if field.kept else None
        lines.append({
            "category": str(CATEGORY_LABELS[field.category]),
            "data": str(field.label or field.key),
            "field": field.key,
            "subjects": str(field.subjects),
            "purpose": str(field.purpose),
            "legal_basis": str(field.legal_basis),
            "recipients": _("The council's staff with the role that reads it; no one outside the council"),
            "transfer_abroad": _("None"),
            "retention": _("%(days)d days after its purpose ends", days=days) if days is not None
            else _("While its purpose lasts"),
            "measures": _("Sealed at rest (AES-256-GCM, a key per council wrapped by a master key kept apart); every "
                          "read by a person recorded; access by role"),
        })
    return lines


INVENTORY_COLUMNS = ("category", "data", "field", "subjects", "purpose", "legal_basis", "recipients", "transfer_abroad",
                     "retention", "measures")


def inventory_headers() -> list[str]:
    return [_("Data category"), _("Personal data"), _("Field"), _("Data subjects"), _("Purpose of processing"),
            _("Legal basis"), _("Recipients"), _("Transfer abroad"), _("Retention period"),
            _("Technical and administrative measures")]


@query(OVERSEE)
def inventory_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(inventory_headers())
    for line in inventory():
        writer.writerow([line[column] for column in INVENTORY_COLUMNS])
    return out.getvalue()


def new_master_key_line(key_id: str) -> str:
    """A new master key as the configuration holds it (``id:base64``): made here, stored nowhere."""
    return keyring.new_master_key_line(key_id)


# --- the council's data key --------------------------------------------------------------------------------------


@query(OVERSEE)
def key_status() -> dict:
    """The data key in use, the versions kept, and how many values are sealed with the newest."""
    done, total, version = special_data.seal_progress()
    return {"version": version or 0, "versions": keyring.versions(), "sealed": done, "total": total,
            "percent": round(100 * done / total) if total else 100}


@command(OVERSEE)
def rotate_data_key() -> int:
    """A new data key for the council: new values are sealed with it at once, the others in the background (the
    progress on the council's personal-data page); the old key is dropped when nothing uses it."""
    version = keyring.new_data_key()
    outbox.emit("keys.rotated", {"version": version})
    record("keys.data_key_rotated", None, {"version": version})
    return version


@command(Permission.SYSTEM)
def reseal(limit: int = 500) -> int:
    """Seal again, with the newest key, up to ``limit`` values sealed with an older one (or stored in the clear
    before sealing began): the worker's part of a rotation, and the daily job's."""
    return special_data.reseal_batch(limit)


@command(Permission.SYSTEM)
def drop_retired_keys() -> int:
    dropped = special_data.drop_retired_keys()
    if dropped:
        record("keys.data_keys_dropped", None, {"count": dropped})
    return dropped


@command(Permission.SYSTEM)
def rewrap_every_council() -> dict[str, int]:
    """Wrap every council's keys under the first configured master key (a new master key was put first): slug →
    keys moved. The values stay as they are; the old master key can go once every council says 0."""
    moved = {}
    for council in db.session.scalars(select(Council).order_by(Council.slug)).all():
        with bound_council(council.id):
            moved[council.slug] = keyring.rewrap(council.id)
            if moved[council.slug]:
                record("keys.rewrapped", None, {"count": moved[council.slug]})
    return moved

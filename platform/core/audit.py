"""The council audit log: every state change, appended to a hash chain that shows any edit or deletion.

Each entry's hash covers its own content and the previous entry's hash; the council row keeps the head of
the chain (last sequence number and hash), so removing the newest entries is detected too.
``konsey audit verify <council>`` runs :func:`verify_chain` over a council's whole log.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import JSON, String, Uuid, func, select, text
from sqlalchemy.orm import Mapped, mapped_column

from konsey.tenants.db import CouncilOwned, as_utc, db, utcnow
from konsey.tenants.models import Council
from konsey.tenants.scoping import current_council_id

GENESIS = "0" * 64


class AuditEntry(CouncilOwned, db.Model):
    __tablename__ = "audit_entries"

    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str | None] = mapped_column(String(64))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __council_table_args__ = (db.UniqueConstraint("council_id", "seq"),)


def entry_hash(*, council_id, seq: int, at: datetime, actor_id, action: str, subject_type, subject_id,
               details: dict, prev_hash: str) -> str:
    """SHA-256 over a canonical JSON form of the entry (UTC time in microseconds, sorted keys)."""
    canonical = json.dumps(
        {"council": str(council_id), "seq": seq, "at": as_utc(at).isoformat(timespec="microseconds"),
         "actor": str(actor_id) if actor_id else None, "action": action, "subject_type": subject_type,
         "subject_id": subject_id, "details": details, "prev": prev_hash},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(council_id=entry.council_id, seq=entry.seq, at=entry.at, actor_id=entry.actor_id,
                      action=entry.action, subject_type=entry.subject_type, subject_id=entry.subject_id,
                      details=entry.details, prev_hash=entry.prev_hash)


# A member acting without an account (a presiding board's member running the meeting from their phone): their
# entries name them by their member id, as an account's name the user.
_acting_member: ContextVar[uuid.UUID | None] = ContextVar("konsey_audit_acting_member", default=None)


@contextmanager
def member_acting(member_id: uuid.UUID):
    token = _acting_member.set(member_id)
    try:
        yield
    finally:
        _acting_member.reset(token)


def acting_member_id() -> uuid.UUID | None:
    """The member acting without an account, if one is (see :func:`member_acting`)."""
    return _acting_member.get()


def record(action: str, subject=None, details: dict | None = None, actor_id: uuid.UUID | None = None) -> AuditEntry:
    """Append an entry to the current council's log, in the caller's transaction."""
    member = _acting_member.get()
    if member is not None:
        details = {**(details or {}), "by_member": str(member)}

    council_id = current_council_id()
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        # One writer per council at a time, so sequence numbers and links never fork.
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:c))"), {"c": str(council_id)})
    last = session.scalar(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1))
    if actor_id is None:
        actor_id = current_actor_id()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=utcnow(),
        actor_id=actor_id,
        action=action,
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=str(subject.id) if subject is not None and getattr(subject, "id", None) else None,
        details=json.loads(json.dumps(details or {}, default=str)),
        prev_hash=last.hash if last else GENESIS,
    )
    entry.council_id = council_id
    entry.hash = _hash_of(entry)
    session.add(entry)
    council = session.get(Council, council_id)
    council.audit_head_seq, council.audit_head_hash = entry.seq, entry.hash
    session.flush()  # while the council is still bound: callers may leave its scope before committing
    return entry


def current_actor_id() -> uuid.UUID | None:
    """Who is acting in this request, as the request guard authenticated them (session or token)."""
    if not has_request_context():
        return None
    principal = g.get("principal")
    return principal.id if principal is not None else None


@dataclass(frozen=True)
class Problem:
    seq: int
    message: str


def verify_chain(entries: Iterable[AuditEntry], head_seq: int | None, head_hash: str | None) -> list[Problem]:
    """Every way the stored log differs from an untouched chain: edits, gaps, broken links, a cut-off tail."""
    problems: list[Problem] = []
    expected_seq, previous = 1, GENESIS
    for entry in sorted(entries, key=lambda e: e.seq):
        if entry.seq != expected_seq:
            problems.append(Problem(expected_seq, f"entries {expected_seq}–{entry.seq - 1} are missing"))
        if entry.prev_hash != previous:
            problems.append(Problem(entry.seq, "does not link to the entry before it"))
        if _hash_of(entry) != entry.hash:
            problems.append(Problem(entry.seq, "was changed after it was written"))
        expected_seq, previous = entry.seq + 1, entry.hash
    last_seq = expected_seq - 1
    if (head_seq or 0) != last_seq or (head_seq and head_hash != previous):
        problems.append(Problem(head_seq or 0, f"the log ends at {last_seq} but the council's head is {head_seq or 0}"))
    return problems


def entries_count() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id))) or 0

"""The women's assembly's own records: gender-impact notes attached to motions."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import String, Text, Uuid, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.pluginkit import CouncilOwned, Invalid, db, record, same_council_fk, utcnow


class GenderImpactNote(CouncilOwned, db.Model):
    __tablename__ = "womens_assembly_impact_notes"

    motion_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200))  # the assembly's facilitator or rapporteur, as signed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "motion_id"),
        same_council_fk("motion_id", "motions", ondelete="CASCADE"),
    )


def note_for(motion_id: uuid.UUID) -> GenderImpactNote | None:
    return db.session.scalar(select(GenderImpactNote).where(GenderImpactNote.motion_id == motion_id))


def attach_note(motion_id: uuid.UUID, text: str, author: str) -> GenderImpactNote:
    """Attach (or replace) the assembly's gender-impact note on a motion."""
    if len(text.strip()) < 20:
        raise Invalid({"text": [_("A gender-impact note says something: write at least 20 characters.")]})
    note = note_for(motion_id)
    if note is None:
        note = GenderImpactNote(motion_id=motion_id, text=text.strip(), author=author)
        db.session.add(note)
    else:
        note.text, note.author = text.strip(), author
    db.session.flush()
    record("womens_assembly.impact_note", note, {"motion": str(motion_id)})
    return note

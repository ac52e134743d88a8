"""The participation plugin's records: residents' accounts, their proposals and supports, requests to join a
working group, drafts published for comment and the comments on them, and flags.

Every table is the council's own (``CouncilOwned``): a resident who signs up with two councils has two accounts,
each held by the council that is its data controller, and nothing of one is seen from the other.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import Date, Integer, LargeBinary, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from konsey.pluginkit import CouncilOwned, db, enum_of, same_council_fk, utcnow


class Resident(CouncilOwned, db.Model):
    """A resident's account with the council: a name, an e-mail address (verified by a link), a neighbourhood.
    No identity number. A member of the council who signs up with the address the council has on file is
    shown as a member (``member_id``)."""

    __tablename__ = "participation_residents"

    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(120))
    neighbourhood: Mapped[str] = mapped_column(String(120))
    # None after the council's data is restored from its export (which never carries a password): the resident
    # then chooses a new one with the forgotten-password link.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    verified_at: Mapped[datetime | None]
    # The information notice the resident read (its version) and when they agreed to the processing it describes.
    notice_version: Mapped[str] = mapped_column(String(20))
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    member_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Raised at each sign-out everywhere and password reset: the sessions and API keys made before are void.
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.UniqueConstraint("council_id", "email"),)


class ProposalStatus(enum.StrEnum):
    OPEN = "open"  # collecting supports
    AT_BODY = "at_body"  # reached the threshold: on a working group's (or the executive board's) agenda
    ANSWERED = "answered"  # the secretariat answered it without a body (already done, not the council's, …)
    DECLINED = "declined"  # declined with a public reason
    MERGED = "merged"  # a duplicate, merged into another proposal


class Proposal(CouncilOwned, db.Model):
    __tablename__ = "participation_proposals"

    number: Mapped[int] = mapped_column(Integer)  # per council, for the share link (/proposals/12)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    theme_body_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the working group of its theme (None: other)
    neighbourhood: Mapped[str] = mapped_column(String(120))
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # None once the author's account is erased
    status: Mapped[ProposalStatus] = mapped_column(enum_of(ProposalStatus, 16), default=ProposalStatus.OPEN)
    supports: Mapped[int] = mapped_column(Integer, default=0)  # kept with the support rows, under the row's lock
    threshold: Mapped[int] = mapped_column(Integer)  # the supports it needed when it was made
    reached_at: Mapped[datetime | None]
    body_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the body whose agenda it is on
    report_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the group's report on it
    motion_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the motion the decision on it became
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    answer: Mapped[str | None] = mapped_column(Text)  # the secretariat's answer, or why it was declined (public)
    hidden_reason: Mapped[str | None] = mapped_column(String(500))  # moderation: public; the text stays for the record
    hidden_at: Mapped[datetime | None]
    attachment_name: Mapped[str | None] = mapped_column(String(200))
    attachment_type: Mapped[str | None] = mapped_column(String(100))
    attachment: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "number"),
        db.Index("ix_participation_proposals_council_status", "council_id", "status"),
        same_council_fk("theme_body_id", "bodies"),
        same_council_fk("body_id", "bodies"),
        same_council_fk("author_id", "participation_residents"),
        same_council_fk("report_id", "reports"),
        same_council_fk("motion_id", "motions"),
        same_council_fk("merged_into_id", "participation_proposals"),
    )


class Support(CouncilOwned, db.Model):
    """One account's support of a proposal (one each; withdrawn by deleting it)."""

    __tablename__ = "participation_supports"

    proposal_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "proposal_id", "resident_id"),
        same_council_fk("proposal_id", "participation_proposals", ondelete="CASCADE"),
        same_council_fk("resident_id", "participation_residents", ondelete="CASCADE"),
    )


class ProposalEvent(CouncilOwned, db.Model):
    """A step of a proposal's public timeline (what the plugin itself did: made, reached the threshold, put on a
    body's agenda, linked to a report or a motion, answered, declined, merged, hidden). What the council's
    bodies and the municipality did since is read from their own records when the page is shown."""

    __tablename__ = "participation_proposal_events"

    proposal_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(String(500))  # public: a body's name, a reason
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.Index("ix_participation_proposal_events_council_proposal", "council_id", "proposal_id"),
        same_council_fk("proposal_id", "participation_proposals", ondelete="CASCADE"),
    )


class JoinStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class JoinRequest(CouncilOwned, db.Model):
    """A resident asks to take part in a working group; its facilitator accepts (the resident becomes one of the
    group's non-member participants) or declines."""

    __tablename__ = "participation_join_requests"

    body_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    resident_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    status: Mapped[JoinStatus] = mapped_column(enum_of(JoinStatus, 16), default=JoinStatus.PENDING)
    participant_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # When the resident agreed to being contacted by the group (its meeting notices by e-mail), asking to join.
    consented_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    __council_table_args__ = (
        same_council_fk("body_id", "bodies", ondelete="CASCADE"),
        same_council_fk("resident_id", "participation_residents", ondelete="CASCADE"),
        same_council_fk("participant_id", "participants"),
    )


class DraftKind(enum.StrEnum):
    REPORT = "report"  # a working group's draft report
    BYLAWS = "bylaws"  # the executive board's draft of the by-laws


class DraftStatus(enum.StrEnum):
    OPEN = "open"  # taking comments until closes_on
    CLOSED = "closed"  # the period is over; the comments are being answered
    ADOPTED = "adopted"  # the final text is adopted


class Draft(CouncilOwned, db.Model):
    """A text published for public comment for a set period: its paragraphs are what comments point at."""

    __tablename__ = "participation_drafts"

    kind: Mapped[DraftKind] = mapped_column(enum_of(DraftKind, 16))
    title: Mapped[str] = mapped_column(String(300))
    body_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # who publishes and answers: the group, or the board
    report_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    status: Mapped[DraftStatus] = mapped_column(enum_of(DraftStatus, 16), default=DraftStatus.OPEN)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        same_council_fk("body_id", "bodies"),
        same_council_fk("report_id", "reports"),
    )


class DraftVersion(CouncilOwned, db.Model):
    """A version of a draft's text; comments name the version and the paragraph they were written on."""

    __tablename__ = "participation_draft_versions"

    draft_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "draft_id", "version"),
        same_council_fk("draft_id", "participation_drafts", ondelete="CASCADE"),
    )


class CommentAnswer(enum.StrEnum):
    TAKEN_IN = "taken_in"
    NOT_TAKEN = "not_taken"


class Comment(CouncilOwned, db.Model):
    __tablename__ = "participation_comments"

    draft_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer)
    paragraph: Mapped[int] = mapped_column(Integer)  # from 1, in that version
    author_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # None once the account is erased
    text: Mapped[str] = mapped_column(Text)
    answer: Mapped[CommentAnswer | None] = mapped_column(enum_of(CommentAnswer, 16))
    answer_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(String(500))
    hidden_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.Index("ix_participation_comments_council_draft", "council_id", "draft_id"),
        same_council_fk("draft_id", "participation_drafts", ondelete="CASCADE"),
        same_council_fk("author_id", "participation_residents"),
    )


class FlagReason(enum.StrEnum):
    ABUSE = "abuse"  # insults, hate
    PERSONAL_DATA = "personal_data"  # someone else's personal data
    SPAM = "spam"
    OFF_TOPIC = "off_topic"


class Flag(CouncilOwned, db.Model):
    """Someone flagged a proposal or a comment for the secretariat to look at."""

    __tablename__ = "participation_flags"

    proposal_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    comment_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    reason: Mapped[FlagReason] = mapped_column(enum_of(FlagReason, 16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    handled_at: Mapped[datetime | None]

    __council_table_args__ = (
        same_council_fk("proposal_id", "participation_proposals", ondelete="CASCADE"),
        same_council_fk("comment_id", "participation_comments", ondelete="CASCADE"),
    )

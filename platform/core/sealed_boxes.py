"""Sealed ballots: a secret vote or an election round that nobody can open alone and anyone can recount
("kapalı oy, açık tasnif", online).

The protocol is the ``opencount`` package (its own folder, ``verifier/``): this module keeps its messages and
checks each one with it as it arrives. A box goes through its stages:

- **keying**: its keyholders (the meeting's presiding board; or a body's chair and two members it names) make the
  key together on their own devices: each gives a transport key, then a dealing (commitments, a proof, a masked
  share for every keyholder), then a proof of the share it derived. The server never sees a share unmasked; a
  keyholder whose share from another does not check says so, and the box fails (call the vote again).
- **open**: seats vote from their phones with ballots sealed in the browser; every proof is checked before the
  answer "recorded"; a seat may vote again until the close and its last ballot counts. The seat of each ballot is
  kept only while the box is open, so that a seat's earlier ballot can be replaced.
- **counting**: at the close the board of ballots is frozen in the order of their trackers, its fingerprint and
  the option sums computed, and every ballot's seat forgotten. The keyholders' devices each send a partial
  decryption bound to that fingerprint.
- **counted**: with the threshold's decryptions the counts are known; with the hall's paper counts (signed by the
  threshold of keyholders) they are judged as any vote (:mod:`konsey.core.meetings`) or counted as an election
  round (:mod:`konsey.core.elections`). The published record (:func:`record_of`) is what ``python -m opencount``
  checks.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from flask_babel import gettext as _
from opencount import FORMAT
from opencount import box as protocol
from sqlalchemy import JSON, Integer, String, Uuid, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.errors import Conflict, Invalid, NotFound
from konsey.core.labels import label
from konsey.tenants.db import CouncilOwned, db, enum_of, lock, same_council_fk, utcnow

VOTE_OPTIONS = ["yes", "no", "abstain"]


class BoxStage(enum.StrEnum):
    KEYING = "keying"
    OPEN = "open"
    COUNTING = "counting"
    COUNTED = "counted"
    FAILED = "failed"


class SealedBox(CouncilOwned, db.Model):
    """The ballot box of one sealed vote or election round, with its key and, once counted, its record."""

    __tablename__ = "sealed_boxes"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    vote_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    election_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    options: Mapped[list] = mapped_column(JSON)  # "yes", "no", "abstain"; or the candidates' member ids
    least: Mapped[int] = mapped_column(Integer)
    most: Mapped[int] = mapped_column(Integer)
    threshold: Mapped[int] = mapped_column(Integer)
    stage: Mapped[BoxStage] = mapped_column(enum_of(BoxStage, 10), default=BoxStage.KEYING)
    failure: Mapped[str | None] = mapped_column(String(40))
    public_key: Mapped[str | None] = mapped_column(String(64))
    statement: Mapped[str | None] = mapped_column(String(64))  # opencount.box.statement, once every transport key is in
    board: Mapped[list | None] = mapped_column(JSON)  # the frozen ballots, in the order of their trackers
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    sums: Mapped[list | None] = mapped_column(JSON)
    paper: Mapped[dict | None] = mapped_column(JSON)  # {"counts": [...], "ballots": n, "signatures": [...]}
    result: Mapped[dict | None] = mapped_column(JSON)  # {"sealed", "paper", "total", "ballots"}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sealed_at: Mapped[datetime | None]
    counted_at: Mapped[datetime | None]

    __council_table_args__ = (
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
        same_council_fk("vote_id", "votes", ondelete="CASCADE"),
        same_council_fk("election_id", "elections", ondelete="CASCADE"),
    )


class BoxKeyholder(CouncilOwned, db.Model):
    """A keyholder of a box: what their device published (never a secret of it)."""

    __tablename__ = "sealed_box_keyholders"

    box_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    index: Mapped[int] = mapped_column(Integer)  # 1…n, the point at which their share is the polynomial's value
    transport_key: Mapped[str | None] = mapped_column(String(64))
    dealing: Mapped[dict | None] = mapped_column(JSON)  # commitments, proof, masked shares
    key_proof: Mapped[list | None] = mapped_column(JSON)
    decryption: Mapped[list | None] = mapped_column(JSON)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "box_id", "index"),
        db.UniqueConstraint("council_id", "box_id", "member_id"),
        same_council_fk("box_id", "sealed_boxes", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


class SealedBallot(CouncilOwned, db.Model):
    """A sealed ballot while the box is open: its seat is kept so that a second ballot of the seat replaces it,
    and forgotten at the close (the row is removed; the frozen board keeps the ballot alone)."""

    __tablename__ = "sealed_ballots"

    box_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    seat_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    ballot: Mapped[dict] = mapped_column(JSON)
    tracker: Mapped[str] = mapped_column(String(64))
    first_alpha: Mapped[str] = mapped_column(String(64))  # a copy of another seat's ballot repeats it

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "box_id", "seat_id"),
        db.UniqueConstraint("council_id", "box_id", "first_alpha"),
        same_council_fk("box_id", "sealed_boxes", ondelete="CASCADE"),
        same_council_fk("seat_id", "members", ondelete="CASCADE"),
    )


# --- calling a box ------------------------------------------------------------------------------------------------

def call(meeting_id: uuid.UUID, keyholders: list[uuid.UUID], threshold: int, options: list[str], least: int,
         most: int, *, vote_id: uuid.UUID | None = None, election_id: uuid.UUID | None = None) -> SealedBox:
    """A box for a vote or an election round, its keyholders in order (index 1, 2, …)."""
    if len(set(keyholders)) != len(keyholders) or len(keyholders) < 2:
        raise Invalid({"keyholders": [_("Name at least two different keyholders.")]})
    if not 2 <= threshold <= len(keyholders):
        raise Invalid({"keyholders": [_("%(k)d keyholders must open the count together, but only %(n)d hold "
                                        "the key.", k=threshold, n=len(keyholders))]})
    box = SealedBox(meeting_id=meeting_id, vote_id=vote_id, election_id=election_id, options=options, least=least,
                    most=most, threshold=threshold)
    db.session.add(box)
    db.session.flush()
    db.session.add_all(BoxKeyholder(box_id=box.id, member_id=member_id, index=index)
                       for index, member_id in enumerate(keyholders, 1))
    db.session.flush()
    record("sealed.called", box, {"keyholders": len(keyholders), "threshold": threshold, "options": len(options)})
    return box


def box_of_vote(vote_id: uuid.UUID) -> SealedBox | None:
    return db.session.scalar(select(SealedBox).where(SealedBox.vote_id == vote_id))


def box_named(box_id: uuid.UUID, meeting_id: uuid.UUID) -> SealedBox:
    box = db.session.scalar(select(SealedBox).where(SealedBox.id == box_id, SealedBox.meeting_id == meeting_id))
    if box is None:
        raise NotFound(_("Not found."))
    return box


def under_way(meeting_id: uuid.UUID) -> SealedBox | None:
    """The meeting's sealed box being keyed, open or counted now (the latest), for its live screens."""
    return db.session.scalar(select(SealedBox).where(
        SealedBox.meeting_id == meeting_id,
        SealedBox.stage.in_([BoxStage.KEYING, BoxStage.OPEN, BoxStage.COUNTING]))
        .order_by(SealedBox.created_at.desc()).limit(1))


def keyholders(box: SealedBox) -> list[BoxKeyholder]:
    return list(db.session.scalars(select(BoxKeyholder).where(BoxKeyholder.box_id == box.id)
                                   .order_by(BoxKeyholder.index)))


def keyholder_of(box: SealedBox, member_id: uuid.UUID) -> BoxKeyholder | None:
    return db.session.scalar(select(BoxKeyholder).where(BoxKeyholder.box_id == box.id,
                                                        BoxKeyholder.member_id == member_id))


def _require(box: SealedBox, stage: BoxStage) -> None:
    if box.stage is not stage:
        raise Conflict({"stage": [_("This step belongs to another stage of the sealed ballot (now: %(stage)s).",
                                    stage=label(f"box_{box.stage.value}"))]})


def _refused(field: str, refusal: protocol.Refused) -> Invalid:
    return Invalid({field: [_("This does not check (%(reason)s).", reason=refusal.reason)]})


# --- the key ------------------------------------------------------------------------------------------------------

def give_transport_key(box: SealedBox, holder: BoxKeyholder, key_hex: str) -> None:
    lock(box)
    _require(box, BoxStage.KEYING)
    try:
        protocol.point_of(key_hex)
    except protocol.Refused as refusal:
        raise _refused("transport_key", refusal) from None
    if holder.transport_key not in (None, key_hex):
        raise Conflict({"transport_key": [_("This keyholder's device has already given its key.")]})
    holder.transport_key = key_hex
    db.session.flush()
    holders = keyholders(box)
    if all(h.transport_key for h in holders):  # what the box is, from now on hashed into everything
        box.statement = protocol.statement(str(box.id), box.options, box.least, box.most, box.threshold,
                                           [h.transport_key for h in holders]).hex()
        db.session.flush()


def give_dealing(box: SealedBox, holder: BoxKeyholder, dealing: dict) -> None:
    lock(box)
    _require(box, BoxStage.KEYING)
    holders = keyholders(box)
    if any(h.transport_key is None for h in holders):
        raise Conflict({"dealing": [_("Not every keyholder's device has given its key yet.")]})
    if holder.dealing is not None:
        raise Conflict({"dealing": [_("This keyholder's device has already dealt its shares.")]})
    try:
        protocol.check_dealing(str(box.id), bytes.fromhex(box.statement), holder.index, box.threshold,
                               bytes.fromhex(holder.transport_key), dealing, [h.index for h in holders])
    except protocol.Refused as refusal:
        raise _refused("dealing", refusal) from None
    holder.dealing = {key: dealing[key] for key in ("commitments", "proof", "shares", "signature")}
    db.session.flush()


def _commitments(holders: list[BoxKeyholder]) -> dict[int, list[bytes]]:
    return {h.index: [bytes.fromhex(c) for c in h.dealing["commitments"]] for h in holders}


def confirm_share(box: SealedBox, holder: BoxKeyholder, proof) -> bool:
    """The keyholder's device derived its share and proves it; True once every keyholder has (the box opens)."""
    lock(box)
    _require(box, BoxStage.KEYING)
    holders = keyholders(box)
    if any(h.dealing is None for h in holders):
        raise Conflict({"key_proof": [_("Not every keyholder's device has dealt its shares yet.")]})
    commitments = _commitments(holders)
    try:
        protocol.check_key_proof(str(box.id), bytes.fromhex(box.statement), holder.index,
                                 protocol.verification_key(commitments, holder.index), proof)
    except protocol.Refused as refusal:
        raise _refused("key_proof", refusal) from None
    holder.key_proof = proof
    if all(h.key_proof is not None for h in holders):
        box.public_key = protocol.public_key(commitments).hex()
        box.stage = BoxStage.OPEN
        record("sealed.keyed", box, {"keyholders": len(holders)})
    db.session.flush()
    return box.stage is BoxStage.OPEN


def withdraw(box: SealedBox) -> None:
    """A box whose key was never made (still being made, or failed) is withdrawn: no ballot could be cast in it."""
    lock(box)
    if box.stage not in (BoxStage.KEYING, BoxStage.FAILED):
        raise Conflict({"stage": [_("Only a sealed ballot whose key was not made can be withdrawn.")]})
    record("sealed.withdrawn", box, {"stage": box.stage.value})
    db.session.delete(box)
    db.session.flush()


def complain(box: SealedBox, holder: BoxKeyholder, against: int) -> None:
    """A keyholder's device found the share another sent it false: the key cannot be made; the box fails."""
    lock(box)
    _require(box, BoxStage.KEYING)
    box.stage, box.failure = BoxStage.FAILED, f"bad_share_from_{int(against)}"
    record("sealed.failed", box, {"reason": box.failure, "by_index": holder.index})
    db.session.flush()


# --- ballots ------------------------------------------------------------------------------------------------------

def check_ballot(box: SealedBox, ballot) -> str:
    """Every proof of the ballot checked (before any lock: the costly part, done beside other ballots); its
    tracker, or Invalid."""
    if box.public_key is None:
        raise Conflict({"ballot": [_("The sealed ballot is not open yet: its keyholders are making the key.")]})
    try:
        protocol.read_ballot(str(box.id), bytes.fromhex(box.statement), bytes.fromhex(box.public_key), ballot,
                             len(box.options), box.least, box.most)
    except protocol.Refused as refusal:
        raise _refused("ballot", refusal) from None
    return protocol.tracker(ballot)


def drop(box: SealedBox, seat_id: uuid.UUID, ballot: dict, tracker: str) -> bool:
    """The seat's checked ballot into the open box, replacing its earlier one; True if it replaced one. The
    caller holds the box's vote (or the box) shared, and checked the box open under it."""
    first_alpha = ballot["choices"][0]["a"]  # checked: 64 lowercase hex digits, one spelling per point
    earlier = db.session.scalar(select(SealedBallot).where(SealedBallot.box_id == box.id,
                                                           SealedBallot.seat_id == seat_id))
    if earlier is not None and earlier.tracker == tracker:
        return True  # the same ballot sent again (a retry): already in
    if earlier is not None:
        db.session.delete(earlier)
        db.session.flush()
    db.session.add(SealedBallot(box_id=box.id, seat_id=seat_id, ballot=ballot, tracker=tracker,
                                first_alpha=first_alpha))
    try:
        db.session.flush()
    except IntegrityError:
        raise Conflict({"ballot": [_("This ballot is a copy of another seat's: seal your own.")]}) from None
    return earlier is not None


def tracker_of(ballot: dict) -> str:
    return protocol.tracker(ballot)


def voted_seats(box: SealedBox) -> int:
    return db.session.scalar(select(func.count(SealedBallot.id)).where(SealedBallot.box_id == box.id)) or 0


def seat_voted(box: SealedBox, seat_id: uuid.UUID) -> str | None:
    """The tracker of the seat's ballot in the open box, if it voted."""
    return db.session.scalar(select(SealedBallot.tracker).where(SealedBallot.box_id == box.id,
                                                                SealedBallot.seat_id == seat_id))


# --- the hall's paper ballots -------------------------------------------------------------------------------------

def sign_paper(box: SealedBox, holder: BoxKeyholder, counts: list[int], ballots: int, signature) -> int:
    """A keyholder signs the paper counts of the hall (entering them, or agreeing to those entered); other counts
    start the signatures over. How many have signed these counts."""
    _require(box, BoxStage.OPEN)
    if len(counts) != len(box.options) or any(n < 0 for n in counts) or ballots < 0:
        raise Invalid({"counts": [_("A count for each option, zero or more.")]})
    if sum(counts) > ballots * box.most or (box.least > 0 and sum(counts) < ballots * box.least):
        raise Invalid({"counts": [_("%(ballots)d paper ballots cannot carry %(votes)d votes.", ballots=ballots,
                                    votes=sum(counts))]})
    try:
        protocol.check_signature(str(box.id), counts, ballots, bytes.fromhex(holder.transport_key or "00" * 32),
                                 signature)
    except (protocol.Refused, ValueError):
        raise Invalid({"signature": [_("The signature does not check for these counts.")]}) from None
    paper = box.paper or {}
    if paper.get("counts") != counts or paper.get("ballots") != ballots:
        paper = {"counts": counts, "ballots": ballots, "signatures": []}
    signatures = [s for s in paper["signatures"] if s["index"] != holder.index]
    box.paper = {**paper, "signatures": [*signatures, {"index": holder.index, "proof": signature}]}
    db.session.flush()
    return len(box.paper["signatures"])


def paper_part(box: SealedBox) -> dict | None:
    """The paper counts as the fingerprint holds them (the signatures are checked apart)."""
    return None if box.paper is None else {"counts": box.paper["counts"], "ballots": box.paper["ballots"]}


def paper_signed(box: SealedBox) -> bool:
    return box.paper is None or len(box.paper["signatures"]) >= box.threshold


# --- the close and the count --------------------------------------------------------------------------------------

def seal_board(box: SealedBox) -> None:
    """The close: the ballots frozen in the order of their trackers, the board's fingerprint (over them, the box's
    statement and the hall's signed paper counts) and sums, and every ballot's seat forgotten. The box is locked
    first (a paper signature in flight is finished, or waits and finds the box closed); its vote, if it has one,
    after it, always in that order."""
    lock(box)
    _require(box, BoxStage.OPEN)
    if not paper_signed(box):
        raise Conflict({"paper": [_("The hall's paper counts wait for %(k)d keyholders' signatures.",
                                    k=box.threshold)]})
    rows = db.session.execute(select(SealedBallot.tracker, SealedBallot.ballot)
                              .where(SealedBallot.box_id == box.id)).all()
    ballots = [ballot for _tracker, ballot in sorted(rows, key=lambda row: row[0])]
    pairs = [[(bytes.fromhex(c["a"]), bytes.fromhex(c["b"])) for c in ballot["choices"]] for ballot in ballots]
    box.board = ballots
    box.fingerprint = protocol.fingerprint(bytes.fromhex(box.statement), box.public_key, ballots, paper_part(box))
    box.sums = [[a.hex(), b.hex()] for a, b in protocol.aggregate(pairs, len(box.options))]
    box.stage, box.sealed_at = BoxStage.COUNTING, utcnow()
    db.session.execute(delete(SealedBallot).where(SealedBallot.box_id == box.id)
                       .execution_options(synchronize_session=False))
    record("sealed.closed", box, {"ballots": len(ballots), "fingerprint": box.fingerprint})
    db.session.flush()


def give_decryption(box: SealedBox, holder: BoxKeyholder, shares) -> list[int] | None:
    """A keyholder's partial decryption, checked; the sealed counts once the threshold's have come."""
    lock(box)
    _require(box, BoxStage.COUNTING)
    holders = keyholders(box)
    commitments = _commitments(holders)
    sums = [(bytes.fromhex(a), bytes.fromhex(b)) for a, b in box.sums]
    try:
        protocol.check_decryption(str(box.id), box.fingerprint, holder.index,
                                  protocol.verification_key(commitments, holder.index), sums, shares)
    except protocol.Refused as refusal:
        raise _refused("shares", refusal) from None
    holder.decryption = shares
    db.session.flush()
    given = {h.index: [bytes.fromhex(s["d"]) for s in h.decryption] for h in holders if h.decryption is not None}
    if len(given) < box.threshold:
        return None
    sealed = protocol.counts(sums, given, box.threshold, len(box.board))
    paper = (box.paper or {}).get("counts") or [0] * len(box.options)
    box.result = {"sealed": sealed, "paper": paper, "total": [s + p for s, p in zip(sealed, paper, strict=True)],
                  "ballots": len(box.board), "paper_ballots": (box.paper or {}).get("ballots", 0)}
    box.stage, box.counted_at = BoxStage.COUNTED, utcnow()
    record("sealed.counted", box, {"ballots": len(box.board), "total": box.result["total"]})
    db.session.flush()
    return sealed


def record_of(box: SealedBox) -> dict:
    """The published record of a counted box: everything ``python -m opencount`` needs, and no seat, no time."""
    if box.stage is not BoxStage.COUNTED:
        raise Conflict({"stage": [_("The record is published once the count is done.")]})
    holders = keyholders(box)
    paper = None
    if box.paper is not None:
        paper = {"counts": box.paper["counts"], "ballots": box.paper["ballots"],
                 "signatures": box.paper["signatures"]}
    return {
        "format": FORMAT, "box": str(box.id), "options": box.options, "least": box.least, "most": box.most,
        "threshold": box.threshold,
        "keyholders": [{"index": h.index, "transport_key": h.transport_key, "dealing": h.dealing,
                        "key_proof": h.key_proof} for h in holders],
        "public_key": box.public_key, "ballots": box.board, "fingerprint": box.fingerprint, "sums": box.sums,
        "decryptions": [{"index": h.index, "shares": h.decryption} for h in holders if h.decryption is not None],
        "paper": paper,
        "result": {key: box.result[key] for key in ("sealed", "paper", "total", "ballots")},
    }


def public_state(box: SealedBox) -> dict:
    """What every device of the box may read: its stage, options and everything keyholders published."""
    holders = keyholders(box)
    return {
        "box": str(box.id), "stage": box.stage.value, "failure": box.failure, "options": box.options,
        "least": box.least, "most": box.most, "threshold": box.threshold, "public_key": box.public_key,
        "statement": box.statement,
        # The frozen board itself, once closed: a keyholder's phone computes the sums and the fingerprint it
        # decrypts from it, never from what the server says they are.
        "board": box.board if box.stage in (BoxStage.COUNTING, BoxStage.COUNTED) else None,
        "keyholders": [{"index": h.index, "transport_key": h.transport_key, "dealing": h.dealing,
                        "confirmed": h.key_proof is not None, "decrypted": h.decryption is not None}
                       for h in holders],
        "fingerprint": box.fingerprint, "paper": box.paper, "result": box.result,
    }


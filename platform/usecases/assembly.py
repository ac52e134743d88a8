"""A general assembly's procedure: its presiding board elected at the opening, its agenda adopted, and the
written floor motions (önerge) handed to the board, read, and voted or refused with a reason.

The desk's steps need ``meetings.run``; a member's own steps (handing in or signing a floor motion) are the
phone's, authorised by the pass's key, as the other phone steps (konsey.usecases.hybrid)."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import floor_motions, live, presiding, speakers
from konsey.core.errors import NotFound
from konsey.core.floor_motions import FloorMotion
from konsey.core.meetings import AgendaItem, Channel, Meeting, Vote, VoteKind, VotePurpose
from konsey.core.permissions import Permission
from konsey.core.votes import open_vote
from konsey.schemas.meetings import (
    BoardSlateSchema,
    DeskFloorMotionSchema,
    FloorMotionInSchema,
    FloorMotionSignatureSchema,
    FloorMotionVoteSchema,
    RefusalSchema,
)
from konsey.tenants.db import db
from konsey.usecases.base import command, loaded, query
from konsey.usecases.hybrid import pass_holder
from konsey.usecases.meetings import body_of, meeting
from konsey.usecases.members import member_named


def floor_motion_of(meeting_row: Meeting, floor_motion_id: uuid.UUID) -> FloorMotion:
    found = db.session.scalar(select(FloorMotion).where(FloorMotion.id == floor_motion_id,
                                                        FloorMotion.meeting_id == meeting_row.id))
    if found is None:
        raise NotFound(_("Not found."))
    return found


# --- the opening: the presiding board and the agenda ---------------------------------------------------------


@query(Permission.COUNCIL_VIEW)
def presiding_board(meeting_id: uuid.UUID) -> list:
    """The meeting's presiding board as elected: (seat, member) in order (chair, vice-chairs, clerks)."""
    return presiding.board(meeting(meeting_id))


@command(Permission.MEETINGS_RUN, takes=BoardSlateSchema)
def propose_board(meeting_id: uuid.UUID, data: dict) -> Vote:
    """A slate for the presiding board (its size from the by-laws), put at once to an open vote of those present
    — the hall and the phones; adopted, it is the board; rejected, another slate is proposed."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    vote = presiding.propose(meeting_row, body_of(meeting_row), data["chair"], data.get("vice_chairs", []),
                             data.get("clerks", []))
    meeting_row.current_item_id = vote.agenda_item_id
    live.changed(meeting_row.id)
    return vote


@command(Permission.MEETINGS_RUN)
def put_agenda_to_vote(meeting_id: uuid.UUID) -> Vote:
    """The proposed agenda put to the assembly (after the board, and after the floor motions to change it)."""
    meeting_row = meeting(meeting_id)
    vote = presiding.put_agenda_to_vote(meeting_row, body_of(meeting_row))
    meeting_row.current_item_id = vote.agenda_item_id
    live.changed(meeting_row.id)
    return vote


# --- floor motions -----------------------------------------------------------------------------------------------


@query(Permission.COUNCIL_VIEW)
def list_floor_motions(meeting_id: uuid.UUID) -> list[FloorMotion]:
    """The meeting's floor motions (önerge), in the order they were handed in."""
    return floor_motions.of_meeting(meeting(meeting_id))


@command(Permission.MEETINGS_RUN, takes=DeskFloorMotionSchema)
def hand_in_floor_motion(meeting_id: uuid.UUID, data: dict) -> FloorMotion:
    """The desk enters a written floor motion a member present handed in, in the hall."""
    meeting_row = meeting(meeting_id)
    data = loaded(data)
    motion = floor_motions.hand_in(meeting_row, member_named(data["member_id"]), data["kind"], data["text"],
                                   agenda_item_id=data.get("agenda_item_id"), channel=Channel.DESK)
    live.changed(meeting_row.id, urgent=False)
    return motion


@command(Permission.MEETINGS_RUN, takes=FloorMotionSignatureSchema)
def sign_floor_motion(meeting_id: uuid.UUID, floor_motion_id: uuid.UUID, data: dict) -> FloorMotion:
    """The desk enters a co-signer's signature (a member present in the hall)."""
    meeting_row = meeting(meeting_id)
    motion = floor_motion_of(meeting_row, floor_motion_id)
    data = loaded(data)
    floor_motions.co_sign(meeting_row, motion, member_named(data["member_id"]))
    return motion


@command(Permission.MEETINGS_RUN)
def read_floor_motion(meeting_id: uuid.UUID, floor_motion_id: uuid.UUID) -> FloorMotion:
    """The board reads the floor motion out: the projector and the phones show it."""
    meeting_row = meeting(meeting_id)
    motion = floor_motion_of(meeting_row, floor_motion_id)
    floor_motions.read_out(meeting_row, motion)
    live.changed(meeting_row.id)
    return motion


@command(Permission.MEETINGS_RUN, takes=RefusalSchema)
def refuse_floor_motion(meeting_id: uuid.UUID, floor_motion_id: uuid.UUID, data: dict) -> FloorMotion:
    """The board does not put the floor motion to the vote, and says why (the minutes keep it)."""
    meeting_row = meeting(meeting_id)
    motion = floor_motion_of(meeting_row, floor_motion_id)
    data = loaded(data)
    floor_motions.refuse(meeting_row, motion, data["reason"])
    live.changed(meeting_row.id)
    return motion


@command(Permission.MEETINGS_RUN, takes=FloorMotionVoteSchema)
def vote_on_floor_motion(meeting_id: uuid.UUID, floor_motion_id: uuid.UUID, data: dict) -> Vote:
    """The floor motion, read, goes to an open vote on the item it concerns (or the opening, for the agenda)."""
    meeting_row = meeting(meeting_id)
    motion = floor_motion_of(meeting_row, floor_motion_id)
    data = loaded(data)
    if motion.agenda_item_id:
        item = db.session.get(AgendaItem, motion.agenda_item_id)
    elif motion.kind is floor_motions.FloorMotionKind.AGENDA:
        item = presiding.opening_item(meeting_row)  # the agenda is the opening's business
    else:
        item = speakers.current_item(meeting_row) or presiding.opening_item(meeting_row)
    floor_motions.require_read(motion)
    vote = open_vote(meeting_row, body_of(meeting_row), item, data.get("kind", VoteKind.OPEN),
                     purpose=VotePurpose.FLOOR_MOTION)
    floor_motions.put_to_vote(meeting_row, motion, vote)
    meeting_row.current_item_id = item.id
    live.changed(meeting_row.id)
    return vote


@command(None, takes=FloorMotionInSchema)
def phone_hand_in_floor_motion(token: str, data: dict) -> FloorMotion:
    """A member hands in a written floor motion from their phone (their pass's key); one that amends a draft
    decision or would close a debate is about the item under discussion, unless it names another."""
    _meeting_pass, meeting_row, member = pass_holder(token)
    data = loaded(data)
    item_id = data.get("agenda_item_id")
    if item_id is None and data["kind"] in (floor_motions.FloorMotionKind.AMENDMENT,
                                            floor_motions.FloorMotionKind.CLOSE_DEBATE):
        current = speakers.current_item(meeting_row)
        item_id = current.id if current is not None else None
    motion = floor_motions.hand_in(meeting_row, member, data["kind"], data["text"], agenda_item_id=item_id,
                                   channel=Channel.PHONE)
    live.changed(meeting_row.id, urgent=False)
    return motion


@command(None)
def phone_sign_floor_motion(token: str, floor_motion_id: uuid.UUID) -> FloorMotion:
    """A member co-signs a floor motion from their phone."""
    _meeting_pass, meeting_row, member = pass_holder(token)
    motion = floor_motion_of(meeting_row, floor_motion_id)
    floor_motions.co_sign(meeting_row, motion, member)
    return motion

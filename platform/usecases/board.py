"""The presiding board runs its meeting from its members' phones, without being staff.

A member of a meeting's elected board (konsey.core.presiding) opens their personal link as everyone does; while the
meeting sits, their phone also offers the board's desk: take up an item, open a vote, enter the hall's counts, close
the vote, read out a floor motion, put it to the vote or refuse it with a reason. Each step is the desk's own use case
(konsey.usecases.meetings, .assembly, .hybrid), run as an actor that holds the desk's permissions for that one
meeting only (``Actor.board_of``: the meeting loader refuses any other). The role ends with the meeting: once it is
closed the board approves the minutes (konsey.usecases.meeting_record) and runs nothing more.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import gettext as _

from konsey.core import audit, presiding
from konsey.core.errors import Conflict, NotFound
from konsey.core.meetings import Meeting, MeetingStatus, Vote
from konsey.usecases import assembly, hybrid, meetings
from konsey.usecases.base import Actor, acting_as, command, query


@contextmanager
def _as_board(token: str) -> Iterator[Meeting]:
    """The pass's meeting, with its holder acting as its board (NotFound for anyone not on the board)."""
    _pass, meeting_row, member = hybrid.pass_holder(token)
    if not presiding.on_board(meeting_row, member.id):
        raise NotFound(_("Not found."))
    if meeting_row.status is MeetingStatus.CLOSED:
        raise Conflict({"meeting": [_("The meeting is closed: the board's role ended with it.")]})
    with acting_as(Actor(board_of=meeting_row.id)), audit.member_acting(member.id):  # the chain names who did it
        yield meeting_row


@query(None)
def board_desk(token: str) -> dict:
    """What the board's desk on a phone shows: the desk's own view of the meeting."""
    with _as_board(token) as meeting_row:
        return meetings.desk(meeting_row.id)


@command(None, takes=hybrid.take_up_item.takes)  # loaded by the desk's own use case, after the meeting
def board_take_up(token: str, data: dict):
    with _as_board(token) as meeting_row:
        return hybrid.take_up_item(meeting_row.id, data)


@command(None, takes=meetings.open_vote.takes)  # loaded by the desk's own use case, after the meeting
def board_open_vote(token: str, data: dict) -> Vote:
    with _as_board(token) as meeting_row:
        return meetings.open_vote(meeting_row.id, data)


@command(None, takes=meetings.record_counts.takes)  # loaded by the desk's own use case, after the meeting
def board_record_counts(token: str, vote_id: uuid.UUID, data: dict) -> Vote:
    with _as_board(token) as meeting_row:
        return meetings.record_counts(meeting_row.id, vote_id, data)


@command(None, takes=meetings.close_vote.takes)  # loaded by the desk's own use case, after the meeting
def board_close_vote(token: str, vote_id: uuid.UUID, data: dict) -> Vote:
    with _as_board(token) as meeting_row:
        return meetings.close_vote(meeting_row.id, vote_id, data)


@command(None)
def board_read_floor_motion(token: str, floor_motion_id: uuid.UUID):
    with _as_board(token) as meeting_row:
        return assembly.read_floor_motion(meeting_row.id, floor_motion_id)


@command(None, takes=assembly.refuse_floor_motion.takes)  # loaded by the desk's own use case, after the meeting
def board_refuse_floor_motion(token: str, floor_motion_id: uuid.UUID, data: dict):
    with _as_board(token) as meeting_row:
        return assembly.refuse_floor_motion(meeting_row.id, floor_motion_id, data)


@command(None, takes=assembly.vote_on_floor_motion.takes)  # loaded by the desk's own use case, after the meeting
def board_vote_on_floor_motion(token: str, floor_motion_id: uuid.UUID, data: dict) -> Vote:
    with _as_board(token) as meeting_row:
        return assembly.vote_on_floor_motion(meeting_row.id, floor_motion_id, data)

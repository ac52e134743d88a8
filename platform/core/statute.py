"""The statute, answering as the platform's own plugin: the quorum, the majority, the tie rule and the delivery
channels the law and the council's by-laws give, written as the hook implementations a council's plugin
overrides.

Each answers last (``trylast``): a council's plugin answers first, and a first-answer-wins hook stops there; the
channels a plugin adds replace those of the same name. Registered once, for every council (it is never enabled,
disabled or listed among a council's plugins); the core calls the hooks and always gets an answer. A council's
bespoke rule is written exactly as these are (``tests/example_plugin``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from konsey.core.bodies import Body, BodyKind
from konsey.core.delivery import DownloadChannel, EmailChannel, WebhookChannel
from konsey.core.hookspecs import hookimpl
from konsey.core.retention import CORE_KINDS
from konsey.core.rules import meetings as rules
from konsey.core.seats import full_membership as full_membership_of
from konsey.tenants.db import db

NAME = "statute"


@hookimpl(trylast=True)
def konsey_quorum_rule(body, full_membership: int, bylaws: dict, reconvened: bool, on: date) -> int:
    board_size = bylaws["executive_board_min_size"]
    if reconvened and bylaws["reconvene_rule"] == "floor_twice_executive_board":
        # "Twice the executive board" is twice the board as it is on the day, not its statutory minimum.
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        board_size = (full_membership_of(board, on, bylaws) if board is not None else 0) or board_size
    return rules.meeting_quorum(full_membership, bylaws, reconvened=reconvened, executive_board_size=board_size)


@hookimpl(trylast=True)
def konsey_votes_needed(body, tally, bylaws: dict) -> int:
    return rules.votes_needed(tally, bylaws)


@hookimpl(trylast=True)
def konsey_tie_rule(body, bylaws: dict) -> str:
    return bylaws["tie_rule"]


@hookimpl(trylast=True)
def konsey_delivery_channels() -> list:
    return [EmailChannel(), WebhookChannel(), DownloadChannel()]


@hookimpl(trylast=True)
def konsey_retention_kinds() -> list:
    return CORE_KINDS

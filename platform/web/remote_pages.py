"""The phone page of a person attending a meeting online, opened from their personal link.

The link's token is the key (konsey.core.passes); the council is the one the address names. A form sent by the
page's script (``X-Konsey-Fetch``) is answered in JSON with a sentence to show; without script, the page is
shown again with the sentence."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.meetings import Choice
from konsey.schemas.meetings import PhoneBallotSchema, PhoneFloorSchema
from konsey.usecases import hybrid
from konsey.usecases.base import performs
from konsey.web.adapters import answer_script_or_page, conditional_state, filled, live_stream_url, load

bp = Blueprint("remote_pages", __name__, url_prefix="/<council_slug>/remote")


@bp.get("/<token>")
@performs(hybrid.phone)
def phone(token):
    seen = hybrid.phone(token)
    return render_template("meetings/phone.html", phone=seen, token=token, choices=list(Choice),
                           online_counts=seen.online_counts,
                           live_stream=live_stream_url(seen.stream_key), heartbeat_seconds=seen.heartbeat_seconds,
                           tried=request.args.get("tried") == "1")


@bp.get("/<token>/live.json")
@performs(hybrid.phone_live_state)
def live_json(token):
    """The live state for a phone that polls (no live service): 304 while nothing changed."""
    return conditional_state(hybrid.phone_live_state(token))


def _answer(token, action, done: str, *, failed_args: dict | None = None):
    """Run ``action``; answer the phone's script in JSON, or go back to the page with the sentence."""
    return answer_script_or_page(action, done, url_for("remote_pages.phone", token=token),
                                 url_for("remote_pages.phone", token=token, **(failed_args or {})))


@bp.post("/<token>/join")
@performs(hybrid.phone_join)
def join(token):
    return _answer(token, lambda: hybrid.phone_join(token), _("You are in the meeting, online."),
                   failed_args={"tried": "1"})


@bp.post("/<token>/here")
@performs(hybrid.phone_sign_of_life)
def here(token):
    in_meeting = hybrid.phone_sign_of_life(token)
    return jsonify(in_meeting=in_meeting)


@bp.post("/<token>/leave")
@performs(hybrid.phone_leave)
def leave(token):
    return _answer(token, lambda: hybrid.phone_leave(token), _("You have left the meeting."))


@bp.post("/<token>/votes/<uuid:vote_id>")
@performs(hybrid.phone_ballot)
def ballot(token, vote_id):
    return _answer(token, lambda: hybrid.phone_ballot(token, vote_id, load(PhoneBallotSchema,
                                                                          filled(request.form, "choice"))),
                   _("Your vote is recorded."))


@bp.post("/<token>/floor")
@performs(hybrid.phone_ask_floor)
def ask_floor(token):
    return _answer(token, lambda: hybrid.phone_ask_floor(token, load(PhoneFloorSchema,
                                                                     filled(request.form, "stance"))),
                   _("You are on the speakers' list."))


@bp.post("/<token>/floor/withdraw")
@performs(hybrid.phone_withdraw_floor)
def withdraw_floor(token):
    return _answer(token, lambda: hybrid.phone_withdraw_floor(token), _("Your request for the floor is withdrawn."))

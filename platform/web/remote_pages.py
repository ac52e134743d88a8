"""The phone page of a person attending a meeting online, opened from their personal link.

The link's token is the key (konsey.core.passes); the council is the one the address names. Opening the link
exchanges it for a cookie bound to that meeting's pages (``/<council>/remote/m/<meeting>``) and redirects there:
from then on the address bar, the browser's history and the server's access logs hold the meeting's id, never
the key. Every answer carries ``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer``: the page names
its holder, and no cache, shared computer or linked site keeps it.

A form sent by the page's script (``X-Konsey-Fetch``) is answered in JSON with a sentence to show; without
script, the page is shown again with the sentence."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from konsey.core.errors import ConfirmationNeeded, DomainError, NotFound
from konsey.core.floor_motions import FloorMotionKind
from konsey.core.labels import label
from konsey.core.meetings import Choice, VoteKind
from konsey.pluginkit import file_download
from konsey.pluginkit.pages import answer_script_or_page, field_errors, filled, flattened, posted
from konsey.usecases import assembly, board, hybrid, meeting_record, meetings, phone_confirmation, sealed
from konsey.usecases.base import performs
from konsey.web.adapters import conditional_state, known_version, live_stream_url, webauthn_site

bp = Blueprint("remote_pages", __name__, url_prefix="/<council_slug>/remote")

# The exchanged link lives as long as a meeting day; opening the link again renews it.
PASS_COOKIE_AGE = timedelta(hours=24)
_CHALLENGE = "phone_passkey_challenge"  # the WebAuthn challenge a phone's passkey is to sign, until it answers


def pass_cookie_name(meeting_id: uuid.UUID) -> str:
    return f"konsey_pass_{meeting_id.hex}"


def confirmed_cookie_name(meeting_id: uuid.UUID) -> str:
    return f"konsey_confirmed_{meeting_id.hex}"


def _token(meeting_id: uuid.UUID) -> str:
    """The key this phone opens the meeting's pages with: a confirmed phone's (where the by-laws ask for it), else
    the personal link's, from their cookies; without one, this page is not found (the person opens their link
    again)."""
    token = held_key(meeting_id)
    if not token:
        raise NotFound(_("Not found."))
    return token


@bp.errorhandler(ConfirmationNeeded)
def _confirm_first(error: ConfirmationNeeded):
    """A phone that has not confirmed its holder where the by-laws ask for it: its script is told why (403), a page
    or a form without script goes to the confirmation."""
    if request.headers.get("X-Konsey-Fetch"):
        return jsonify(message=error.message, errors=error.errors), error.status
    return redirect(url_for("remote_pages.confirm", meeting_id=request.view_args["meeting_id"]), code=303)


def held_key(meeting_id: uuid.UUID) -> str | None:
    """The key this phone opens the meeting's pages with: a confirmed phone's, else the personal link's (the rate
    limits count by it too)."""
    return request.cookies.get(confirmed_cookie_name(meeting_id)) or request.cookies.get(pass_cookie_name(meeting_id))


@bp.after_request
def _keep_nothing(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/<token>")
@performs(hybrid.open_link)
def open_link(token):
    """The personal link from the e-mail: its key goes into a cookie for this meeting's pages, and the address
    loses it."""
    meeting_id = hybrid.open_link(token)
    answer = _keyed(redirect(url_for("remote_pages.phone", meeting_id=meeting_id), code=303), meeting_id, token)
    confirmed = request.cookies.get(confirmed_cookie_name(meeting_id))
    if confirmed and not hybrid.same_pass(confirmed, token):
        # Another person's link opened on this phone: the confirmation was theirs, not this one's.
        answer.delete_cookie(confirmed_cookie_name(meeting_id), path=_remote_root())
    return answer


def _remote_root() -> str:
    """The council's phone pages, link included: a confirmation is kept across a link opened again."""
    return url_for("remote_pages.open_link", token="-")[:-1]  # noqa: S106 - a placeholder cut off, no secret


def _confirmed(answer, meeting_id: uuid.UUID, token: str):
    """The answer, keeping the confirmed phone's key for the meeting day (konsey.core.passes.CONFIRMED_FOR)."""
    answer.set_cookie(confirmed_cookie_name(meeting_id), token, max_age=int(PASS_COOKIE_AGE.total_seconds()),
                      path=_remote_root(), secure=request.is_secure, httponly=True, samesite="Lax")
    return answer


def _keyed(answer, meeting_id: uuid.UUID, token: str):
    """The answer, setting the key this meeting's pages are opened with (the link's, or a confirmed phone's)."""
    answer.set_cookie(pass_cookie_name(meeting_id), token, max_age=int(PASS_COOKIE_AGE.total_seconds()),
                      path=url_for("remote_pages.phone", meeting_id=meeting_id), secure=request.is_secure,
                      httponly=True, samesite="Lax")
    return answer


@bp.get("/m/<uuid:meeting_id>")
@performs(hybrid.phone)
def phone(meeting_id):
    seen = hybrid.phone(_token(meeting_id))
    return render_template("meetings/phone.html", phone=seen, choices=list(Choice),
                           floor_motion_kinds=list(FloorMotionKind),
                           online_counts=seen.online_counts,
                           live_stream=live_stream_url(seen.stream_key), heartbeat_seconds=seen.heartbeat_seconds,
                           tried=request.args.get("tried") == "1")


@bp.get("/m/<uuid:meeting_id>/live.json")
@performs(hybrid.phone_live_view)
def live_json(meeting_id):
    """The live state for a phone that polls (no live service): 304 while nothing changed."""
    return conditional_state(hybrid.phone_live_view(_token(meeting_id), known_version()))


# --- confirming the holder, where the by-laws ask for it (konsey.usecases.phone_confirmation) ----------------------


@bp.route("/m/<uuid:meeting_id>/confirm", methods=["GET", "POST"])
@performs(phone_confirmation.confirm_with_code)
def confirm(meeting_id):
    """Confirm it is you: the code sent by SMS to your number on file, or your passkey."""
    token, errors, status = _token(meeting_id), {}, 200
    if request.method == "POST":
        try:
            confirmed = phone_confirmation.confirm_with_code(token, posted("code"))
        except NotFound:
            raise
        except DomainError as error:
            errors, status = field_errors(error), error.status
        else:
            return _confirmed(redirect(url_for("remote_pages.phone", meeting_id=meeting_id), code=303), meeting_id,
                              confirmed)
    seen = phone_confirmation.confirmation(token)
    if not seen.needed:
        return redirect(url_for("remote_pages.phone", meeting_id=meeting_id), code=303)
    return render_template("meetings/phone_confirm.html", seen=seen, errors=errors,
                           sent=request.args.get("sent")), status


@bp.post("/m/<uuid:meeting_id>/confirm/code")
@performs(phone_confirmation.send_code)
def send_code(meeting_id):
    token = _token(meeting_id)
    try:
        end = phone_confirmation.send_code(token)
    except NotFound:
        raise
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("remote_pages.confirm", meeting_id=meeting_id), code=303)
    return redirect(url_for("remote_pages.confirm", meeting_id=meeting_id, sent=end), code=303)


def _challenge_given(meeting_id: uuid.UUID, purpose: str, options: str, challenge: bytes) -> Response:
    """The browser's WebAuthn options; the challenge its answer must sign is kept for this meeting and purpose."""
    session[f"{_CHALLENGE}:{purpose}:{meeting_id}"] = base64.b64encode(challenge).decode()
    return Response(options, mimetype="application/json")


def _challenge_taken(meeting_id: uuid.UUID, purpose: str) -> bytes | None:
    """The challenge kept for this meeting and purpose, taken: one answer per challenge given."""
    kept = session.pop(f"{_CHALLENGE}:{purpose}:{meeting_id}", None)
    return base64.b64decode(kept) if kept else None


def _passkey_answer(meeting_id: uuid.UUID, action):
    """Run ``action(token, credential, challenge, rp_id, origin)``; a refusal as the script reads it."""
    rp_id, origin = webauthn_site()
    try:
        return action(_token(meeting_id), request.get_json(silent=True) or {}, rp_id, origin), None
    except NotFound:
        raise
    except DomainError as error:
        return None, (jsonify(errors=field_errors(error)), error.status)


@bp.post("/m/<uuid:meeting_id>/confirm/passkey/options")
@performs(phone_confirmation.passkey_options)
def confirm_passkey_options(meeting_id):
    return _challenge_given(meeting_id, "confirm", *phone_confirmation.passkey_options(_token(meeting_id),
                                                                                      webauthn_site()[0]))


@bp.post("/m/<uuid:meeting_id>/confirm/passkey")
@performs(phone_confirmation.confirm_with_passkey)
def confirm_passkey(meeting_id):
    challenge = _challenge_taken(meeting_id, "confirm")
    confirmed, refused = _passkey_answer(meeting_id, lambda token, credential, rp_id, origin: (
        phone_confirmation.confirm_with_passkey(token, credential, challenge, rp_id, origin)))
    if refused:
        return refused
    return _confirmed(jsonify(next=url_for("remote_pages.phone", meeting_id=meeting_id)), meeting_id, confirmed)


@bp.post("/m/<uuid:meeting_id>/passkeys/options")
@performs(phone_confirmation.new_passkey_options)
def passkey_options(meeting_id):
    return _challenge_given(meeting_id, "add", *phone_confirmation.new_passkey_options(_token(meeting_id),
                                                                                      webauthn_site()[0]))


@bp.post("/m/<uuid:meeting_id>/passkeys")
@performs(phone_confirmation.add_passkey)
def add_passkey(meeting_id):
    challenge = _challenge_taken(meeting_id, "add")
    _done, refused = _passkey_answer(meeting_id, lambda token, body, rp_id, origin: (
        phone_confirmation.add_passkey(token, body, challenge, rp_id, origin)))
    if refused:
        return refused
    flash(_("The passkey is added: next time this phone confirms it is you without a code."), "success")
    return jsonify(recovery_codes=[], next=url_for("remote_pages.phone", meeting_id=meeting_id))


def _answer(meeting_id, action, done, *, failed_args: dict | None = None):
    """Run ``action``; answer the phone's script in JSON, or go back to the page with the sentence."""
    return answer_script_or_page(action, done, url_for("remote_pages.phone", meeting_id=meeting_id),
                                 url_for("remote_pages.phone", meeting_id=meeting_id, **(failed_args or {})))


@bp.post("/m/<uuid:meeting_id>/join")
@performs(hybrid.phone_join)
def join(meeting_id):
    token = _token(meeting_id)
    return _answer(meeting_id, lambda: hybrid.phone_join(token), _("You are in the meeting, online."),
                   failed_args={"tried": "1"})


@bp.post("/m/<uuid:meeting_id>/here")
@performs(hybrid.phone_sign_of_life)
def here(meeting_id):
    in_meeting = hybrid.phone_sign_of_life(_token(meeting_id))
    return jsonify(in_meeting=in_meeting)


@bp.post("/m/<uuid:meeting_id>/leave")
@performs(hybrid.phone_leave)
def leave(meeting_id):
    token = _token(meeting_id)
    return _answer(meeting_id, lambda: hybrid.phone_leave(token), _("You have left the meeting."))


@bp.post("/m/<uuid:meeting_id>/votes/<uuid:vote_id>")
@performs(hybrid.phone_ballot)
def ballot(meeting_id, vote_id):
    token = _token(meeting_id)
    # Said now, before the ballot: the request's language is settled while its transaction is sound (a second
    # ballot of the seat fails its insert, and the refusal's sentence must not need the database).
    recorded = _("Your vote is recorded.")

    data = filled(request.form, "choice", "key", "again")  # the key and "again": a retry of a lost answer

    # A vote by name repeats the choice, so the person sees what was recorded; a secret one does not say it.
    return _answer(meeting_id, lambda: hybrid.phone_ballot(token, vote_id, data),
                   lambda kind: recorded if kind is VoteKind.SECRET
                   else _("Your vote is recorded: %(choice)s.", choice=label(Choice(data["choice"]))))


@bp.post("/m/<uuid:meeting_id>/floor")
@performs(hybrid.phone_ask_floor)
def ask_floor(meeting_id):
    token = _token(meeting_id)
    return _answer(meeting_id, lambda: hybrid.phone_ask_floor(token, filled(request.form, "stance")),
                   _("You are on the speakers' list."))


@bp.post("/m/<uuid:meeting_id>/floor/withdraw")
@performs(hybrid.phone_withdraw_floor)
def withdraw_floor(meeting_id):
    token = _token(meeting_id)
    return _answer(meeting_id, lambda: hybrid.phone_withdraw_floor(token),
                   _("Your request for the floor is withdrawn."))


@bp.post("/m/<uuid:meeting_id>/floor-motions")
@performs(assembly.phone_hand_in_floor_motion)
def hand_in_floor_motion(meeting_id):
    token = _token(meeting_id)
    return _answer(meeting_id, lambda: assembly.phone_hand_in_floor_motion(
        token, filled(request.form, "kind", "text", "agenda_item_id")),
        lambda motion: _("Your floor motion is handed to the board as no. %(n)d.", n=motion.number))


@bp.post("/m/<uuid:meeting_id>/floor-motions/<uuid:floor_motion_id>/sign")
@performs(assembly.phone_sign_floor_motion)
def sign_floor_motion(meeting_id, floor_motion_id):
    token = _token(meeting_id)
    return _answer(meeting_id, lambda: assembly.phone_sign_floor_motion(token, floor_motion_id),
                   _("Your signature is added."))


@bp.get("/m/<uuid:meeting_id>/minutes/<int:number>.pdf")
@performs(meeting_record.phone_minutes_pdf)
def minutes_version(meeting_id, number):
    """A version of the minutes for a member of the presiding board to read before approving it."""
    meeting, version = meeting_record.phone_minutes_pdf(_token(meeting_id), number)
    return file_download(version.document, "application/pdf", meetings.document_name(meeting, "tutanak", number), inline=True)


@bp.post("/m/<uuid:meeting_id>/minutes/<int:number>/approve")
@performs(meeting_record.phone_approve_minutes)
def approve_minutes(meeting_id, number):
    token = _token(meeting_id)
    return _answer(meeting_id, lambda: meeting_record.phone_approve_minutes(
        token, number, filled(request.form, "code")),
        lambda frozen: _("You approved the minutes; the whole board has now, and they are frozen.") if frozen
        else _("You approved the minutes."))


# --- the presiding board's desk on its members' phones ---------------------------------------------------------


@bp.get("/m/<uuid:meeting_id>/board")
@performs(board.board_desk)
def board_desk(meeting_id):
    """The board's desk: the meeting's items and votes, the hall's counts, the floor motions (a board member's
    phone while the meeting sits)."""
    shown = board.board_desk(_token(meeting_id))
    return render_template("meetings/board_phone.html", vote_kinds=list(VoteKind), **shown)


def _board_answer(meeting_id, action, done):
    """Run the board's step; back to the board's desk with what happened (JSON for the page's script)."""
    back = url_for("remote_pages.board_desk", meeting_id=meeting_id)
    return answer_script_or_page(action, done, back, back)


@bp.post("/m/<uuid:meeting_id>/board/take-up")
@performs(board.board_take_up)
def board_take_up(meeting_id):
    token = _token(meeting_id)
    return _board_answer(meeting_id, lambda: board.board_take_up(
        token, filled(request.form, "agenda_item_id")), _("The item is taken up."))


@bp.post("/m/<uuid:meeting_id>/board/votes")
@performs(board.board_open_vote)
def board_open_vote(meeting_id):
    token = _token(meeting_id)
    return _board_answer(meeting_id, lambda: board.board_open_vote(
        token, filled(request.form, "agenda_item_id", "kind", "sealed")), _("The vote is open."))


@bp.post("/m/<uuid:meeting_id>/board/votes/<uuid:vote_id>/counts")
@performs(board.board_record_counts)
def board_record_counts(meeting_id, vote_id):
    token = _token(meeting_id)
    return _board_answer(meeting_id, lambda: board.board_record_counts(
        token, vote_id, filled(request.form, "yes", "no", "abstain")),
        _("The hall's counts are recorded."))


@bp.post("/m/<uuid:meeting_id>/board/votes/<uuid:vote_id>/close")
@performs(board.board_close_vote)
def board_close_vote(meeting_id, vote_id):
    token = _token(meeting_id)
    return _board_answer(meeting_id, lambda: board.board_close_vote(
        token, vote_id, filled(request.form, "confirm", "chair_vote")), _("The vote is closed."))


@bp.post("/m/<uuid:meeting_id>/board/floor-motions/<uuid:floor_motion_id>/read")
@performs(board.board_read_floor_motion)
def board_read_floor_motion(meeting_id, floor_motion_id):
    token = _token(meeting_id)
    return _board_answer(meeting_id, lambda: board.board_read_floor_motion(token, floor_motion_id),
                         _("The floor motion is read out: the projector and the phones show it."))


@bp.post("/m/<uuid:meeting_id>/board/floor-motions/<uuid:floor_motion_id>/refusal")
@performs(board.board_refuse_floor_motion)
def board_refuse_floor_motion(meeting_id, floor_motion_id):
    token = _token(meeting_id)
    return _board_answer(meeting_id, lambda: board.board_refuse_floor_motion(
        token, floor_motion_id, filled(request.form, "reason")),
        _("The floor motion is refused; the minutes keep the reason."))


@bp.post("/m/<uuid:meeting_id>/board/floor-motions/<uuid:floor_motion_id>/vote")
@performs(board.board_vote_on_floor_motion)
def board_vote_on_floor_motion(meeting_id, floor_motion_id):
    token = _token(meeting_id)
    return _board_answer(meeting_id, lambda: board.board_vote_on_floor_motion(
        token, floor_motion_id, filled(request.form, "kind")),
        _("The floor motion is put to the vote."))


# --- sealed ballots: the keyholders' devices and the voters' phones --------------------------------------------


@bp.get("/m/<uuid:meeting_id>/sealed/<uuid:box_id>")
@performs(sealed.sealed_page)
def sealed_ballot_page(meeting_id, box_id):
    """A sealed vote or election round on a member's phone: the ballot sealed in the browser, and for a keyholder
    the key's steps, the paper counts to sign and the count to open (the page's script does the arithmetic)."""
    shown = sealed.sealed_page(_token(meeting_id), box_id)
    return render_template("meetings/sealed.html", page=shown)


@bp.get("/m/<uuid:meeting_id>/sealed/<uuid:box_id>/state.json")
@performs(sealed.sealed_state)
def sealed_ballot_state(meeting_id, box_id):
    return jsonify(sealed.sealed_state(_token(meeting_id), box_id))


def _sealed_answer(action):
    """A sealed ballot's step for the page's script: JSON, a refusal with its sentence and fields."""
    try:
        return jsonify(action())
    except NotFound:
        raise
    except DomainError as error:
        return jsonify(message=" ".join(flattened(error)), errors=error.errors), error.status


@bp.post("/m/<uuid:meeting_id>/sealed/<uuid:box_id>/ballot")
@performs(sealed.sealed_ballot)
def sealed_ballot(meeting_id, box_id):
    token = _token(meeting_id)
    recorded = _("Your sealed ballot is recorded. Keep its tracker to find it on the published board.")
    return _sealed_answer(lambda: {"tracker": sealed.sealed_ballot(
        token, box_id, _json_object()), "message": recorded})


@bp.post("/m/<uuid:meeting_id>/sealed/<uuid:box_id>/<any(transport, dealing, confirm, complaint, decryption, paper):step>")
@performs(sealed.keyholder_step)
def sealed_keyholder_step(meeting_id, box_id, step):
    token = _token(meeting_id)
    return _sealed_answer(lambda: sealed.keyholder_step(
        token, box_id, step, _json_object()))


def _json_object() -> dict:
    """The request's JSON object as sent (the use case loads it); anything else is an empty one."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}

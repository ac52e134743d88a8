"""The meeting desk: call a meeting, check people in, watch the quorum, run votes, print the minutes.

Each route is an adapter over :mod:`konsey.usecases.meetings`, with the API's schemas for its input."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.errors import DomainError, Invalid, NotFound
from konsey.core.meetings import Choice, MeetingKind, VoteKind
from konsey.pluginkit import file_download
from konsey.pluginkit.pages import (
    answer_script_or_page,
    attempt,
    filled,
    flash_errors,
    flattened,
    uuid_or_none,
)
from konsey.usecases import assembly, hybrid, meeting_record, meetings
from konsey.usecases.base import performs
from konsey.web.adapters import conditional_state, int_arg, known_version, live_stream_url, page_number

bp = Blueprint("meeting_pages", __name__, url_prefix="/<council_slug>/meetings")


def _index(form=None, errors=None, status=200):
    return render_template("meetings/index.html", meetings=meetings.list_meetings(page_number()),
                           bodies=meetings.bodies_by_id(),
                           kinds=list(MeetingKind), form=form or {}, errors=errors or {}), status


@bp.get("/")
@performs(meetings.list_meetings)
def index():
    return _index()


def _when(form) -> str | None:
    """The date and time fields as one ISO 8601 instant in the council's time zone (None if unreadable)."""
    try:
        day = datetime.strptime(form.get("date", ""), "%Y-%m-%d").date()
        at = datetime.strptime(form.get("time", "") or "18:00", "%H:%M").time()
    except ValueError:
        return None
    return datetime.combine(day, at, tzinfo=ZoneInfo(g.council.timezone)).isoformat()


@bp.post("/")
@performs(meetings.call_meeting)
def call():
    form = request.form
    raw = filled(form, "body_id", "kind", "title", "location")
    raw["agenda"] = [line.strip() for line in form.get("agenda", "").splitlines() if line.strip()]
    raw["reconvened"] = form.get("reconvened") == "y"
    when = _when(form)
    try:
        if when is None:
            raise Invalid({"scheduled_at": [_("Give the date and time of the meeting.")]})
        raw["scheduled_at"] = when
        meeting = meetings.call_meeting(raw)
    except DomainError as error:
        flash_errors(error)
        return _index(form=form, errors=error.errors, status=error.status)
    return redirect(url_for("meeting_pages.desk", meeting_id=meeting.id))


@bp.get("/<uuid:meeting_id>")
@performs(meetings.desk)
def desk(meeting_id):
    q, offset = _roster_query()
    shown = meetings.desk(meeting_id, q=q, offset=offset)
    record = meeting_record.minutes_record(meeting_id) if shown["meeting"].status.value == "closed" else None
    return render_template("meetings/desk.html", vote_kinds=list(VoteKind), choices=list(Choice),
                           live_stream=live_stream_url(shown["stream_key"]), record=record, **shown)


@bp.post("/<uuid:meeting_id>/reschedule")
@performs(meetings.reschedule_meeting)
def reschedule(meeting_id):
    """The desk's "move the meeting": its date and time (the council's zone) and place."""

    def move():
        when = _when(request.form)  # left out when not given: the use case's schema names it, after the meeting
        data = {"location": request.form.get("location", "").strip() or None}
        return meetings.reschedule_meeting(meeting_id, {**data, "scheduled_at": when} if when else data)

    attempt(move, _("The meeting was moved; its invitees are being told."))
    return _back(meeting_id, "change")


@bp.post("/<uuid:meeting_id>/cancellation")
@performs(meetings.cancel_meeting)
def cancel(meeting_id):
    return _form_run(meeting_id, ("reason",), lambda data: meetings.cancel_meeting(meeting_id, data),
                     "change", success=_("The meeting was cancelled; its invitees are being told."))


@bp.get("/<uuid:meeting_id>/roster")
@performs(meetings.roster_page)
def roster(meeting_id):
    """The checklist's lines for a search or the next page (htmx swaps them into the desk)."""
    q, offset = _roster_query()
    return render_template("meetings/_roster_page.html", **meetings.roster_page(meeting_id, q=q, offset=offset))


def _roster_query() -> tuple[str | None, int]:
    q = (request.args.get("q") or "").strip()[:100] or None
    return q, int_arg("offset", 0, 0, 1_000_000)


@bp.get("/<uuid:meeting_id>/projector")
@performs(meetings.projector)
def projector(meeting_id):
    """The room's screen: large quorum, speaker, result, no controls; it keeps itself current."""
    shown = meetings.projector(meeting_id)
    return render_template("meetings/projector.html", live_stream=live_stream_url(shown["stream_key"]), **shown)


@bp.get("/<uuid:meeting_id>/live.json")
@performs(hybrid.live_view)
def live_json(meeting_id):
    """The live state for a screen that polls (no live service): 304 while nothing changed."""
    return conditional_state(hybrid.live_view(meeting_id, known_version()))


@bp.get("/<uuid:meeting_id>/quorum")
@performs(meetings.show_meeting)
def quorum(meeting_id):
    detail = meetings.show_meeting(meeting_id)
    return render_template("meetings/_quorum.html", meeting=detail.meeting, quorum=detail.quorum)


@bp.get("/<uuid:meeting_id>/minutes.pdf")
@performs(meetings.minutes_pdf)
def minutes(meeting_id):
    meeting, pdf = meetings.minutes_pdf(meeting_id)
    return file_download(pdf, "application/pdf", meetings.document_name(meeting, "tutanak"), inline=True)


@bp.get("/<uuid:meeting_id>/minutes/<int:number>.pdf")
@performs(meeting_record.minutes_version_pdf)
def minutes_version(meeting_id, number):
    meeting, version = meeting_record.minutes_version_pdf(meeting_id, number)
    return file_download(version.document, "application/pdf", meetings.document_name(meeting, "tutanak", number), inline=True)


@bp.post("/<uuid:meeting_id>/minutes/draw-up")
@performs(meeting_record.draw_up_minutes)
def draw_up_minutes(meeting_id):
    drawn_up = _("The minutes are drawn up: each member of the presiding board approves them from their phone.")
    return _form_run(meeting_id, ("reason",),
                     lambda data: meeting_record.draw_up_minutes(meeting_id, data), "record", success=drawn_up)


@bp.post("/<uuid:meeting_id>/minutes/<int:number>/approvals")
@performs(meeting_record.approve_minutes_at_desk)
def approve_minutes_at_desk(meeting_id, number):
    return _form_run(meeting_id, ("member_id", "code"),
                     lambda data: meeting_record.approve_minutes_at_desk(meeting_id, number, data), "record",
                     success=_("The approval is recorded."))


@bp.post("/<uuid:meeting_id>/minutes/<int:number>/withdrawal")
@performs(meeting_record.withdraw_minutes)
def withdraw_minutes(meeting_id, number):
    return _run(meeting_id, lambda: meeting_record.withdraw_minutes(meeting_id, number), "record",
                _("The version is withdrawn: draw up the minutes again."))


@bp.get("/<uuid:meeting_id>/archive.zip")
@performs(meeting_record.meeting_archive)
def archive(meeting_id):
    found = meeting_record.meeting_archive(meeting_id)
    return file_download(found.content, "application/zip", found.filename)


@bp.get("/<uuid:meeting_id>/attendance-list.pdf")
@performs(meetings.attendance_list_pdf)
def attendance_list(meeting_id):
    meeting, pdf = meetings.attendance_list_pdf(meeting_id)
    return file_download(pdf, "application/pdf", meetings.document_name(meeting, "hazirun-cetveli"), inline=True)


def _back(meeting_id, anchor: str | None = None):
    return redirect(url_for("meeting_pages.desk", meeting_id=meeting_id) + (f"#{anchor}" if anchor else ""))


def _run(meeting_id, action, anchor: str | None = None, success: str | None = None):
    """A button of the desk with nothing to fill in: run it, say what happened, go back to its place (another
    council's meeting is the use case's 404)."""
    attempt(action, success)
    return _back(meeting_id, anchor)


def _form_run(meeting_id, names, action, anchor=None, *, success: str | None = None, **fixed):
    """Hand the named fields to ``action`` (a use case that loads its own input, after the meeting: another
    council's meeting is not found before anything is said about the form), say ``success``, go back."""
    return _run(meeting_id, lambda: action({**filled(request.form, *names), **fixed}), anchor, success)


def _attendance(meeting_id, member_id, action):
    """A tap on the checklist: with htmx, answer that person's line and the quorum (nothing reloads);
    without, go back to the same line of the desk."""
    if not request.headers.get("HX-Request"):
        attempt(action)
        return _back(meeting_id, f"m-{member_id}")
    error = None
    try:
        action()
    except NotFound:
        raise
    except DomainError as refused:
        error = refused
    line = meetings.roster_entry(meeting_id, member_id)
    html = render_template("meetings/_roster_answer.html", error_lines=flattened(error) if error else [], **line)
    return html, error.status if error else 200


def _tap_for_the_forms_member(meeting_id, action):
    """A tap whose person is named in the form (check in, excuse): with no person named, the use case says so
    (after the meeting: another council's is not found first)."""
    member_id = uuid_or_none(request.form.get("member_id"))
    if member_id is None:
        attempt(action)
        return _back(meeting_id)
    return _attendance(meeting_id, member_id, action)


@bp.post("/<uuid:meeting_id>/attendance")
@performs(meetings.check_in)
def check_in(meeting_id):
    return _tap_for_the_forms_member(meeting_id, lambda: meetings.check_in(meeting_id, {
        **filled(request.form, "member_id", "representative_id", "stands_in_for_id"),
        "online": request.form.get("online") == "y"}))


@bp.post("/<uuid:meeting_id>/attendance/<uuid:member_id>/leave")
@performs(meetings.check_out)
def check_out(meeting_id, member_id):
    return _attendance(meeting_id, member_id, lambda: meetings.check_out(meeting_id, member_id))


@bp.post("/<uuid:meeting_id>/absences")
@performs(meetings.excuse_absence)
def excuse(meeting_id):
    return _tap_for_the_forms_member(meeting_id, lambda: meetings.excuse_absence(
        meeting_id, filled(request.form, "member_id", "reason")))


@bp.post("/<uuid:meeting_id>/items/<uuid:item_id>/votes")
@performs(meetings.open_vote)
def open_vote(meeting_id, item_id):
    named = {"keyholders": request.form.getlist("keyholders")} if request.form.getlist("keyholders") else {}
    return _form_run(meeting_id, ("kind", "sealed"), lambda data: meetings.open_vote(meeting_id, data),
                     anchor=f"item-{item_id}", agenda_item_id=str(item_id), **named)


@bp.post("/<uuid:meeting_id>/votes/<uuid:vote_id>/ballots")
@performs(meetings.cast_ballot)
def cast(meeting_id, vote_id):
    """One seat's vote recorded at the desk: the form's one choice ("how") is yes, no, abstain, or a paper
    ballot put in the box (the API's ``choice`` or ``channel: paper``)."""
    how = request.form.get("how", "")
    fields = {"channel": "paper"} if how == "paper" else ({"choice": how} if how else {})
    return _form_run(meeting_id, ("member_id", "choice", "channel"),
                     lambda data: meetings.cast_ballot(meeting_id, vote_id, data), anchor=f"vote-{vote_id}",
                     **fields)


@bp.post("/<uuid:meeting_id>/votes/<uuid:vote_id>/counts")
@performs(meetings.record_counts)
def counts(meeting_id, vote_id):
    """A show of hands (or a secret ballot box) entered as three numbers."""
    return _form_run(meeting_id, ("yes", "no", "abstain"),
                     lambda data: meetings.record_counts(meeting_id, vote_id, data), anchor=f"vote-{vote_id}")


@bp.post("/<uuid:meeting_id>/votes/<uuid:vote_id>/roll-call")
@performs(meetings.cast_roll_call)
def roll_call(meeting_id, vote_id):
    """The roll call as one list: a choice per name (``choice-<member id>``); names left blank are skipped."""
    ballots = [{"member_id": name.removeprefix("choice-"), "choice": value}
               for name, value in request.form.items() if name.startswith("choice-") and value]
    # None marked: the use case says so, after the meeting and the vote (another council's are not found first).
    attempt(lambda: meetings.cast_roll_call(meeting_id, vote_id, {"ballots": ballots}))
    return _back(meeting_id, f"vote-{vote_id}")


@bp.post("/<uuid:meeting_id>/votes/<uuid:vote_id>/close")
@performs(meetings.close_vote)
def close_vote(meeting_id, vote_id):
    return _form_run(meeting_id, ("chair_vote", "confirm"),
                     lambda data: meetings.close_vote(meeting_id, vote_id, data), anchor=f"vote-{vote_id}")


@bp.post("/<uuid:meeting_id>/close")
@performs(meetings.close_meeting)
def close_meeting(meeting_id):
    attempt(lambda: meetings.close_meeting(meeting_id), _("The meeting is closed."))
    return _back(meeting_id)


# --- a hybrid meeting: passes and badges, the stream, the item under discussion, the speakers' list ---------------


@bp.post("/<uuid:meeting_id>/passes")
@performs(hybrid.issue_passes)
def issue_passes(meeting_id):
    return _run(meeting_id, lambda: hybrid.issue_passes(meeting_id), "hybrid", _("The passes are issued."))


@bp.post("/<uuid:meeting_id>/passes/links")
@performs(hybrid.send_links)
def send_links(meeting_id):
    return _run(meeting_id, lambda: hybrid.send_links(meeting_id), "hybrid",
                _("The personal links are being sent by e-mail."))


@bp.post("/<uuid:meeting_id>/passes/<uuid:member_id>")
@performs(hybrid.reissue_pass)
def reissue_pass(meeting_id, member_id):
    return _run(meeting_id, lambda: hybrid.reissue_pass(meeting_id, member_id), f"m-{member_id}",
                _("A new pass is issued: the old link and badge no longer work."))


@bp.get("/<uuid:meeting_id>/badges.pdf")
@performs(hybrid.badges_pdf)
def badges(meeting_id):
    meeting, pdf = hybrid.badges_pdf(meeting_id)
    return file_download(pdf, "application/pdf", meetings.document_name(meeting, "yaka-kartlari"), inline=True, secret=True)


@bp.post("/<uuid:meeting_id>/attendance/by-code")
@performs(hybrid.check_in_by_code)
def check_in_by_code(meeting_id):
    """A badge scanned with the phone's camera or its code typed: that person is checked in."""
    back = url_for("meeting_pages.desk", meeting_id=meeting_id) + "#code-check-in"
    return answer_script_or_page(
        lambda: hybrid.check_in_by_code(meeting_id, filled(request.form, "code")),
        lambda member: _("%(name)s is checked in.", name=member.name), back)


@bp.post("/<uuid:meeting_id>/stream")
@performs(hybrid.set_stream)
def stream(meeting_id):
    return _form_run(meeting_id, ("stream_url",), lambda data: hybrid.set_stream(meeting_id, data),
                     anchor="hybrid")


@bp.post("/<uuid:meeting_id>/items/<uuid:item_id>/take-up")
@performs(hybrid.take_up_item)
def take_up(meeting_id, item_id):
    return _form_run(meeting_id, (), lambda data: hybrid.take_up_item(meeting_id, data),
                     anchor="speakers", agenda_item_id=str(item_id))


@bp.get("/<uuid:meeting_id>/speakers")
@performs(hybrid.speakers_list)
def speakers_panel(meeting_id):
    """The speakers' panel alone (the desk fetches it again when the meeting changes)."""
    return render_template("meetings/_speakers.html", meeting=meetings.require_meeting(meeting_id),
                           speakers=hybrid.speakers_list(meeting_id))


@bp.post("/<uuid:meeting_id>/speakers")
@performs(hybrid.ask_floor)
def ask_floor(meeting_id):
    return _tap_for_the_forms_member(meeting_id, lambda: hybrid.ask_floor(
        meeting_id, filled(request.form, "member_id", "stance")))


@bp.post("/<uuid:meeting_id>/speakers/<uuid:request_id>/floor")
@performs(hybrid.give_floor)
def give_floor(meeting_id, request_id):
    return _run(meeting_id, lambda: hybrid.give_floor(meeting_id, request_id), "speakers")


@bp.post("/<uuid:meeting_id>/speakers/<uuid:request_id>/move")
@performs(hybrid.move_speaker)
def move_speaker(meeting_id, request_id):
    return _form_run(meeting_id, ("direction",),
                     lambda data: hybrid.move_speaker(meeting_id, request_id, data), anchor="speakers")


@bp.post("/<uuid:meeting_id>/speakers/<uuid:request_id>/withdraw")
@performs(hybrid.withdraw_floor)
def withdraw_floor(meeting_id, request_id):
    return _run(meeting_id, lambda: hybrid.withdraw_floor(meeting_id, request_id), "speakers")


@bp.post("/<uuid:meeting_id>/speakers/stop")
@performs(hybrid.stop_speaker)
def stop_speaker(meeting_id):
    return _run(meeting_id, lambda: hybrid.stop_speaker(meeting_id), "speakers")


# --- a general assembly's procedure: the presiding board, the agenda, floor motions --------------------------------


PROCEDURE_FORMS = ("board", "floor-motion", "co-sign")


@bp.get("/<uuid:meeting_id>/procedure/<form>")
@performs(meetings.procedure_form)
def procedure_form(meeting_id, form):
    """A procedure form with its pickers of the people present: a fragment the desk loads when it is opened
    (htmx), or a page of its own without script."""
    if form not in PROCEDURE_FORMS:
        abort(404)
    shown = meetings.procedure_form(meeting_id)
    motion_id = uuid_or_none(request.args.get("floor_motion_id"))
    if form == "co-sign" and motion_id is None:
        abort(404)
    fragment = render_template("meetings/_procedure_form.html", form=form, floor_motion_id=motion_id, **shown)
    if request.headers.get("HX-Request"):
        return fragment
    return render_template("meetings/procedure_form.html", fragment=fragment, **shown)


@bp.post("/<uuid:meeting_id>/presiding-board")
@performs(assembly.propose_board)
def propose_board(meeting_id):
    """The slate from the desk's pickers: a chair, then ``vice_chair_<n>`` and ``clerk_<n>`` in order."""
    def numbered(prefix: str) -> list[str]:
        names = sorted((k for k in request.form if k.startswith(prefix)), key=lambda k: int(k.rsplit("_", 1)[1]))
        return [request.form[k] for k in names if request.form[k]]

    return _form_run(meeting_id, ("chair",), lambda data: assembly.propose_board(meeting_id, data),
                     anchor="opening", vice_chairs=numbered("vice_chair_"), clerks=numbered("clerk_"))


@bp.post("/<uuid:meeting_id>/agenda/adoption")
@performs(assembly.put_agenda_to_vote)
def put_agenda_to_vote(meeting_id):
    return _run(meeting_id, lambda: assembly.put_agenda_to_vote(meeting_id), "opening")


@bp.post("/<uuid:meeting_id>/floor-motions")
@performs(assembly.hand_in_floor_motion)
def hand_in_floor_motion(meeting_id):
    return _form_run(meeting_id, ("member_id", "kind", "text", "agenda_item_id"),
                     lambda data: assembly.hand_in_floor_motion(meeting_id, data), anchor="floor-motions")


@bp.post("/<uuid:meeting_id>/floor-motions/<uuid:floor_motion_id>/signatures")
@performs(assembly.sign_floor_motion)
def sign_floor_motion(meeting_id, floor_motion_id):
    return _form_run(meeting_id, ("member_id",),
                     lambda data: assembly.sign_floor_motion(meeting_id, floor_motion_id, data),
                     anchor=f"floor-motion-{floor_motion_id}")


@bp.post("/<uuid:meeting_id>/floor-motions/<uuid:floor_motion_id>/reading")
@performs(assembly.read_floor_motion)
def read_floor_motion(meeting_id, floor_motion_id):
    return _run(meeting_id, lambda: assembly.read_floor_motion(meeting_id, floor_motion_id),
                f"floor-motion-{floor_motion_id}")


@bp.post("/<uuid:meeting_id>/floor-motions/<uuid:floor_motion_id>/refusal")
@performs(assembly.refuse_floor_motion)
def refuse_floor_motion(meeting_id, floor_motion_id):
    return _form_run(meeting_id, ("reason",),
                     lambda data: assembly.refuse_floor_motion(meeting_id, floor_motion_id, data),
                     anchor=f"floor-motion-{floor_motion_id}")


@bp.post("/<uuid:meeting_id>/floor-motions/<uuid:floor_motion_id>/vote")
@performs(assembly.vote_on_floor_motion)
def vote_on_floor_motion(meeting_id, floor_motion_id):
    return _form_run(meeting_id, ("kind",),
                     lambda data: assembly.vote_on_floor_motion(meeting_id, floor_motion_id, data),
                     anchor="agenda-h")

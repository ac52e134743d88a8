"""Motions and their delivery: the follow-up list, a motion's page, the delivery route and dead letters.

Adapters over :mod:`konsey.usecases.motions`, with the API's schemas."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from konsey.core.municipal_calendar import MunicipalMeetingKind
from konsey.pluginkit.pages import attempt, filled, posted
from konsey.tenants.models import council_today
from konsey.usecases import follow_up, motions, sms
from konsey.usecases.base import performs
from konsey.web import zip_download
from konsey.web.adapters import int_arg, page_number, safe_next

bp = Blueprint("motion_pages", __name__, url_prefix="/<council_slug>")
WEEKDAYS = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday")]


@bp.get("/motions/")
@performs(motions.follow_up)
def motion_list():
    return render_template("governance/motions.html", **motions.follow_up(page=page_number()))


@bp.get("/motions/<uuid:motion_id>")
@performs(motions.motion_page)
def motion_detail(motion_id):
    return render_template("governance/motion.html", **motions.motion_page(motion_id))


@bp.post("/motions/")
@performs(motions.adopt_motion)
def motion_adopt():
    """A decision becomes a motion (from the meeting desk's "send as a motion")."""
    data = filled(request.form, "vote_id", "title", "text")
    ok, motion = attempt(lambda: motions.adopt_motion(data),
                         _("The motion is made and queued for delivery to the municipality."))
    if ok:
        return _back(motion.id)
    return redirect(safe_next(request.referrer and urlsplit(request.referrer).path, url_for("motion_pages.motion_list")))


@bp.get("/motions/<uuid:motion_id>/package.zip")
@performs(motions.motion_package)
def motion_package(motion_id):
    """The signed package exactly as the municipality receives it."""
    return zip_download(motions.motion_package(motion_id))


@bp.post("/motions/<uuid:motion_id>/receipt-links/revoke")
@performs(motions.revoke_receipt_links)
def revoke_receipt_links(motion_id):
    motions.show_motion(motion_id)
    attempt(lambda: motions.revoke_receipt_links(motion_id),
            _("The receipt links sent so far no longer open anything."))
    return _back(motion_id)


def _back(motion_id):
    return redirect(url_for("motion_pages.motion_detail", motion_id=motion_id))


@bp.post("/motions/<uuid:motion_id>/status")
@performs(motions.advance_motion)
def motion_status(motion_id):
    # The use case loads the form after the motion: another council's is not found before the form is read.
    attempt(lambda: motions.advance_motion(motion_id, filled(request.form, "status", "delivered_on")), _("Saved."))
    return _back(motion_id)


@bp.post("/motions/<uuid:motion_id>/answer")
@performs(motions.record_answer)
def motion_answer(motion_id):
    names = ("answer", "text", "municipal_decision_date", "municipal_decision_number")
    attempt(lambda: motions.record_answer(motion_id, filled(request.form, *names)),
            _("The municipal council's answer is recorded."))
    return _back(motion_id)


@bp.post("/motions/<uuid:motion_id>/milestones")
@performs(follow_up.add_milestone)
def motion_milestone(motion_id):
    attempt(lambda: follow_up.add_milestone(motion_id, filled(request.form, "state", "day", "note")),
            _("The step is recorded; the public tracker shows it."))
    return redirect(url_for("motion_pages.motion_detail", motion_id=motion_id) + "#implementation")


@bp.get("/motions/calendar")
@performs(follow_up.municipal_calendar)
def municipal_calendar():
    """The municipal council's meetings: they set when each motion's answer is due."""
    year = int_arg("year", council_today().year, 2000, 2100)
    return render_template("governance/municipal_calendar.html", year=year,
                           meetings=follow_up.municipal_calendar(year), kinds=list(MunicipalMeetingKind),
                           weekdays=WEEKDAYS)


def _to_calendar(year=None):
    return redirect(url_for("motion_pages.municipal_calendar", year=year) + "#calendar")


@bp.post("/motions/calendar")
@performs(follow_up.add_municipal_meeting)
def municipal_meeting_add():
    ok, meeting = attempt(lambda: follow_up.add_municipal_meeting(
        filled(request.form, "held_on", "kind", "note")), _("Saved."))
    return _to_calendar(meeting.held_on.year if ok else None)


@bp.post("/motions/calendar/regular")
@performs(follow_up.add_regular_meetings)
def municipal_meetings_regular():
    data = filled(request.form, "year", "day_of_month", "weekday", "week")
    ok, added = attempt(lambda: follow_up.add_regular_meetings(data))
    if ok:
        flash(ngettext("%(num)d meeting added.", "%(num)d meetings added.", added), "success")
    return _to_calendar(data.get("year"))


@bp.post("/motions/calendar/import")
@performs(follow_up.import_municipal_calendar)
def municipal_meetings_import():
    upload = request.files.get("file")
    ok, added = attempt(lambda: follow_up.import_municipal_calendar(upload.read() if upload else b""))
    if ok:
        flash(ngettext("%(num)d meeting added.", "%(num)d meetings added.", added), "success")
    return _to_calendar()


@bp.post("/motions/calendar/<uuid:meeting_id>/delete")
@performs(follow_up.remove_municipal_meeting)
def municipal_meeting_remove(meeting_id):
    attempt(lambda: follow_up.remove_municipal_meeting(meeting_id), _("Removed."))
    return _to_calendar()


@bp.get("/delivery/")
@performs(motions.delivery_route)
def delivery_page():
    return render_template("governance/delivery.html", route=motions.delivery_route(),
                           channels=motions.delivery_channels(), letters=motions.dead_letters(limit=100),
                           sms_account=sms.account(), sms_messages=sms.messages())


@bp.post("/delivery/sms")
@performs(sms.configure)
def sms_account():
    """The council's SMS provider account (its credentials sealed at once, never shown again)."""
    attempt(lambda: sms.configure(posted("provider", "sender", "username", "password", "key", "hash",
                                         as_typed=("password", "hash"))), _("Saved."))
    return redirect(url_for("motion_pages.delivery_page") + "#sms-h")


@bp.post("/delivery/")
@performs(motions.set_delivery_route)
def delivery_route():
    attempt(lambda: motions.set_delivery_route({"channel": request.form.get("channel", ""),
                                                       "address": request.form.get("address", "").strip()}),
            _("Saved."))
    return redirect(url_for("motion_pages.delivery_page"))


@bp.post("/delivery/secret")
@performs(motions.rotate_delivery_secret)
def rotate_secret():
    route = motions.rotate_delivery_secret()
    # Shown on this page, this once: never put in a flash (the session cookie is signed, not encrypted).
    return render_template("governance/delivery.html", route=route, channels=motions.delivery_channels(),
                           letters=motions.dead_letters(limit=100), new_secret=route.secret,
                           sms_account=sms.account(), sms_messages=sms.messages())


@bp.post("/delivery/dead-letters/<uuid:letter_id>/retry")
@performs(motions.retry_dead_letter)
def dead_letter_retry(letter_id):
    attempt(lambda: motions.retry_dead_letter(letter_id), _("Sent again."))
    return redirect(url_for("motion_pages.delivery_page"))

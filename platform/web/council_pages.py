"""A council's own pages: /<council-slug>/…"""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.errors import Invalid
from konsey.core.permissions import Permission
from konsey.core.urls import external_url
from konsey.pluginkit import file_download
from konsey.pluginkit.pages import attempt, posted
from konsey.usecases import calendars, councils, follow_up, meeting_record, sealed
from konsey.usecases.base import current_actor, performs
from konsey.web.adapters import int_arg

bp = Blueprint("council", __name__, url_prefix="/<council_slug>")


@bp.app_context_processor
def _council_helpers():
    def can(permission: str) -> bool:
        """What the guard decided for this request's person (their roles in the council bound): never decided
        twice, the same answer the use cases get."""
        return g.get("council") is not None and current_actor().may(Permission(permission))

    return {"can": can}


@bp.get("/")
@performs(councils.dashboard)
def dashboard():
    return render_template("council/dashboard.html", **councils.dashboard())


@bp.get("/public")
@performs(councils.public_record)
def public_record():
    """Read-only for everyone: the council's decisions and motions with the municipal answers. No people."""
    return render_template("council/public.html", **councils.public_record())


@bp.get("/tracker")
@performs(follow_up.tracker)
def tracker():
    """For everyone: what became of each motion (due, answered, carried out), filtered; with an Atom feed."""
    state, year = _tracker_filters()
    try:
        found = follow_up.tracker(state, year)
    except Invalid:  # a hand-edited filter: the whole tracker
        found = follow_up.tracker()
    return render_template("council/tracker.html", state_of=follow_up.state_of, **found)


@bp.get("/tracker.atom")
@performs(follow_up.tracker)
def tracker_feed():
    """The tracker as an Atom feed: a reader subscribes and sees each motion as it moves on."""
    state, year = _tracker_filters()
    try:
        found = follow_up.tracker(state, year, limit=50)
    except Invalid:
        found = follow_up.tracker(limit=50)
    # Links from the installation's public address, never from the request's Host header (a reader caches what
    # it is given); a reader asking again with the tag it holds gets 304 while nothing changed.
    slug = g.council.slug
    links = {"tracker": external_url("council.tracker", council_slug=slug),
             "alternate": external_url("council.tracker", council_slug=slug, state=state, year=year),
             "self": external_url("council.tracker_feed", council_slug=slug, state=state, year=year)}
    updated = found["changed_at"].replace(microsecond=0)
    body = render_template("council/tracker.atom.xml", state_of=follow_up.state_of, updated=updated, links=links,
                           **found)
    answer = Response(body, mimetype="application/atom+xml")
    # The tag is the feed's own text, so any change shows; Last-Modified is when anything shown last changed
    # (each motion's ``changed_at``, which every write of it and each implementation step moves).
    answer.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    answer.last_modified = found["changed_at"]
    answer.cache_control.no_cache = True
    return answer.make_conditional(request)


def _tracker_filters() -> tuple[str | None, int | None]:
    return request.args.get("state") or None, int_arg("year", None, 1900, 2200)


@bp.get("/export")
@performs(councils.latest_export)
def export():
    """The full export: ask for one, watch it being written, download it."""
    return render_template("council/export.html", job=councils.latest_export())


@bp.post("/export")
@performs(councils.start_export)
def export_start():
    attempt(councils.start_export, _("The export is being prepared; this page shows how far it is."))
    return redirect(url_for("council.export"))


@bp.get("/export/<uuid:job_id>/progress")
@performs(councils.export_job)
def export_progress(job_id):
    """The job's progress, polled by the export page (htmx) until it is ready."""
    return render_template("council/_export_job.html", job=councils.export_job(job_id))


@bp.get("/export/<uuid:job_id>/file")
@performs(councils.download_export)
def export_file(job_id):
    done, result = attempt(lambda: councils.download_export(job_id))
    if not done:
        return redirect(url_for("council.export"))
    name, content = result
    return file_download(content, "application/gzip", name)


@bp.post("/export/<uuid:job_id>/sealed-file")
@performs(councils.download_sealed_export)
def export_sealed_file(job_id):
    """The export for the road: encrypted with the passphrase typed, signed with the council's key."""
    done, result = attempt(lambda: councils.download_sealed_export(job_id, posted("passphrase",
                                                                                 as_typed=("passphrase",))))
    if not done:
        return redirect(url_for("council.export") + "#sealed")
    name, content = result
    return file_download(content, "application/octet-stream", name, secret=True)


@bp.route("/verify", methods=["GET", "POST"])
@performs(meeting_record.verify_record)
def verify():
    """For everyone: is this meeting archive the council's, unchanged? Which minutes does this fingerprint name?"""
    found, errors, typed = None, {}, ""
    if request.method == "POST":
        upload = request.files.get("archive")
        typed = (request.form.get("fingerprint") or "").strip()[:100]
        content = upload.read(meeting_record.ARCHIVE_LIMIT + 1) if upload and upload.filename else None
        try:
            found = meeting_record.verify_record({"archive": content, "fingerprint": typed})
        except Invalid as error:
            errors = error.errors
    return render_template("council/verify.html", found=found, errors=errors, typed=typed,
                           public_key=meeting_record.public_key()), 422 if errors else 200


@bp.get("/sealed/<uuid:box_id>")
@performs(sealed.published_box)
def sealed_result(box_id):
    """For everyone: a sealed vote's stage, its result once counted, a voter's tracker looked up on the board,
    and the record to check with ``python -m opencount``."""
    wanted = (request.args.get("tracker") or "").strip().lower()
    box, subject, labels, found = sealed.published_box(box_id, wanted)
    return render_template("council/sealed_result.html", box=box, subject=subject, labels=labels,
                           wanted=wanted, found=found)


@bp.get("/sealed/<uuid:box_id>.json")
@performs(sealed.published_record)
def sealed_record(box_id):
    record = sealed.published_record(box_id)
    answer = Response(json.dumps(record, sort_keys=True, separators=(",", ":")), mimetype="application/json")
    answer.headers["Content-Disposition"] = f'attachment; filename="kayit-{str(box_id)[:8]}.json"'
    return answer


def _ics(content: bytes, name: str) -> Response:
    answer = Response(content, mimetype="text/calendar")
    answer.headers["Content-Disposition"] = f'inline; filename="{name}"'
    answer.headers["Cache-Control"] = "private, max-age=300"
    return answer


@bp.get("/calendar.ics")
@performs(calendars.council_calendar)
def council_calendar():
    """For everyone: the council's meetings as a calendar to subscribe to."""
    return _ics(calendars.council_calendar(), "toplantilar.ics")


@bp.get("/calendar/<token>.ics")
@performs(calendars.member_calendar)
def member_calendar(token):
    """A member's own meetings, at a secret address (renewed by the secretariat when it leaks)."""
    answer = _ics(calendars.member_calendar(token), "toplantilarim.ics")
    answer.headers["Referrer-Policy"] = "no-referrer"
    return answer

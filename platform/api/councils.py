"""Councils: onboarding (operators), listing, lifecycle and the full export."""

from __future__ import annotations

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import BINARY, takes
from konsey.pluginkit import file_download
from konsey.schemas.councils import (
    AuditArgs,
    AuditEntrySchema,
    CalendarArgs,
    CouncilSchema,
    ExportJobSchema,
    OnboardedSchema,
    StatutoryCalendarSchema,
)
from konsey.usecases import councils
from konsey.usecases.base import performs

blp = Blueprint("councils", __name__, url_prefix="/api/v1/councils", description="Councils")


@blp.route("")
class Councils(MethodView):
    @performs(councils.my_councils)
    @blp.response(200, CouncilSchema(many=True))
    def get(self):
        """Councils the caller belongs to; every council for operators."""
        return councils.my_councils()

    @performs(councils.onboard_council)
    @takes(councils.onboard_council)
    @blp.response(201, OnboardedSchema)
    def post(self, data):
        """Onboard a council: statutory bodies, default by-laws and the first administrator's invitation."""
        return councils.onboard_council(data)


@blp.route("/<council_slug>")
class CouncilDetail(MethodView):
    @performs(councils.show_council)
    @blp.response(200, CouncilSchema)
    def get(self):
        return councils.show_council()


@blp.route("/<council_slug>/status")
class CouncilStatusView(MethodView):
    @performs(councils.change_status)
    @takes(councils.change_status)
    @blp.response(200, CouncilSchema)
    def post(self, data):
        return councils.change_status(None, data)


@blp.route("/<council_slug>/audit")
class Audit(MethodView):
    @performs(councils.audit_log)
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    def get(self, args):
        """The council's audit log, oldest first, from sequence number ``after`` on."""
        return councils.audit_log(args["after"], args["limit"])


@blp.route("/<council_slug>/calendar")
class Calendar(MethodView):
    @performs(councils.statutory_calendar)
    @blp.arguments(CalendarArgs, location="query")
    @blp.response(200, StatutoryCalendarSchema)
    def get(self, args):
        """The statutory calendar: general assembly sessions owed this year, terms ending, with warnings."""
        return councils.statutory_calendar(args["year"])


@blp.route("/<council_slug>/exports")
class Exports(MethodView):
    @performs(councils.start_export)
    @blp.response(202, ExportJobSchema)
    def post(self):
        """Ask for everything the council owns as one JSON document (KVKK data portability; before archiving).
        The worker writes it: follow the job (``Location``) until ``state`` is ready, then fetch ``download``."""
        job = councils.start_export()
        return job, 202, {"Location": url_for("councils.ExportDetail", job_id=job.id)}


@blp.route("/<council_slug>/exports/<uuid:job_id>")
class ExportDetail(MethodView):
    @performs(councils.export_job)
    @blp.response(200, ExportJobSchema)
    def get(self, job_id):
        """How far the export is: tables written of all, and its download once ready."""
        return councils.export_job(job_id)


@blp.route("/<council_slug>/exports/<uuid:job_id>/file")
class ExportFile(MethodView):
    @performs(councils.download_export)
    @blp.response(200, BINARY, content_type="application/gzip")
    def get(self, job_id):
        """The export: gzip-compressed JSON (409 while it is being prepared or once it expired)."""
        name, content = councils.download_export(job_id)
        return file_download(content, "application/gzip", name)


@blp.route("/<council_slug>/exports/<uuid:job_id>/sealed-file")
class SealedExportFile(MethodView):
    @performs(councils.download_sealed_export)
    @takes(councils.download_sealed_export)
    @blp.response(200, BINARY, content_type="application/octet-stream")
    def post(self, data, job_id):
        """The export for the road: encrypted with the passphrase given (scrypt, AES-256-GCM) and signed with the
        council's key; another installation's operator imports it with ``konsey councils import
        --passphrase-file``, comparing the key's fingerprint with the one the council publishes."""
        name, content = councils.download_sealed_export(job_id, data)
        return file_download(content, "application/octet-stream", name, secret=True)

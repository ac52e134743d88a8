"""A council's personal data for its data officer (KVKK): who read special-category data, what is due to be
deleted, the processing inventory, the data key and its rotation."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api import paging
from konsey.api.base import BINARY
from konsey.pluginkit import file_download
from konsey.schemas.personal_data import (
    InventoryLineSchema,
    KeyStatusSchema,
    ReadsArgs,
    ReadsCsvArgs,
    RetentionDueSchema,
    SpecialDataReadSchema,
)
from konsey.usecases import personal_data
from konsey.usecases.base import performs

blp = Blueprint("personal_data", __name__, url_prefix="/api/v1/councils/<council_slug>/personal-data",
                description="Special-category data: who read it, retention, the inventory, the data key")


@blp.route("/reads")
class Reads(MethodView):
    @performs(personal_data.access_log)
    @blp.arguments(ReadsArgs, location="query")
    @blp.response(200, SpecialDataReadSchema(many=True))
    def get(self, args):
        """Who read special-category data or an identity number, newest first (``Link: rel="next"`` when there is
        more). No value is ever recorded."""
        page = personal_data.access_log(args["page"], args["since"], args["until"], args["per_page"])
        return paging.answer(page, "personal_data.Reads", args["per_page"])


@blp.route("/reads.csv")
class ReadsCsv(MethodView):
    @performs(personal_data.access_log_csv)
    @blp.arguments(ReadsCsvArgs, location="query")
    @blp.response(200, BINARY, content_type="text/csv")
    def get(self, args):
        """The record of reads as CSV (who, when, which record, which fields, from where; never a value)."""
        return file_download(personal_data.access_log_csv(args["since"], args["until"]), "text/csv",
                             "special-data-reads.csv")


@blp.route("/retention")
class Retention(MethodView):
    @performs(personal_data.retention_due)
    @blp.response(200, RetentionDueSchema(many=True))
    def get(self):
        """Per kind of record kept for a while: its days, and how many go at the next daily sweep."""
        return personal_data.retention_due()


@blp.route("/inventory")
class Inventory(MethodView):
    @performs(personal_data.inventory)
    @blp.response(200, InventoryLineSchema(many=True))
    def get(self):
        """The processing inventory of special-category data and identity numbers, as VERBİS asks for it."""
        return personal_data.inventory()


@blp.route("/inventory.csv")
class InventoryCsv(MethodView):
    @performs(personal_data.inventory_csv)
    @blp.response(200, BINARY, content_type="text/csv")
    def get(self):
        """The processing inventory as CSV, in VERBİS's columns, in the reader's language."""
        return file_download(personal_data.inventory_csv(), "text/csv", "processing-inventory.csv")


@blp.route("/key")
class Key(MethodView):
    @performs(personal_data.key_status)
    @blp.response(200, KeyStatusSchema)
    def get(self):
        """The council's data key: the version in use, and how many values are sealed with it."""
        return personal_data.key_status()


@blp.route("/key/rotate")
class KeyRotation(MethodView):
    @performs(personal_data.rotate_data_key)
    @blp.response(202, KeyStatusSchema)
    def post(self):
        """A new data key: new values are sealed with it at once, the others by the worker (follow ``GET key``)."""
        personal_data.rotate_data_key()
        return personal_data.key_status()

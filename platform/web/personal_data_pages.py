"""A council's personal-data page, for its data officer and the secretary general's office (KVKK): who read
special-category data, what the daily sweep deletes next, the processing inventory, and the data key."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _

from konsey.pluginkit import file_download
from konsey.pluginkit.pages import attempt
from konsey.usecases import personal_data
from konsey.usecases.base import performs
from konsey.web.adapters import page_number

bp = Blueprint("personal_data_pages", __name__, url_prefix="/<council_slug>/personal-data")


@bp.get("/")
@performs(personal_data.access_log)
def overview():
    return render_template("council/personal_data.html", reads=personal_data.access_log(page_number()),
                           due=personal_data.retention_due(), inventory=personal_data.inventory(),
                           headers=personal_data.inventory_headers(), columns=personal_data.INVENTORY_COLUMNS,
                           key=personal_data.key_status())


@bp.get("/key")
@performs(personal_data.key_status)
def key_progress():
    """The data key's progress, polled by the page (htmx) while values are being sealed again."""
    return render_template("council/_data_key.html", key=personal_data.key_status())


@bp.post("/key/rotate")
@performs(personal_data.rotate_data_key)
def rotate_key():
    attempt(personal_data.rotate_data_key, _("A new data key seals new values from now on; the others are being "
                                             "sealed again."))
    return redirect(url_for("personal_data_pages.overview") + "#key-h")


@bp.get("/reads.csv")
@performs(personal_data.access_log_csv)
def reads_csv():
    return file_download(personal_data.access_log_csv(), "text/csv", "special-data-reads.csv")


@bp.get("/inventory.csv")
@performs(personal_data.inventory_csv)
def inventory_csv():
    return file_download(personal_data.inventory_csv(), "text/csv", "processing-inventory.csv")

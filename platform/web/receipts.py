"""The municipality's side of a download-link delivery: fetch the package, confirm its receipt.

The link carries a signed, expiring token naming the council and the motion; nothing else is needed, and
nothing else is shown (the token is the only key, and it opens one motion's package)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from konsey.usecases import motions
from konsey.usecases.base import performs
from konsey.web import zip_download

bp = Blueprint("receipts", __name__, url_prefix="/receipts")


@bp.get("/<token>")
@performs(motions.receipt)
def receipt(token):
    council, motion = motions.receipt(token)
    return render_template("receipts/receipt.html", council=council, motion=motion, token=token)


@bp.get("/<token>/package.zip")
@performs(motions.receipt_package)
def package(token):
    return zip_download(motions.receipt_package(token))


@bp.post("/<token>/confirm")
@performs(motions.confirm_receipt)
def confirm(token):
    first = motions.confirm_receipt(token)
    flash(_("Thank you: the receipt is recorded.") if first else _("The receipt was already recorded."), "success")
    return redirect(url_for("receipts.receipt", token=token))

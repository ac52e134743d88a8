"""The council's members: the list in Turkish alphabetical order with a search, and a member's page.
Adapters over :mod:`konsey.usecases.members`."""

from __future__ import annotations

import uuid

from flask import Blueprint, render_template, request

from konsey.usecases import members
from konsey.usecases.base import performs

bp = Blueprint("member_pages", __name__, url_prefix="/<council_slug>")
PER_PAGE = 50


@bp.get("/members", endpoint="members")
@performs(members.list_members)
def members_page():
    page = max(request.args.get("page", 1, type=int), 1)
    q = (request.args.get("q") or "").strip()[:100]
    rows, has_next = members.list_members(page, PER_PAGE, q)
    return render_template("council/members.html", members=rows, page=page, has_next=has_next, q=q)


@bp.get("/members/<uuid:member_id>")
@performs(members.show_member)
def member(member_id: uuid.UUID):
    return render_template("council/member.html", member=members.show_member(member_id))

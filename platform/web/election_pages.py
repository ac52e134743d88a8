"""Elections: call one, register candidates, enter each round's counts. Adapters over
:mod:`konsey.usecases.elections`, with the API's schemas."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.pluginkit.pages import attempt, filled
from konsey.usecases import elections, sealed
from konsey.usecases.base import performs

bp = Blueprint("election_pages", __name__, url_prefix="/<council_slug>/elections")


@bp.get("/")
@performs(elections.elections_page)
def election_list():
    return render_template("governance/elections.html", **elections.elections_page())


@bp.post("/")
@performs(elections.call_election)
def election_call():
    names = ("electing_body_id", "target_body_id", "office", "seats", "term_start", "term_index", "meeting_id")
    done, result = attempt(lambda: elections.call_election(filled(request.form, *names)))
    if done:
        return redirect(url_for("election_pages.election_detail", election_id=result.id))
    return redirect(url_for("election_pages.election_list"))


@bp.get("/<uuid:election_id>")
@performs(elections.election_page)
def election_detail(election_id):
    return render_template("governance/election.html", **elections.election_page(election_id))


def _back(election_id):
    return redirect(url_for("election_pages.election_detail", election_id=election_id))


@bp.post("/<uuid:election_id>/candidates")
@performs(elections.stand)
def election_candidate(election_id):
    attempt(lambda: elections.stand(election_id, filled(request.form, "member_id")),
            _("The candidacy is recorded."))
    return _back(election_id)


@bp.post("/<uuid:election_id>/rounds")
@performs(elections.count_round)
def election_round(election_id):
    votes = {key.removeprefix("votes-"): value.strip() for key, value in request.form.items()
             if key.startswith("votes-") and value.strip()}
    raw = {"votes": votes, **filled(request.form, "chair_choice", "meeting_id", "ballots_cast", "blank", "invalid")}
    attempt(lambda: elections.count_round(election_id, raw), _("The round is recorded."))
    return _back(election_id)


@bp.post("/<uuid:election_id>/sealed-rounds")
@performs(sealed.hold_sealed_round)
def election_sealed_round(election_id):
    """The next round with sealed ballots: the presiding board's phones make its key, members vote from theirs."""
    named = request.form.getlist("keyholders")
    attempt(lambda: sealed.hold_sealed_round(election_id, {"keyholders": named} if named else {}),
            _("The sealed round is called: the keyholders' phones are making its key."))
    return _back(election_id)


@bp.post("/<uuid:election_id>/sealed-rounds/close")
@performs(sealed.close_sealed_round)
def election_sealed_round_close(election_id):
    attempt(lambda: sealed.close_sealed_round(election_id),
            _("The sealed round is closed: its keyholders' phones open the count, which becomes the round."))
    return _back(election_id)


@bp.post("/<uuid:election_id>/sealed-rounds/entry")
@performs(sealed.enter_sealed_round)
def election_sealed_round_entry(election_id):
    attempt(lambda: sealed.enter_sealed_round(election_id, filled(request.form, "chair_choice")),
            _("The counted sealed round is entered."))
    return _back(election_id)

"""Pages and API of residents' participation: thin adapters over the use cases.

A resident's session lives in the council's pages' cookie (``konsey_residents``: per council, the account and its
session generation), apart from the staff's sign-in: the two never stand for each other.
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from marshmallow import Schema, fields

from konsey.pluginkit import (
    ApiBlueprint,
    DomainError,
    Forbidden,
    attempt,
    city,
    council_today,
    field_errors,
    file_download,
    open_while_disabled,
    performs,
    posted,
    takes,
    typed_back,
)
from konsey.plugins.participation import usecases
from konsey.plugins.participation.schemas import (
    NOTICE_VERSION,
    AcceptedOut,
    DraftOut,
    FlagOut,
    JoinRequestOut,
    MyDataOut,
    ResidentProposalOut,
    WorkingGroupOut,
)

NAME = "participation"
SESSION = "konsey_residents"
pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}", template_folder="templates")
api = ApiBlueprint(f"{NAME}_api", __name__, url_prefix=f"/api/v1/councils/<council_slug>/plugins/{NAME}",
                   description="Residents' participation: proposals and supports, working groups open to residents, "
                               "drafts for public comment, moderation")


# --- the resident's session -----------------------------------------------------------------------------------------


def signed_in_key() -> str | None:
    return (session.get(SESSION) or {}).get(str(g.council.id))


def _remember(resident) -> None:
    held = dict(session.get(SESSION) or {})
    held[str(g.council.id)] = usecases.session_key(resident)
    session[SESSION] = held


def _forget() -> None:
    held = dict(session.get(SESSION) or {})
    held.pop(str(g.council.id), None)
    session[SESSION] = held


def _to(endpoint: str, **values):
    return redirect(url_for(f"{NAME}.{endpoint}", council_slug=g.council.slug, **values))


def _need_sign_in(back: str | None = None):
    """To the sign-in page, and after it back to ``back`` (the page the step was taken on: a step's own address
    takes only a POST) or the page asked for."""
    flash(_("Sign in with your resident account first."), "error")
    return _to("sign_in", next=back or request.path)


def _back_or(endpoint: str):
    """Back to the page the form was on (its ``back`` field, one of the plugin's pages), else to ``endpoint``."""
    return redirect(_safe_next(request.form.get("back")) or url_for(f"{NAME}.{endpoint}", council_slug=g.council.slug))


def _options(names: list[str]) -> list[tuple[str, str]] | None:
    """A select's options for a list the council set (None: a text field instead)."""
    return [(name, name) for name in names] or None


def _safe_next(target: str | None) -> str | None:
    prefix = f"/{g.council.slug}/p/{NAME}/"
    return target if target and target.startswith(prefix) and "//" not in target else None


# --- accounts ---------------------------------------------------------------------------------------------------------

SIGN_UP_FIELDS = ("name", "email", "neighbourhood", "notice_version")


@pages.route("/sign-up", methods=["GET", "POST"], endpoint="sign_up")
@performs(usecases.sign_up)
@city.rate_limited("5 per hour", "20 per day")
def sign_up_page():
    context = {"neighbourhood_options": _options(usecases.neighbourhoods()), "notice": NOTICE_VERSION}
    if request.method == "GET":
        return render_template("participation/sign_up.html", values={}, errors={}, **context)
    if request.form.get("website"):  # the honeypot: people never see this field, scripts fill it in
        return render_template("participation/signed_up.html")
    try:
        usecases.sign_up(posted(*SIGN_UP_FIELDS, "password", as_typed=("password",)))
    except DomainError as error:
        return render_template("participation/sign_up.html", values=typed_back(*SIGN_UP_FIELDS),
                               errors=field_errors(error), **context), error.status
    return render_template("participation/signed_up.html")


@pages.route("/verify/<token>", methods=["GET", "POST"], endpoint="verify")
@performs(usecases.verify)
def verify_page(token):
    """The link shows whose account it confirms; the button confirms it (a mail scanner only opens links)."""
    if request.method == "GET":
        done, resident = attempt(lambda: usecases.account_to_confirm(token))
        if not done:
            return _to("sign_up")
        return render_template("participation/confirm.html", pending=resident)
    done, _result = attempt(lambda: usecases.verify(token), _("Your address is confirmed. Sign in."))
    return _to("sign_in") if done else _to("sign_up")


@pages.route("/sign-in", methods=["GET", "POST"], endpoint="sign_in")
@open_while_disabled  # where the council disabled the plugin, a resident still reaches their own data
@performs(usecases.sign_in)
@city.rate_limited("20 per minute", city.per_account("5 per 15 minutes"))
def sign_in_page():
    target = _safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("participation/sign_in.html", values={}, errors={}, next=target)
    try:
        resident = usecases.sign_in({"email": request.form.get("email", ""), "password": request.form.get("password", "")})
    except DomainError as error:
        return render_template("participation/sign_in.html", values=typed_back("email"), errors=field_errors(error),
                               next=target), error.status
    _forget()  # a new sign-in replaces whatever account this browser held in this council
    _remember(resident)
    flash(_("Welcome, %(name)s.", name=resident.name), "success")
    return redirect(target or url_for(f"{NAME}.index", council_slug=g.council.slug))


@pages.post("/sign-out", endpoint="sign_out")
@open_while_disabled  # where the council disabled the plugin, a resident still reaches their own data
@performs(usecases.sign_out_everywhere)
def sign_out_page():
    if request.form.get("everywhere"):
        usecases.sign_out_everywhere(signed_in_key())
    _forget()
    flash(_("You are signed out."), "success")
    return _to("index")


@pages.route("/password/forgot", methods=["GET", "POST"], endpoint="forgot_password")
@open_while_disabled  # where the council disabled the plugin, a resident still reaches their own data
@performs(usecases.forgot_password)
@city.rate_limited("5 per hour")
def forgot_password_page():
    if request.method == "GET":
        return render_template("participation/forgot.html", values={}, errors={})
    try:
        usecases.forgot_password(posted("email"))
    except DomainError as error:
        return render_template("participation/forgot.html", values=typed_back("email"),
                               errors=field_errors(error)), error.status
    flash(_("If the address has an account, a link to choose a new password is on its way."), "success")
    return _to("sign_in")


@pages.route("/password/reset/<token>", methods=["GET", "POST"], endpoint="reset_password")
@open_while_disabled  # where the council disabled the plugin, a resident still reaches their own data
@performs(usecases.reset_password)
@city.rate_limited("10 per hour")
def reset_password_page(token):
    if request.method == "GET":
        done, _result = attempt(lambda: usecases.check_reset_link(token))
        if not done:
            return _to("forgot_password")
        return render_template("participation/reset.html", errors={})
    try:
        usecases.reset_password(token, posted("password", "confirm", as_typed=("password", "confirm")))
    except DomainError as error:
        if "token" in error.errors:
            flash(" ".join(error.errors["token"]), "error")
            return _to("forgot_password")
        return render_template("participation/reset.html", errors=field_errors(error)), error.status
    _forget()
    flash(_("Your new password is set. Sign in with it."), "success")
    return _to("sign_in")


@pages.get("/account", endpoint="account")
@performs(usecases.my_data)
def account_page():
    if usecases.resident_of(signed_in_key()) is None:
        return _need_sign_in()
    return render_template("participation/account.html", data=usecases.my_data(signed_in_key()),
                           resident=usecases.resident_of(signed_in_key()))


@pages.get("/account/my-data.json", endpoint="my_data")
@performs(usecases.my_data)
def my_data_download():
    if usecases.resident_of(signed_in_key()) is None:
        return _need_sign_in()
    content = json.dumps(usecases.my_data(signed_in_key()), ensure_ascii=False, indent=2)
    return file_download(content, "application/json", "verilerim.json", secret=True)


@pages.post("/account/erase", endpoint="erase")
@open_while_disabled  # where the council disabled the plugin, a resident still reaches their own data
@performs(usecases.erase_account)
def erase_page():
    if not request.form.get("confirm"):
        flash(_("Tick the box to confirm that your account is to be erased."), "error")
        return _to("account")
    done, _result = attempt(lambda: usecases.erase_account(signed_in_key()),
                            _("Your account is erased. What you published stays without your name."))
    if done:
        _forget()
    return _to("index")


# --- proposals --------------------------------------------------------------------------------------------------------


@pages.get("/", endpoint="index")
@performs(usecases.proposals)
def index_page():
    listed = usecases.proposals(request.args.get("status"), request.args.get("theme"),
                                request.args.get("page", 1, type=int))
    return render_template("participation/index.html", resident=usecases.resident_of(signed_in_key()), **listed)


PROPOSAL_FIELDS = ("title", "text", "theme", "neighbourhood")


@pages.route("/proposals/new", methods=["GET", "POST"], endpoint="propose")
@performs(usecases.propose)
@city.rate_limited("10 per hour")
def propose_page():
    resident = usecases.resident_of(signed_in_key())
    if resident is None:
        return _need_sign_in()
    context = {"themes": usecases.themes(), "neighbourhood_options": _options(usecases.neighbourhoods())}
    if request.method == "GET":
        return render_template("participation/propose.html", values={"neighbourhood": resident.neighbourhood},
                               errors={}, **context)
    upload = request.files.get("attachment")
    try:
        proposal = usecases.propose(signed_in_key(), posted(*PROPOSAL_FIELDS),
                                    (upload.filename, upload.read(usecases.ATTACHMENT_MAX + 1)) if upload else None)
    except DomainError as error:
        return render_template("participation/propose.html", values=typed_back(*PROPOSAL_FIELDS),
                               errors=field_errors(error), **context), error.status
    flash(_("Your proposal is published. Share its link to gather supports."), "success")
    return _to("proposal", number=proposal.number)


@pages.get("/proposals/<int:number>", endpoint="proposal")
@performs(usecases.proposal_page)
def proposal_page(number):
    found = usecases.proposal_page(number, signed_in_key())
    try:  # the council's staff also get what their forms choose from (motions, the group's reports)
        desk = usecases.proposal_desk(number)
    except Forbidden:
        desk = {}
    return render_template("participation/proposal.html", **found, desk=desk, today=council_today())


@pages.get("/proposals/<int:number>/attachment", endpoint="attachment")
@performs(usecases.attachment)
def attachment_download(number):
    proposal = usecases.attachment(number)
    return file_download(proposal.attachment, proposal.attachment_type, proposal.attachment_name,
                         inline=proposal.attachment_type != "application/pdf")


def _resident_step(use_case, message: str, number: int):
    if usecases.resident_of(signed_in_key()) is None:
        return _need_sign_in(url_for(f"{NAME}.proposal", council_slug=g.council.slug, number=number))
    attempt(lambda: use_case(signed_in_key(), number), message)
    return _to("proposal", number=number)


@pages.post("/proposals/<int:number>/support", endpoint="support")
@performs(usecases.support)
def support_page(number):
    return _resident_step(usecases.support, _("You support this proposal."), number)


@pages.post("/proposals/<int:number>/withdraw", endpoint="withdraw")
@performs(usecases.withdraw_support)
def withdraw_page(number):
    return _resident_step(usecases.withdraw_support, _("Your support is withdrawn."), number)


@pages.post("/proposals/<int:number>/flag", endpoint="flag_proposal")
@performs(usecases.flag_proposal)
@city.rate_limited("10 per hour")
def flag_proposal_page(number):
    attempt(lambda: usecases.flag_proposal(number, posted("reason")), _("Thank you: the secretariat will look at it."))
    return _to("proposal", number=number)


def _staff_step(endpoint_name: str, use_case, fields_: tuple[str, ...], message: str):
    def view(number):
        attempt(lambda: use_case(number, posted(*fields_)), message)
        return _to("proposal", number=number)

    view.__name__ = endpoint_name
    pages.add_url_rule(f"/proposals/<int:number>/{endpoint_name.replace('_', '-')}", endpoint_name,
                       performs(use_case)(view), methods=["POST"])


_staff_step("answer", usecases.answer_proposal, ("text",), _("The answer is published on the proposal's page."))
_staff_step("decline", usecases.decline_proposal, ("reason",), _("The proposal is declined; its page says why."))
_staff_step("merge", usecases.merge_proposal, ("into",), _("The proposal is merged; its supports moved."))
_staff_step("assign", usecases.assign_proposal, ("body_id",), _("The proposal is on the working group's agenda."))
_staff_step("report", usecases.link_report, ("report_id", "title", "text"), _("The group's report is linked."))
_staff_step("motion", usecases.link_motion, ("motion_id",), _("The motion is linked: the page follows it."))
_staff_step("hide", usecases.hide_proposal, ("reason",), _("The proposal is hidden; its page says why."))
_staff_step("publish_draft", usecases.publish_report_draft, ("closes_on",),
            _("The draft report is open for comment."))


# --- working groups -----------------------------------------------------------------------------------------------


@pages.get("/groups", endpoint="groups")
@performs(usecases.working_groups)
def groups_page():
    return render_template("participation/groups.html", **usecases.working_groups(signed_in_key()))


@pages.post("/groups/<uuid:body_id>/join", endpoint="join")
@performs(usecases.ask_to_join)
def join_page(body_id):
    if usecases.resident_of(signed_in_key()) is None:
        return _need_sign_in(url_for(f"{NAME}.groups", council_slug=g.council.slug))
    attempt(lambda: usecases.ask_to_join(signed_in_key(), body_id, posted("consent")),
            _("Your request is with the group's facilitator."))
    return _to("groups")


@pages.get("/join-requests", endpoint="join_requests")
@performs(usecases.join_requests)
def join_requests_page():
    return render_template("participation/join_requests.html", requests=usecases.join_requests())


@pages.post("/join-requests/<uuid:request_id>/accept", endpoint="accept_join")
@performs(usecases.accept_join_request)
def accept_join_page(request_id):
    attempt(lambda: usecases.accept_join_request(request_id), _("The resident takes part in the group."))
    return _to("join_requests")


@pages.post("/join-requests/<uuid:request_id>/decline", endpoint="decline_join")
@performs(usecases.decline_join_request)
def decline_join_page(request_id):
    attempt(lambda: usecases.decline_join_request(request_id), _("The request is declined."))
    return _to("join_requests")


# --- drafts -------------------------------------------------------------------------------------------------------


@pages.get("/drafts", endpoint="drafts")
@performs(usecases.drafts)
def drafts_page():
    return render_template("participation/drafts.html", drafts=usecases.drafts(), today=council_today(),
                           resident=usecases.resident_of(signed_in_key()))


@pages.route("/drafts/bylaws", methods=["GET", "POST"], endpoint="new_bylaws_draft")
@performs(usecases.publish_bylaws_draft)
def new_bylaws_draft_page():
    if request.method == "GET":
        return render_template("participation/new_draft.html", values={}, errors={})
    try:
        draft = usecases.publish_bylaws_draft(posted("title", "text", "closes_on"))
    except DomainError as error:
        return render_template("participation/new_draft.html", values=typed_back("title", "text", "closes_on"),
                               errors=field_errors(error)), error.status
    flash(_("The draft is open for comment."), "success")
    return _to("draft", draft_id=draft.id)


@pages.get("/drafts/<uuid:draft_id>", endpoint="draft")
@performs(usecases.draft_page)
def draft_page(draft_id):
    chosen = request.args.get("paragraph", "")
    return render_template("participation/draft.html", **usecases.draft_page(draft_id, signed_in_key()), errors={},
                           values={"paragraph": chosen if chosen.isdigit() else ""})


@pages.post("/drafts/<uuid:draft_id>/comments", endpoint="comment")
@performs(usecases.comment)
@city.rate_limited("20 per hour")
def comment_page(draft_id):
    if usecases.resident_of(signed_in_key()) is None:
        return _need_sign_in(url_for(f"{NAME}.draft", council_slug=g.council.slug, draft_id=draft_id))
    try:
        usecases.comment(signed_in_key(), draft_id, posted("paragraph", "text"))
    except DomainError as error:
        if error.status == 404:
            abort(404)
        return render_template("participation/draft.html", **usecases.draft_page(draft_id, signed_in_key()),
                               errors=field_errors(error), values=typed_back("paragraph", "text")), error.status
    flash(_("Your comment is published. The group will answer it."), "success")
    return _to("draft", draft_id=draft_id)


@pages.post("/comments/<uuid:comment_id>/answer", endpoint="answer_comment")
@performs(usecases.answer_comment)
def answer_comment_page(comment_id):
    attempt(lambda: usecases.answer_comment(comment_id, posted("answer", "reason")), _("The answer is published."))
    return _back_or("drafts")


@pages.post("/comments/<uuid:comment_id>/flag", endpoint="flag_comment")
@performs(usecases.flag_comment)
@city.rate_limited("10 per hour")
def flag_comment_page(comment_id):
    attempt(lambda: usecases.flag_comment(comment_id, posted("reason")), _("Thank you: the secretariat will look at it."))
    return _back_or("drafts")


@pages.post("/comments/<uuid:comment_id>/hide", endpoint="hide_comment")
@performs(usecases.hide_comment)
def hide_comment_page(comment_id):
    attempt(lambda: usecases.hide_comment(comment_id, posted("reason")), _("The comment is hidden; its place says why."))
    return _back_or("moderation")


@pages.post("/drafts/<uuid:draft_id>/versions", endpoint="revise_draft")
@performs(usecases.revise_draft)
def revise_draft_page(draft_id):
    attempt(lambda: usecases.revise_draft(draft_id, posted("text")), _("The new version is published."))
    return _to("draft", draft_id=draft_id)


@pages.post("/drafts/<uuid:draft_id>/close", endpoint="close_comments")
@performs(usecases.close_comments)
def close_comments_page(draft_id):
    attempt(lambda: usecases.close_comments(draft_id), _("The comment period is closed."))
    return _to("draft", draft_id=draft_id)


@pages.post("/drafts/<uuid:draft_id>/adopt", endpoint="adopt_draft")
@performs(usecases.adopt_draft)
def adopt_draft_page(draft_id):
    attempt(lambda: usecases.adopt_draft(draft_id), _("The text is adopted, with its versions and answered comments."))
    return _to("draft", draft_id=draft_id)


# --- moderation ---------------------------------------------------------------------------------------------------


@pages.get("/moderation", endpoint="moderation")
@performs(usecases.flags)
def moderation_page():
    return render_template("participation/moderation.html", **usecases.flags())


@pages.post("/flags/<uuid:flag_id>/dismiss", endpoint="dismiss_flag")
@performs(usecases.dismiss_flag)
def dismiss_flag_page(flag_id):
    attempt(lambda: usecases.dismiss_flag(flag_id), _("The flag is dismissed."))
    return _to("moderation")


# --- API ------------------------------------------------------------------------------------------------------------


def proposal_out(number: int, *, with_timeline: bool = True) -> dict:
    found = usecases.proposal_page(number, whole=with_timeline)
    proposal = found["proposal"]
    return {"number": proposal.number, "title": None if found["hidden_from_you"] else proposal.title,
            "text": None if proposal.hidden_at else proposal.text, "theme": found["theme"],
            "neighbourhood": proposal.neighbourhood, "author": found["author"], "status": proposal.status.value,
            "supports": proposal.supports, "threshold": proposal.threshold,
            "body": found["group"],
            "answer": proposal.answer, "hidden_reason": proposal.hidden_reason,
            "merged_into": found["merged_into"].number if found["merged_into"] else None,
            "created_at": proposal.created_at,
            "url": url_for(f"{NAME}.proposal", council_slug=g.council.slug, number=number, _external=True),
            "timeline": [{**step, "at": step["at"].isoformat() if step["at"] else None}
                         for step in found["timeline"]]}


class ResidentProposalList(Schema):
    proposals = fields.List(fields.Nested(ResidentProposalOut))
    page = fields.Integer()
    more = fields.Boolean()


@api.route("/proposals")
class Proposals(MethodView):
    @performs(usecases.proposals)
    @api.response(200, ResidentProposalList)
    def get(self):
        """The council's proposals, newest first, 30 a page (``?status=``, ``?theme=``, ``?page=``); each one's
        timeline is in its own answer."""
        listed = usecases.proposals(request.args.get("status"), request.args.get("theme"),
                                    request.args.get("page", 1, type=int))
        return {"proposals": [proposal_out(p.number, with_timeline=False) for p in listed["proposals"]],
                "page": listed["page"],
                "more": listed["more"]}


@api.route("/proposals/<int:number>")
class OneProposal(MethodView):
    @performs(usecases.proposal_page)
    @api.response(200, ResidentProposalOut)
    def get(self, number):
        """A proposal with its timeline: supports, the body it reached, the report, the decision, the motion, the
        municipality's answer and the implementation's steps."""
        return proposal_out(number)


def _proposal_operation(path: str, use_case, doc: str):
    class Operation(MethodView):
        @performs(use_case)
        @takes(use_case)
        @api.response(200, ResidentProposalOut)
        def post(self, data, number):
            use_case(number, data)
            return proposal_out(number)

    Operation.post.__doc__ = doc
    Operation.__name__ = f"Proposal{path.title().replace('-', '')}"
    api.route(f"/proposals/<int:number>/{path}")(Operation)


_proposal_operation("answer", usecases.answer_proposal, "The secretariat answers the proposal publicly.")
_proposal_operation("decline", usecases.decline_proposal, "The secretariat declines it with a public reason.")
_proposal_operation("merge", usecases.merge_proposal, "Merge a duplicate into the proposal it repeats.")
_proposal_operation("assign", usecases.assign_proposal, "The executive board gives it to a working group.")
_proposal_operation("report", usecases.link_report, "Link the group's report on it (or write its draft).")
_proposal_operation("motion", usecases.link_motion, "Link the motion the decision on it became.")
_proposal_operation("hide", usecases.hide_proposal, "Hide it with a public reason (the text is kept).")


@api.route("/proposals/<int:number>/flags")
@city.rate_limited("10 per hour")
class ProposalFlags(MethodView):
    @performs(usecases.flag_proposal)
    @takes(usecases.flag_proposal)
    @api.response(201, FlagOut)
    def post(self, data, number):
        """Flag the proposal for the secretariat (anyone)."""
        flag = usecases.flag_proposal(number, data)
        return {"id": flag.id, "reason": flag.reason.value, "proposal": number, "comment_id": None,
                "created_at": flag.created_at}


@api.route("/working-groups")
class WorkingGroups(MethodView):
    @performs(usecases.working_groups)
    @api.response(200, WorkingGroupOut(many=True))
    def get(self):
        """The working groups residents may ask to join: themes, facilitators, next meetings."""
        return usecases.working_groups()["groups"]


@api.route("/join-requests")
class JoinRequests(MethodView):
    @performs(usecases.join_requests)
    @api.response(200, JoinRequestOut(many=True))
    def get(self):
        """Residents' requests to join a working group, waiting for its facilitator."""
        return usecases.join_requests()


@api.route("/join-requests/<uuid:request_id>/accept")
class AcceptJoin(MethodView):
    @performs(usecases.accept_join_request)
    @api.response(204)
    def post(self, request_id):
        """The facilitator accepts: the resident takes part in the group."""
        usecases.accept_join_request(request_id)


@api.route("/join-requests/<uuid:request_id>/decline")
class DeclineJoin(MethodView):
    @performs(usecases.decline_join_request)
    @api.response(204)
    def post(self, request_id):
        """The facilitator declines the request."""
        usecases.decline_join_request(request_id)


def draft_out(draft_id) -> dict:
    found = usecases.draft_page(draft_id)
    draft = found["draft"]
    return {"id": draft.id, "kind": draft.kind.value, "title": draft.title, "body": found["body"],
            "status": draft.status.value, "open_for_comment": found["open"], "opens_on": draft.opens_on,
            "closes_on": draft.closes_on,
            "versions": [{"version": v.version, "paragraphs": usecases.rules.paragraphs(v.text),
                          "created_at": v.created_at} for v in found["versions"]],
            "comments": [{"id": c.id, "version": c.version, "paragraph": c.paragraph,
                          "author": found["authors"].get(c.author_id), "text": None if c.hidden_at else c.text,
                          "answer": c.answer.value if c.answer else None, "answer_reason": c.answer_reason,
                          "hidden_reason": c.hidden_reason, "created_at": c.created_at} for c in found["comments"]]}


@api.route("/drafts")
class Drafts(MethodView):
    @performs(usecases.drafts)
    @api.response(200, DraftOut(many=True))
    def get(self):
        """Drafts published for public comment, newest first, with their versions and answered comments."""
        return [draft_out(d.id) for d in usecases.drafts()]

    @performs(usecases.publish_bylaws_draft)
    @takes(usecases.publish_bylaws_draft)
    @api.response(201, DraftOut)
    def post(self, data):
        """The executive board publishes a draft of the by-laws for comment."""
        return draft_out(usecases.publish_bylaws_draft(data).id)


@api.route("/proposals/<int:number>/draft")
class ReportDraft(MethodView):
    @performs(usecases.publish_report_draft)
    @takes(usecases.publish_report_draft)
    @api.response(201, DraftOut)
    def post(self, data, number):
        """The working group publishes its draft report on the proposal for comment."""
        return draft_out(usecases.publish_report_draft(number, data).id)


@api.route("/drafts/<uuid:draft_id>")
class OneDraft(MethodView):
    @performs(usecases.draft_page)
    @api.response(200, DraftOut)
    def get(self, draft_id):
        """A draft with its versions (as paragraphs) and its comments, answered or hidden with the reason."""
        return draft_out(draft_id)


@api.route("/drafts/<uuid:draft_id>/versions")
class DraftVersions(MethodView):
    @performs(usecases.revise_draft)
    @takes(usecases.revise_draft)
    @api.response(201, DraftOut)
    def post(self, data, draft_id):
        """A new version of the draft (comments stay with the version they were written on)."""
        usecases.revise_draft(draft_id, data)
        return draft_out(draft_id)


def _draft_operation(path: str, use_case, doc: str):
    class Operation(MethodView):
        @performs(use_case)
        @api.response(200, DraftOut)
        def post(self, draft_id):
            use_case(draft_id)
            return draft_out(draft_id)

    Operation.post.__doc__ = doc
    Operation.__name__ = f"Draft{path.title()}"
    api.route(f"/drafts/<uuid:draft_id>/{path}")(Operation)


_draft_operation("adopt", usecases.adopt_draft, "Adopt the text: its period over and every comment answered.")
_draft_operation("close", usecases.close_comments, "End the comment period today.")


@api.route("/comments/<uuid:comment_id>/answer")
class AnswerComment(MethodView):
    @performs(usecases.answer_comment)
    @takes(usecases.answer_comment)
    @api.response(204)
    def post(self, data, comment_id):
        """Answer a comment: taken in, or not taken with the reason."""
        usecases.answer_comment(comment_id, data)


@api.route("/comments/<uuid:comment_id>/hide")
class HideComment(MethodView):
    @performs(usecases.hide_comment)
    @takes(usecases.hide_comment)
    @api.response(204)
    def post(self, data, comment_id):
        """Hide a comment with a public reason (the text is kept for the record)."""
        usecases.hide_comment(comment_id, data)


@api.route("/comments/<uuid:comment_id>/flags")
@city.rate_limited("10 per hour")
class CommentFlags(MethodView):
    @performs(usecases.flag_comment)
    @takes(usecases.flag_comment)
    @api.response(201, FlagOut)
    def post(self, data, comment_id):
        """Flag a comment for the secretariat (anyone)."""
        flag = usecases.flag_comment(comment_id, data)
        return {"id": flag.id, "reason": flag.reason.value, "proposal": None, "comment_id": comment_id,
                "created_at": flag.created_at}


# --- a resident's own steps, for an app acting for them (the X-Resident-Token header) ----------------------------------

RESIDENT_KEY = {"in": "header", "name": "X-Resident-Token", "required": True, "schema": {"type": "string"},
                "description": "The resident's key, from POST …/residents/session."}


def _resident_key() -> str | None:
    return usecases.key_of_api_key(request.headers.get("X-Resident-Token"))


class ResidentKeyOut(Schema):
    token = fields.String(metadata={"description": "Send it as X-Resident-Token; valid 30 days, until the resident "
                                                   "signs out everywhere."})


@api.route("/residents")
@city.rate_limited("5 per hour", "20 per day")
class Residents(MethodView):
    @performs(usecases.sign_up)
    @takes(usecases.sign_up)
    @api.response(202, AcceptedOut)
    def post(self, data):
        """Open a resident's account; a link sent to the address verifies it (the same answer whether the address
        had an account or not)."""
        usecases.sign_up(data)
        return {"message": _("We sent a link to the address you gave. Open it to confirm your address, then sign "
                             "in.")}


@api.route("/residents/session")
@open_while_disabled  # where the council disabled the plugin, a resident still reaches their own data
@city.rate_limited("20 per minute", city.per_account("5 per 15 minutes"))
class ResidentSession(MethodView):
    @performs(usecases.sign_in)
    @api.arguments(usecases.ResidentSignInSchema)
    @api.response(201, ResidentKeyOut)
    def post(self, data):
        """A verified resident's key for the API, from their address and password."""
        return {"token": usecases.api_key(usecases.sign_in(data))}


@api.route("/residents/me")
@open_while_disabled  # where the council disabled the plugin, a resident still reaches their own data
class Me(MethodView):
    @performs(usecases.my_data)
    @api.doc(parameters=[RESIDENT_KEY])
    @api.response(200, MyDataOut)
    def get(self):
        """Everything the council holds about the resident (KVKK art. 11)."""
        return usecases.my_data(_resident_key())

    @performs(usecases.erase_account)
    @api.doc(parameters=[RESIDENT_KEY])
    @api.response(204)
    def delete(self):
        """Erase the account; what the resident published stays without their name."""
        usecases.erase_account(_resident_key())


@api.route("/proposals/new")
@city.rate_limited("10 per hour")
class NewProposal(MethodView):
    @performs(usecases.propose)
    @takes(usecases.propose)
    @api.doc(parameters=[RESIDENT_KEY])
    @api.response(201, ResidentProposalOut)
    def post(self, data):
        """The resident proposes something for the city (a photo or a document is added on the page)."""
        return proposal_out(usecases.propose(_resident_key(), data).number), 201


@api.route("/proposals/<int:number>/support")
class ProposalSupport(MethodView):
    @performs(usecases.support)
    @api.doc(parameters=[RESIDENT_KEY])
    @api.response(200, ResidentProposalOut)
    def put(self, number):
        """The resident supports the proposal (once)."""
        usecases.support(_resident_key(), number)
        return proposal_out(number)

    @performs(usecases.withdraw_support)
    @api.doc(parameters=[RESIDENT_KEY])
    @api.response(200, ResidentProposalOut)
    def delete(self, number):
        """The resident withdraws their support."""
        usecases.withdraw_support(_resident_key(), number)
        return proposal_out(number)


@api.route("/drafts/<uuid:draft_id>/comments")
@city.rate_limited("20 per hour")
class DraftComments(MethodView):
    @performs(usecases.comment)
    @takes(usecases.comment)
    @api.doc(parameters=[RESIDENT_KEY])
    @api.response(201, DraftOut)
    def post(self, data, draft_id):
        """The resident comments on a paragraph of the draft's latest version."""
        usecases.comment(_resident_key(), draft_id, data)
        return draft_out(draft_id), 201


@api.route("/working-groups/<uuid:body_id>/join-requests")
@city.rate_limited("20 per hour")
class JoinGroup(MethodView):
    @performs(usecases.ask_to_join)
    @takes(usecases.ask_to_join)
    @api.doc(parameters=[RESIDENT_KEY])
    @api.response(201, JoinRequestOut)
    def post(self, data, body_id):
        """The resident asks to take part in the working group, agreeing to its meeting notices by e-mail; its
        facilitator answers."""
        joined = usecases.ask_to_join(_resident_key(), body_id, data)
        group = dict(usecases.themes())[str(joined.body_id)]
        return {"id": joined.id, "body_id": joined.body_id, "group": group, "consented_at": joined.consented_at,
                "name": usecases.resident_of(_resident_key()).name, "status": joined.status.value,
                "created_at": joined.created_at}, 201


@api.route("/residents/me/sessions")
@open_while_disabled  # where the council disabled the plugin, a resident still reaches their own data
class MySessions(MethodView):
    @performs(usecases.sign_out_everywhere)
    @api.doc(parameters=[RESIDENT_KEY])
    @api.response(204)
    def delete(self):
        """Sign out everywhere: every session and key of the account ends, this one too."""
        usecases.sign_out_everywhere(_resident_key())


@api.route("/residents/password-reset")
@open_while_disabled  # where the council disabled the plugin, a resident still reaches their own data
@city.rate_limited("5 per hour")
class PasswordReset(MethodView):
    @performs(usecases.forgot_password)
    @takes(usecases.forgot_password)
    @api.response(202, AcceptedOut)
    def post(self, data):
        """E-mail a verified account a link to choose a new password (the same answer for any address)."""
        usecases.forgot_password(data)
        return {"message": _("If the address has an account, a link to choose a new password is on its way.")}


@api.route("/flags/<uuid:flag_id>/dismiss")
class DismissFlag(MethodView):
    @performs(usecases.dismiss_flag)
    @api.response(204)
    def post(self, flag_id):
        """The secretariat looked and leaves the text as it is."""
        usecases.dismiss_flag(flag_id)


@api.route("/flags")
class Flags(MethodView):
    @performs(usecases.flags)
    @api.response(200, FlagOut(many=True))
    def get(self):
        """Flags the secretariat has not handled, oldest first."""
        found = usecases.flags()
        return [{"id": f.id, "reason": f.reason.value, "comment_id": f.comment_id, "created_at": f.created_at,
                 "proposal": found["proposals"][f.proposal_id].number if f.proposal_id else None}
                for f in found["flags"]]

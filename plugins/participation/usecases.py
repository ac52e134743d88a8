"""What residents, the secretariat, the working groups and the executive board do with proposals, working groups
and drafts: each a use case with its permission. A resident's own steps (``resident_id``: the account the page's
session holds) are public use cases that refuse anyone not signed in with a verified account."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from konsey.pluginkit import (
    Conflict,
    Forbidden,
    Invalid,
    NewPasswordSchema,
    NotFound,
    Permission,
    city,
    command,
    council_today,
    current_actor,
    current_council,
    current_council_id,
    db,
    external_url,
    loaded,
    parameters_on,
    plugin_config,
    query,
    record,
    send_mail_after_commit,
    utcnow,
    uuid_or_none,
)
from konsey.plugins.participation import rules
from konsey.plugins.participation.models import (
    Comment,
    CommentAnswer,
    Draft,
    DraftKind,
    DraftStatus,
    DraftVersion,
    Flag,
    FlagReason,
    JoinRequest,
    JoinStatus,
    Proposal,
    ProposalEvent,
    ProposalStatus,
    Resident,
    Support,
)
from konsey.plugins.participation.schemas import (
    AssignSchema,
    BylawsDraftSchema,
    CommentAnswerSchema,
    CommentSchema,
    DraftFromReportSchema,
    DraftRevisionSchema,
    FlagSchema,
    ForgottenPasswordSchema,
    GroupJoinSchema,
    MergeSchema,
    MotionLinkSchema,
    ProposalAnswerSchema,
    ReasonSchema,
    ReportLinkSchema,
    ResidentProposalSchema,
    ResidentSignInSchema,
    ResidentSignUpSchema,
)

NAME = "participation"
VERIFY_DAYS = 7
ATTACHMENT_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n", "application/pdf": b"%PDF-"}
ATTACHMENT_MAX = 5 * 1024 * 1024
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


# --- residents' accounts -----------------------------------------------------------------------------------------


def _verifier() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="konsey-participation-verify")


def _fingerprint(*parts: str) -> str:
    """What a link is bound to without carrying it: a new password (or address) voids the links sent before."""
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]


def verification_token(resident: Resident) -> str:
    return _verifier().dumps([str(resident.council_id), str(resident.id),
                              _fingerprint(resident.email, resident.password_hash or "")])


def neighbourhoods() -> list[str]:
    """The municipality's neighbourhoods as the council set them (empty: residents type theirs)."""
    return list(plugin_config(NAME).get("neighbourhoods") or [])


def _check_neighbourhood(name: str, field: str = "neighbourhood") -> str:
    listed = neighbourhoods()
    if listed and name not in listed:
        raise Invalid({field: [_("Choose a neighbourhood of the municipality.")]})
    return name


def _page_url(endpoint: str, **values) -> str:
    return external_url(f"{NAME}.{endpoint}", council_slug=current_council().slug, **values)


@command(None, takes=ResidentSignUpSchema)
def sign_up(data: dict) -> Resident | None:
    """A resident opens an account: name, e-mail, neighbourhood, password, the notice read. A link verifies the
    address. The answer is the same whether the address had an account or not, and takes as long: the owner of a
    verified account is told by e-mail; an account never verified takes what was typed now (whoever holds the
    mailbox confirms it: nobody can hold an address they cannot read), and the links sent before are void."""
    data = loaded(data)
    email = city.normalise_email(data["email"])
    _check_neighbourhood(data["neighbourhood"])
    council = current_council()
    password_hash = city.hash_password(data["password"])  # always: the answer takes as long either way
    resident = db.session.scalar(select(Resident).where(Resident.email == email).with_for_update())
    if resident is not None and resident.verified_at is not None:
        send_mail_after_commit(email, _("Your account with %(council)s", council=council.name),
                               _("Someone tried to open an account with this address, which already has one. "
                                 "Sign in at %(url)s", url=_page_url("sign_in")))
        return None
    if resident is None:
        resident = Resident(email=email)
        try:
            with db.session.begin_nested():  # two sign-ups with one address at once: the second finds the first
                db.session.add(resident)
                _fill(resident, data, password_hash)
        except IntegrityError:
            return None
        record("participation.signed_up", resident, {"notice": data["notice_version"]})
    else:
        _fill(resident, data, password_hash)
        record("participation.sign_up_repeated", resident, {"notice": data["notice_version"]})
    member = city.member_with_email(email)
    resident.member_id = member.id if member is not None else None
    send_mail_after_commit(email, _("Confirm your address for %(council)s", council=council.name),
                           _("Open this link within %(days)d days to confirm your address: %(url)s",
                             days=VERIFY_DAYS, url=_page_url("verify", token=verification_token(resident))))
    return resident


def _fill(resident: Resident, data: dict, password_hash: str) -> None:
    resident.name, resident.neighbourhood, resident.password_hash = data["name"], data["neighbourhood"], password_hash
    resident.notice_version, resident.consented_at = data["notice_version"], utcnow()
    db.session.flush()


@query(None)
def account_to_confirm(token: str) -> Resident:
    """The account a confirmation link names, to show before it is confirmed (a link opened by a mail scanner, or
    by someone who did not sign up, confirms nothing)."""
    return _linked(token)


@command(None)
def verify(token: str) -> Resident:
    """The resident confirms their address, on the page the link opened."""
    resident = _linked(token)
    if resident.verified_at is None:
        resident.verified_at = utcnow()
        record("participation.verified", resident)
    return resident


def _linked(token: str) -> Resident:
    try:
        council_id, resident_id, fingerprint = _verifier().loads(token, max_age=VERIFY_DAYS * 86400)
    except (BadSignature, SignatureExpired, ValueError, TypeError) as error:
        raise Invalid({"token": [_("This link is not valid or has expired. Sign up again.")]}) from error
    resident = db.session.scalar(select(Resident).where(Resident.id == uuid_or_none(resident_id)))
    if council_id != str(current_council_id()) or resident is None \
            or fingerprint != _fingerprint(resident.email, resident.password_hash or ""):
        raise Invalid({"token": [_("This link is not valid or has expired. Sign up again.")]})
    return resident


@query(None)
def sign_in(data: dict) -> Resident:
    """The resident whose address and password these are (verified), or a refusal that does not say which part
    was wrong."""
    from konsey.pluginkit import load  # noqa: PLC0415 - a query loads its input itself here

    data = load(ResidentSignInSchema, data)
    resident = db.session.scalar(select(Resident).where(Resident.email == city.normalise_email(data["email"])))
    if resident is None:
        city.spend_a_password_check(data["password"])
        raise Invalid({"_schema": [_("The e-mail address or the password is wrong.")]})
    if resident.password_hash is None:  # restored from an export: as slow as a wrong password, then refused
        city.spend_a_password_check(data["password"])
    matches, _rehashed = city.password_matches(resident.password_hash, data["password"])
    if not matches:
        raise Invalid({"_schema": [_("The e-mail address or the password is wrong.")]})
    if resident.verified_at is None:
        raise Invalid({"_schema": [_("Confirm your address first: open the link we sent you.")]})
    return resident


def _resets() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="konsey-participation-reset")


@command(None, takes=ForgottenPasswordSchema)
def forgot_password(data: dict) -> None:
    """A link to set a new password, e-mailed to a verified account's address (the answer the same either way);
    valid an hour, and void once used (it is bound to the password it replaces)."""
    email = city.normalise_email(loaded(data)["email"])
    resident = db.session.scalar(select(Resident).where(Resident.email == email))
    if resident is None or resident.verified_at is None:
        return
    token = _resets().dumps([str(resident.council_id), str(resident.id), _fingerprint(resident.password_hash or "")])
    send_mail_after_commit(email, _("A new password for %(council)s", council=current_council().name),
                           _("Open this link within an hour to choose a new password: %(url)s. If you did not ask "
                             "for it, do nothing: your password stays as it is.",
                             url=_page_url("reset_password", token=token)))


def _resetting(token: str) -> Resident:
    try:
        council_id, resident_id, fingerprint = _resets().loads(token, max_age=3600)
    except (BadSignature, SignatureExpired, ValueError, TypeError) as error:
        raise Invalid({"token": [_("This link is not valid or has expired. Ask for a new one.")]}) from error
    resident = db.session.scalar(select(Resident).where(Resident.id == uuid_or_none(resident_id)))
    if council_id != str(current_council_id()) or resident is None \
            or fingerprint != _fingerprint(resident.password_hash or ""):
        raise Invalid({"token": [_("This link is not valid or has expired. Ask for a new one.")]})
    return resident


@query(None)
def check_reset_link(token: str) -> None:
    _resetting(token)


@command(None, takes=NewPasswordSchema)
def reset_password(token: str, data: dict) -> Resident:
    """The resident chooses a new password with the link; every session signed before ends."""
    resident = _resetting(token)
    resident.password_hash = city.hash_password(loaded(data)["password"])
    resident.session_generation += 1
    record("participation.password_reset", resident)
    return resident


def session_key(resident: Resident) -> str:
    """What a page's session keeps of the signed-in resident: the account and its session generation."""
    return f"{resident.id}:{resident.session_generation}"


def resident_of(key: str | None) -> Resident | None:
    """The verified account a session's key names (None: signed out, erased, or a session made before the
    resident signed out everywhere)."""
    resident_id, _sep, generation = (key or "").partition(":")
    if uuid_or_none(resident_id) is None:
        return None
    resident = db.session.scalar(select(Resident).where(Resident.id == uuid_or_none(resident_id)))
    if resident is None or resident.verified_at is None or generation != str(resident.session_generation):
        return None
    return resident


def _signed_in(resident_id) -> Resident:
    resident = resident_of(resident_id)
    if resident is None:
        raise Forbidden(_("Sign in with your resident account first."))
    return resident


@query(None)
def my_data(resident_id) -> dict:
    """Everything the council holds about the signed-in resident (KVKK art. 11: a copy of one's data)."""
    resident = _signed_in(resident_id)
    proposals = db.session.scalars(select(Proposal).where(Proposal.author_id == resident.id)).all()
    supports = db.session.execute(select(Proposal.number, Support.created_at).join(
        Support, Support.proposal_id == Proposal.id).where(Support.resident_id == resident.id)).all()
    comments = db.session.scalars(select(Comment).where(Comment.author_id == resident.id)).all()
    requests = db.session.scalars(select(JoinRequest).where(JoinRequest.resident_id == resident.id)).all()
    return {
        "account": {"name": resident.name, "email": resident.email, "neighbourhood": resident.neighbourhood,
                    "verified_at": _iso(resident.verified_at), "notice_version": resident.notice_version,
                    "consented_at": _iso(resident.consented_at), "created_at": _iso(resident.created_at)},
        "proposals": [{"number": p.number, "title": p.title, "text": p.text, "created_at": _iso(p.created_at)}
                      for p in proposals],
        "supports": [{"proposal": number, "at": _iso(at)} for number, at in supports],
        "comments": [{"draft_id": str(c.draft_id), "paragraph": c.paragraph, "text": c.text,
                      "created_at": _iso(c.created_at)} for c in comments],
        "join_requests": [{"body_id": str(r.body_id), "status": r.status.value, "created_at": _iso(r.created_at),
                           "consented_at": _iso(r.consented_at)} for r in requests],
        "working_groups": [found for r in requests if r.participant_id
                           if (found := city.participation_of(r.participant_id)) is not None],
    }


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


@command(None)
def erase_account(resident_id) -> None:
    """The resident erases their account (KVKK art. 7): the account, their supports and their requests go; what
    they published stays on the public record without their name ("a former resident")."""
    resident = _signed_in(resident_id)
    # Locked in the order of their numbers, as a merge locks them: the two never wait on each other in a circle.
    for proposal in db.session.scalars(select(Proposal).join(Support, Support.proposal_id == Proposal.id)
                                       .where(Support.resident_id == resident.id).order_by(Proposal.number)
                                       .with_for_update(of=Proposal)):
        proposal.supports -= 1
    db.session.execute(delete(Support).where(Support.resident_id == resident.id))
    for request in db.session.scalars(select(JoinRequest).where(JoinRequest.resident_id == resident.id)).all():
        participant_id = request.participant_id
        db.session.delete(request)
        db.session.flush()
        if participant_id is not None:  # the group's record of them, and its meeting notices, go too
            city.erase_participant(participant_id)
    for model in (Proposal, Comment):
        for row in db.session.scalars(select(model).where(model.author_id == resident.id)):
            row.author_id = None
    db.session.flush()
    record("participation.erased", resident)
    db.session.delete(resident)


# --- proposals ---------------------------------------------------------------------------------------------------


def supports_needed() -> int:
    bylaws = parameters_on(council_today())
    return rules.supports_needed(bylaws.get("proposal_supports_needed", 50), bylaws.get("proposal_supports_share"),
                                 city.municipality_population())


def themes() -> list[tuple[str, str]]:
    """(value, name) of the themes a proposal may take: the working groups at work, then "other" (the executive
    board assigns it)."""
    return [*city.working_group_names(), ("other", _("Other"))]


def _event(proposal: Proposal, kind: str, note: str | None = None) -> None:
    db.session.add(ProposalEvent(proposal_id=proposal.id, kind=kind, note=note[:500] if note else None))


def _attachment(upload) -> tuple[str, str, bytes] | None:
    """A photo or a document (JPEG, PNG or PDF, at most 5 MB), its kind checked by its first bytes, not its name."""
    if upload is None:
        return None
    name, content = upload
    if not content:
        return None
    if len(content) > ATTACHMENT_MAX:
        raise Invalid({"attachment": [_("The file is larger than 5 MB.")]})
    kind = next((mime for mime, magic in ATTACHMENT_TYPES.items() if content.startswith(magic)), None)
    if kind is None:
        raise Invalid({"attachment": [_("Attach a photo (JPEG, PNG) or a PDF document.")]})
    # Named in ASCII (a download's header carries it), with the extension its kind has, whatever it was called.
    stem = (name or "").rpartition(".")[0] or name or ""
    safe = f"{city.ascii_slug(stem)[:80] or 'ek'}.{EXTENSIONS[kind]}"
    return safe, kind, content


@command(None, takes=ResidentProposalSchema)
def propose(resident_id, data: dict, upload: tuple[str, bytes] | None = None) -> Proposal:
    """A signed-in resident (or member) proposes something for the city."""
    data = loaded(data)  # as every creation: the input's refusal first (it names the field), then who asks
    resident = _signed_in(resident_id)
    theme = None
    if data["theme"] != "other":
        group = city.working_group(uuid_or_none(data["theme"]))
        if group is None:
            raise Invalid({"theme": [_("Choose one of the themes.")]})
        theme = group.id
    _check_neighbourhood(data["neighbourhood"])
    attached = _attachment(upload)
    number = city.next_number("participation.proposal",
                              lambda: db.session.scalar(select(func.max(Proposal.number))) or 0)
    proposal = Proposal(number=number, title=data["title"], text=data["text"], theme_body_id=theme,
                        neighbourhood=data["neighbourhood"], author_id=resident.id, threshold=supports_needed())
    if attached:
        proposal.attachment_name, proposal.attachment_type, proposal.attachment = attached
    db.session.add(proposal)
    db.session.flush()
    _event(proposal, "proposed")
    record("participation.proposed", proposal, {"number": number})
    return proposal


def _proposal(number: int, *, lock: bool = False) -> Proposal:
    statement = select(Proposal).where(Proposal.number == number)
    proposal = db.session.scalar(statement.with_for_update() if lock else statement)
    if proposal is None:
        raise NotFound()
    return proposal


def _tell(resident_ids, subject: str, text: str) -> None:
    for email in db.session.scalars(select(Resident.email).where(Resident.id.in_(list(resident_ids) or [None]))):
        send_mail_after_commit(email, subject, text)


def _reach_body(proposal: Proposal) -> None:
    """The proposal reached its threshold: onto the agenda of its theme's working group (its next meeting's, where
    one is called), or the executive board's where it has no group; its proposer and supporters are told."""
    proposal.status, proposal.reached_at = ProposalStatus.AT_BODY, utcnow()
    body = city.working_group(proposal.theme_body_id) if proposal.theme_body_id else None
    body = body or city.executive_board()
    proposal.body_id = body.id if body else None
    _event(proposal, "reached", str(proposal.supports))
    meeting = city.put_on_next_agenda(body, _("Proposal %(n)d: %(title)s", n=proposal.number, title=proposal.title)) \
        if body else None
    _event(proposal, "at_body", body.name if body else None)
    if meeting is not None:
        _event(proposal, "on_meeting_agenda", meeting.title)
    record("participation.reached", proposal, {"number": proposal.number, "body": str(body.id) if body else None})
    supporters = db.session.scalars(select(Support.resident_id).where(Support.proposal_id == proposal.id)).all()
    _tell({*supporters, *([proposal.author_id] if proposal.author_id else [])},
          _("Proposal %(n)d reached %(body)s", n=proposal.number, body=body.name if body else "—"),
          _("\"%(title)s\" has the supports it needed and is on the agenda of %(body)s. Follow it at %(url)s",
            title=proposal.title, body=body.name if body else "—",
            url=_page_url("proposal", number=proposal.number)))


@command(None)
def support(resident_id, number: int) -> Proposal:
    """The resident supports the proposal (once); at the threshold it goes to a body."""
    resident = _signed_in(resident_id)
    proposal = _proposal(number, lock=True)  # supports are counted under the proposal's lock
    if proposal.status is not ProposalStatus.OPEN and proposal.status is not ProposalStatus.AT_BODY:
        raise Conflict({"proposal": [_("This proposal no longer takes supports.")]})
    if proposal.hidden_at is not None:
        raise Conflict({"proposal": [_("This proposal is hidden.")]})
    if db.session.scalar(select(Support.id).where(Support.proposal_id == proposal.id,
                                                  Support.resident_id == resident.id)):
        raise Conflict({"proposal": [_("You already support this proposal.")]})
    db.session.add(Support(proposal_id=proposal.id, resident_id=resident.id))
    proposal.supports += 1
    db.session.flush()
    record("participation.supported", proposal, {"number": proposal.number})
    if proposal.status is ProposalStatus.OPEN and proposal.supports >= proposal.threshold:
        _reach_body(proposal)
    return proposal


@command(None)
def withdraw_support(resident_id, number: int) -> Proposal:
    """The resident withdraws their support (a proposal already at a body stays there)."""
    resident = _signed_in(resident_id)
    proposal = _proposal(number, lock=True)
    found = db.session.scalar(select(Support).where(Support.proposal_id == proposal.id,
                                                    Support.resident_id == resident.id))
    if found is None:
        raise Conflict({"proposal": [_("You do not support this proposal.")]})
    db.session.delete(found)
    proposal.supports -= 1
    record("participation.support_withdrawn", proposal, {"number": proposal.number})
    return proposal


@query(None)
def proposals(status: str | None = None, theme: str | None = None, page: int = 1) -> dict:
    """The council's proposals, newest first (hidden ones show their title and the reason only)."""
    statement = select(Proposal).order_by(Proposal.number.desc())
    if status in set(ProposalStatus):
        statement = statement.where(Proposal.status == ProposalStatus(status))
    if theme == "other":
        statement = statement.where(Proposal.theme_body_id.is_(None))
    elif uuid_or_none(theme):
        statement = statement.where(Proposal.theme_body_id == uuid_or_none(theme))
    page = min(max(page, 1), 10_000)
    rows = db.session.scalars(statement.offset((page - 1) * 30).limit(31)).all()
    chosen = themes()
    return {"proposals": rows[:30], "page": page, "more": len(rows) > 30, "status": status, "theme": theme,
            "themes": chosen, "names": _names(rows[:30], chosen)}


def _names(rows, chosen: list[tuple[str, str]]) -> dict:
    """Body and author names for a page of proposals (``chosen``: the themes, read once for the page)."""
    ids = {row.author_id for row in rows if getattr(row, "author_id", None)}
    authors = dict(db.session.execute(select(Resident.id, Resident.name).where(Resident.id.in_(list(ids) or [None]))).all())
    bodies = dict(chosen)
    return {"authors": authors, "bodies": bodies}


@query(None)
def proposal_page(number: int, resident_id=None, *, whole: bool = True) -> dict:
    """A proposal's public page: the proposal, its timeline to the municipality's answer and after, and what the
    signed-in resident may do with it (``whole`` false: the proposal alone, as a list shows it)."""
    proposal = _proposal(number)
    resident = resident_of(resident_id)
    supported = bool(resident and db.session.scalar(select(Support.id).where(
        Support.proposal_id == proposal.id, Support.resident_id == resident.id)))
    merged_into = db.session.get(Proposal, proposal.merged_into_id) if proposal.merged_into_id else None
    author = db.session.get(Resident, proposal.author_id) if proposal.author_id else None
    names = dict(themes())
    report = city.report_trail(proposal.report_id) if whole and proposal.report_id else None
    motion = city.motion_trail(proposal.motion_id) if whole and proposal.motion_id else None
    return {"proposal": proposal, "timeline": timeline(proposal, report, motion) if whole else [],
            "supported": supported, "resident": resident, "paragraphs": rules.paragraphs(proposal.text),
            # A hidden proposal's title may be what was hidden: the public sees its number and the reason.
            "hidden_from_you": proposal.hidden_at is not None and not current_actor().may(Permission.BODIES_MANAGE),
            "author": author.name if author else None, "is_member": bool(author and author.member_id),
            "theme": names.get(str(proposal.theme_body_id), _("Other")), "merged_into": merged_into,
            "group": names.get(str(proposal.body_id)), "report": report, "motion": motion}


def _body_name(body_id, names: dict) -> str | None:
    """The name of the body a proposal is with: a working group's (from ``names``), else the executive board's."""
    if body_id is None:
        return None
    if str(body_id) in names:
        return names[str(body_id)]
    board = city.executive_board()
    return board.name if board is not None and board.id == body_id else None


def timeline(proposal: Proposal, report: dict | None = None, motion: dict | None = None) -> list[dict]:
    """Every step of the proposal, in order: what the plugin recorded, then what the council's bodies and the
    municipality did (``report`` and ``motion``: their trails, read by the caller, else here)."""
    steps = [{"kind": e.kind, "at": city.council_day_of(e.at), "note": e.note} for e in db.session.scalars(
        select(ProposalEvent).where(ProposalEvent.proposal_id == proposal.id).order_by(ProposalEvent.at))]
    if report is None and proposal.report_id:
        report = city.report_trail(proposal.report_id)
    if motion is None and proposal.motion_id:
        motion = city.motion_trail(proposal.motion_id)
    if report and report["adopted"] and not any(step["kind"] == "report_adopted" for step in steps):
        steps.append({"kind": "report_adopted", "at": None, "note": report["title"]})
    if motion:
        decision = motion["decision"]
        if decision:
            steps.append({"kind": "decided", "at": decision["on"],
                          "note": f'{decision["body"]} {decision["number"]}'})
        steps.append({"kind": "motion", "at": city.council_day_of(motion["adopted_at"]),
                      "note": f'{motion["number"]}: {motion["title"]}'})
        if motion["delivered_on"]:
            steps.append({"kind": "delivered", "at": motion["delivered_on"], "note": None})
        if motion["answer"]:
            steps.append({"kind": "municipal_answer", "at": motion["municipal_decided_on"], "note": motion["answer"]})
        steps.extend({"kind": "milestone", "at": m["day"], "note": m["state"]} for m in motion["milestones"])
    return _in_order(steps)


def _in_order(steps: list[dict]) -> list[dict]:
    """The steps by their day (a step without one keeps the day of the step before it); on one day, in the order
    they were told (sorting is stable)."""
    last, keyed = None, []
    for step in steps:
        last = step["at"] or last
        keyed.append((last or date.min, step))
    return [step for _day, step in sorted(keyed, key=lambda pair: pair[0])]


@query(Permission.COUNCIL_VIEW)
def proposal_desk(number: int) -> dict:
    """What the staff's forms on a proposal's page choose from: the working groups, the council's motions, the
    reports of the group it is with."""
    proposal = _proposal(number)
    at_group = proposal.body_id is not None and city.working_group(proposal.body_id) is not None
    return {"groups": themes()[:-1], "motions": city.motions_to_link(), "at_group": at_group,
            "reports": city.reports_of(proposal.body_id) if at_group else []}


@query(None)
def attachment(number: int) -> Proposal:
    proposal = _proposal(number)
    if proposal.attachment is None or proposal.hidden_at is not None:
        raise NotFound()
    return proposal


# --- the secretariat's and the bodies' steps --------------------------------------------------------------------


def _still_open(proposal: Proposal) -> Proposal:
    """A declined or merged proposal is closed: neither answered nor declined again (its reason stays)."""
    if proposal.status in (ProposalStatus.DECLINED, ProposalStatus.MERGED):
        raise Conflict({"proposal": [_("This proposal is already closed.")]})
    return proposal


@command(Permission.BODIES_MANAGE, takes=ProposalAnswerSchema)
def answer_proposal(number: int, data: dict) -> Proposal:
    """The secretariat answers a proposal publicly (the answer is shown on its page; its proposer is told)."""
    proposal = _proposal(number, lock=True)
    text = loaded(data)["text"]
    _still_open(proposal).answer = text
    if proposal.status is ProposalStatus.OPEN:
        proposal.status = ProposalStatus.ANSWERED
    _event(proposal, "answered")
    record("participation.answered", proposal, {"number": number})
    _tell([proposal.author_id] if proposal.author_id else [], _("Proposal %(n)d answered", n=number),
          _("The council answered your proposal: %(url)s", url=_page_url("proposal", number=number)))
    return proposal


@command(Permission.BODIES_MANAGE, takes=ReasonSchema)
def decline_proposal(number: int, data: dict) -> Proposal:
    """The secretariat declines a proposal with a public reason."""
    proposal = _proposal(number, lock=True)
    reason = loaded(data)["reason"]
    _still_open(proposal).status, proposal.answer = ProposalStatus.DECLINED, reason
    _event(proposal, "declined", reason)
    record("participation.declined", proposal, {"number": number})
    _tell([proposal.author_id] if proposal.author_id else [], _("Proposal %(n)d declined", n=number),
          _("The council declined your proposal, and says why: %(url)s", url=_page_url("proposal", number=number)))
    return proposal


@command(Permission.BODIES_MANAGE, takes=MergeSchema)
def merge_proposal(number: int, data: dict) -> Proposal:
    """A duplicate is merged into the proposal it repeats: its supporters support that one (once each)."""
    into_number = loaded(data)["into"]
    if into_number == number:
        _proposal(number)
        raise Invalid({"into": [_("A proposal cannot be merged into itself.")]})
    # Both rows locked, in the order of their numbers: two merges of the same pair at once wait, never deadlock.
    locked = {p.number: p for p in db.session.scalars(select(Proposal).where(
        Proposal.number.in_(sorted({number, into_number}))).order_by(Proposal.number).with_for_update())}
    duplicate, target = locked.get(number), locked.get(into_number)
    if duplicate is None:
        raise NotFound()
    if target is not None and target.hidden_at is not None:  # its page would name what was hidden
        raise Invalid({"into": [_("Choose an open proposal to merge into.")]})
    if target is None or target.status in (ProposalStatus.MERGED, ProposalStatus.DECLINED):
        raise Invalid({"into": [_("Choose an open proposal to merge into.")]})
    _still_open(duplicate)
    already = set(db.session.scalars(select(Support.resident_id).where(Support.proposal_id == target.id)))
    for found in db.session.scalars(select(Support).where(Support.proposal_id == duplicate.id)).all():
        if found.resident_id not in already:
            found.proposal_id = target.id
            target.supports += 1
        else:
            db.session.delete(found)
    duplicate.supports = 0
    duplicate.status, duplicate.merged_into_id = ProposalStatus.MERGED, target.id
    _event(duplicate, "merged", str(target.number))
    _event(target, "merged_in", str(number))
    db.session.flush()
    record("participation.merged", duplicate, {"number": number, "into": target.number})
    if target.status is ProposalStatus.OPEN and target.supports >= target.threshold:
        _reach_body(target)
    return duplicate


@command(Permission.BODIES_MANAGE, takes=AssignSchema)
def assign_proposal(number: int, data: dict) -> Proposal:
    """The executive board gives a proposal on its agenda to a working group."""
    proposal = _proposal(number, lock=True)
    group = city.working_group(loaded(data)["body_id"])
    if group is None:
        raise Invalid({"body_id": [_("Choose a working group at work.")]})
    if proposal.status is not ProposalStatus.AT_BODY:
        raise Conflict({"proposal": [_("Only a proposal on a body's agenda is assigned.")]})
    proposal.body_id = group.id
    city.put_on_next_agenda(group, _("Proposal %(n)d: %(title)s", n=proposal.number, title=proposal.title))
    _event(proposal, "assigned", group.name)
    record("participation.assigned", proposal, {"number": number, "body": str(group.id)})
    return proposal


@command(Permission.REPORTS_WRITE, takes=ReportLinkSchema)
def link_report(number: int, data: dict) -> Proposal:
    """The working group's report on the proposal: one of its reports, or its draft written here."""
    proposal = _proposal(number, lock=True)
    if proposal.status is not ProposalStatus.AT_BODY or proposal.body_id is None:
        raise Conflict({"proposal": [_("A report is written on a proposal on a working group's agenda.")]})
    data = loaded(data)
    group = city.working_group(proposal.body_id)
    if group is None:
        raise Conflict({"proposal": [_("The executive board first gives the proposal to a working group.")]})
    if data.get("report_id"):
        if data["report_id"] not in {r["id"] for r in city.reports_of(group.id)}:
            raise Invalid({"report_id": [_("Choose one of the group's reports.")]})
        proposal.report_id = data["report_id"]
    else:
        proposal.report_id = city.draft_report(group, data["title"], data["text"]).id
    _event(proposal, "report")
    record("participation.report_linked", proposal, {"number": number, "report": str(proposal.report_id)})
    return proposal


@command(Permission.MOTIONS_MANAGE, takes=MotionLinkSchema)
def link_motion(number: int, data: dict) -> Proposal:
    """The motion the decision on the proposal became: its page then follows the municipality's answer."""
    proposal = _proposal(number, lock=True)
    motion_id = loaded(data)["motion_id"]
    if proposal.status is not ProposalStatus.AT_BODY:
        raise Conflict({"proposal": [_("A motion is linked to a proposal that reached a body.")]})
    if motion_id not in {m["id"] for m in city.motions_to_link()}:
        raise Invalid({"motion_id": [_("Choose one of the council's motions.")]})
    proposal.motion_id = motion_id
    record("participation.motion_linked", proposal, {"number": number, "motion": str(motion_id)})
    _tell({*db.session.scalars(select(Support.resident_id).where(Support.proposal_id == proposal.id)),
           *([proposal.author_id] if proposal.author_id else [])},
          _("Proposal %(n)d went to the municipal council", n=number),
          _("The council's decision on \"%(title)s\" went to the municipal council as a motion. Follow it at "
            "%(url)s", title=proposal.title, url=_page_url("proposal", number=number)))
    return proposal


# --- moderation ---------------------------------------------------------------------------------------------------


@command(None, takes=FlagSchema)
def flag_proposal(number: int, data: dict) -> Flag:
    """Anyone flags a proposal for the secretariat to look at."""
    proposal = _proposal(number)
    flag = Flag(proposal_id=proposal.id, reason=FlagReason(loaded(data)["reason"]))
    db.session.add(flag)
    db.session.flush()
    record("participation.flagged", flag, {"proposal": number, "reason": flag.reason.value})
    return flag


@command(None, takes=FlagSchema)
def flag_comment(comment_id: uuid.UUID, data: dict) -> Flag:
    comment = _comment(comment_id)
    flag = Flag(comment_id=comment.id, reason=FlagReason(loaded(data)["reason"]))
    db.session.add(flag)
    db.session.flush()
    record("participation.flagged", flag, {"comment": str(comment.id), "reason": flag.reason.value})
    return flag


@query(Permission.BODIES_MANAGE)
def flags() -> dict:
    """The flags not yet handled, oldest first, with what they point at."""
    rows = db.session.scalars(select(Flag).where(Flag.handled_at.is_(None)).order_by(Flag.created_at).limit(200)).all()
    proposals_by_id = {p.id: p for p in db.session.scalars(select(Proposal).where(
        Proposal.id.in_([f.proposal_id for f in rows if f.proposal_id] or [None])))}
    comments_by_id = {c.id: c for c in db.session.scalars(select(Comment).where(
        Comment.id.in_([f.comment_id for f in rows if f.comment_id] or [None])))}
    return {"flags": rows, "proposals": proposals_by_id, "comments": comments_by_id}


def _handle_flags(**target) -> None:
    for flag in db.session.scalars(select(Flag).filter_by(**target).where(Flag.handled_at.is_(None))):
        flag.handled_at = utcnow()


@command(Permission.BODIES_MANAGE, takes=ReasonSchema)
def hide_proposal(number: int, data: dict) -> Proposal:
    """The secretariat hides a proposal with a stated reason: the reason is public, the author is told, the text
    is kept for the record (never in the audit chain)."""
    proposal = _proposal(number, lock=True)
    if proposal.hidden_at is not None:
        raise Conflict({"proposal": [_("This proposal is already hidden.")]})
    proposal.hidden_reason, proposal.hidden_at = loaded(data)["reason"], utcnow()
    _handle_flags(proposal_id=proposal.id)
    _event(proposal, "hidden", proposal.hidden_reason)
    record("participation.hidden", proposal, {"number": number})
    _tell([proposal.author_id] if proposal.author_id else [], _("Your proposal %(n)d was hidden", n=number),
          _("The council's secretariat hid your proposal. The reason: %(reason)s", reason=proposal.hidden_reason))
    return proposal


@command(Permission.BODIES_MANAGE, takes=ReasonSchema)
def hide_comment(comment_id: uuid.UUID, data: dict) -> Comment:
    comment = _comment(comment_id)
    if comment.hidden_at is not None:
        raise Conflict({"comment": [_("This comment is already hidden.")]})
    comment.hidden_reason, comment.hidden_at = loaded(data)["reason"], utcnow()
    _handle_flags(comment_id=comment.id)
    record("participation.comment_hidden", comment, {"draft": str(comment.draft_id)})
    _tell([comment.author_id] if comment.author_id else [], _("Your comment was hidden"),
          _("The council's secretariat hid your comment. The reason: %(reason)s", reason=comment.hidden_reason))
    return comment


@command(Permission.BODIES_MANAGE)
def dismiss_flag(flag_id: uuid.UUID) -> Flag:
    """The secretariat looked and leaves the text as it is."""
    flag = db.session.scalar(select(Flag).where(Flag.id == flag_id))
    if flag is None:
        raise NotFound()
    flag.handled_at = utcnow()
    record("participation.flag_dismissed", flag)
    return flag


# --- working groups open to residents ----------------------------------------------------------------------------


@query(None)
def working_groups(resident_id=None) -> dict:
    resident = resident_of(resident_id)
    asked = {}
    if resident is not None:
        asked = {r.body_id: r.status.value for r in db.session.scalars(
            select(JoinRequest).where(JoinRequest.resident_id == resident.id))}
    return {"groups": city.working_groups(), "asked": asked, "resident": resident}


@command(None, takes=GroupJoinSchema)
def ask_to_join(resident_id, body_id: uuid.UUID, data: dict | None = None) -> JoinRequest:
    """The resident asks to take part in a working group, agreeing to being contacted by it (its meeting notices
    by e-mail); its facilitator answers."""
    resident = _signed_in(resident_id)
    group = city.working_group(body_id)
    if group is None:
        raise NotFound()
    loaded(data or {})
    if db.session.scalar(select(JoinRequest.id).where(JoinRequest.body_id == group.id,
                                                      JoinRequest.resident_id == resident.id,
                                                      JoinRequest.status != JoinStatus.DECLINED)):
        raise Conflict({"body_id": [_("You have already asked to join this group.")]})
    request = JoinRequest(body_id=group.id, resident_id=resident.id, consented_at=utcnow())
    db.session.add(request)
    db.session.flush()
    record("participation.join_asked", request, {"body": str(group.id)})
    return request


@query(Permission.REPORTS_WRITE)
def join_requests() -> list[dict]:
    """Requests to join the working groups waiting for their facilitators."""
    rows = db.session.execute(select(JoinRequest, Resident.name).join(Resident, Resident.id == JoinRequest.resident_id)
                              .where(JoinRequest.status == JoinStatus.PENDING).order_by(JoinRequest.created_at)).all()
    names = dict(city.working_group_names())
    return [{"id": r.id, "body_id": r.body_id, "group": names.get(str(r.body_id), "—"), "name": name,
             "status": r.status.value, "created_at": r.created_at} for r, name in rows]


def _join_request(request_id: uuid.UUID) -> JoinRequest:
    request = db.session.scalar(select(JoinRequest).where(JoinRequest.id == request_id).with_for_update())
    if request is None:
        raise NotFound()
    if request.status is not JoinStatus.PENDING:
        raise Conflict({"request": [_("This request has been decided already.")]})
    return request


@command(Permission.REPORTS_WRITE)
def accept_join_request(request_id: uuid.UUID) -> JoinRequest:
    """The facilitator accepts: the resident takes part in the group (its meeting notices reach them)."""
    request = _join_request(request_id)
    resident = db.session.get(Resident, request.resident_id)
    group = city.working_group(request.body_id)
    if group is None:
        raise Conflict({"request": [_("This working group is not at work.")]})
    participant = city.add_participant(group, resident.name, resident.email, consented=request.consented_at is not None)
    request.status, request.decided_at, request.participant_id = JoinStatus.ACCEPTED, utcnow(), participant.id
    record("participation.join_accepted", request, {"body": str(group.id)})
    send_mail_after_commit(resident.email, _("Welcome to %(group)s", group=group.name),
                           _("You take part in %(group)s from today: its meeting notices will reach you here.",
                             group=group.name))
    return request


@command(Permission.REPORTS_WRITE)
def decline_join_request(request_id: uuid.UUID) -> JoinRequest:
    request = _join_request(request_id)
    request.status, request.decided_at = JoinStatus.DECLINED, utcnow()
    record("participation.join_declined", request, {"body": str(request.body_id)})
    return request


# --- drafts for public comment ------------------------------------------------------------------------------------


def _closing_day(closes_on: date, field: str = "closes_on") -> date:
    today = council_today()
    if closes_on < today + timedelta(days=1):
        raise Invalid({field: [_("A comment period ends after today.")]})
    if closes_on > today + timedelta(days=180):
        raise Invalid({field: [_("A comment period lasts at most 180 days.")]})
    return closes_on


def _publish(kind: DraftKind, title: str, body_id, text: str, closes_on: date, report_id=None) -> Draft:
    draft = Draft(kind=kind, title=title, body_id=body_id, report_id=report_id, opens_on=council_today(),
                  closes_on=closes_on)
    db.session.add(draft)
    db.session.flush()
    db.session.add(DraftVersion(draft_id=draft.id, version=1, text=text))
    db.session.flush()
    record("participation.draft_published", draft, {"kind": kind.value, "closes_on": closes_on.isoformat()})
    return draft


@command(Permission.REPORTS_WRITE, takes=DraftFromReportSchema)
def publish_report_draft(number: int, data: dict) -> Draft:
    """The working group publishes its draft report on a proposal for public comment until ``closes_on``."""
    proposal = _proposal(number)
    if proposal.report_id is None:
        raise Conflict({"proposal": [_("Write or link the group's report first.")]})
    closes_on = _closing_day(loaded(data)["closes_on"])
    report = city.report_trail(proposal.report_id)
    if report["adopted"]:
        raise Conflict({"proposal": [_("The group has adopted this report already.")]})
    if db.session.scalar(select(Draft.id).where(Draft.report_id == proposal.report_id,
                                                Draft.status != DraftStatus.ADOPTED)):
        raise Conflict({"proposal": [_("The group's draft report is open for comment already.")]})
    text = city.report_text(proposal.report_id)
    return _publish(DraftKind.REPORT, report["title"], proposal.body_id, text, closes_on, proposal.report_id)


@command(Permission.BYLAWS_MANAGE, takes=BylawsDraftSchema)
def publish_bylaws_draft(data: dict) -> Draft:
    """The executive board publishes a draft of the by-laws for public comment."""
    data = loaded(data)
    board = city.executive_board()
    if board is None:
        raise Conflict({"_schema": [_("The council has no executive board yet.")]})
    return _publish(DraftKind.BYLAWS, data["title"], board.id, data["text"], _closing_day(data["closes_on"]))


def _draft(draft_id: uuid.UUID, *, lock: bool = False, answering: bool = False) -> Draft:
    """The draft; ``answering``: for a step of its publisher's (answer, revise, close, adopt), which on a draft of
    the by-laws is the executive board's (who may manage the by-laws), not a working group's facilitator's."""
    statement = select(Draft).where(Draft.id == draft_id)
    draft = db.session.scalar(statement.with_for_update() if lock else statement)
    if draft is None:
        raise NotFound()
    if answering and draft.kind is DraftKind.BYLAWS and not current_actor().may(Permission.BYLAWS_MANAGE):
        raise Forbidden(_("You are not allowed to do this."))
    return draft


def _versions(draft: Draft) -> list[DraftVersion]:
    return db.session.scalars(select(DraftVersion).where(DraftVersion.draft_id == draft.id)
                              .order_by(DraftVersion.version)).all()


def is_open(draft: Draft) -> bool:
    return rules.open_for_comment(draft.status.value, draft.closes_on, council_today())


@query(None)
def drafts() -> list[Draft]:
    return db.session.scalars(select(Draft).order_by(Draft.created_at.desc()).limit(100)).all()


@query(None)
def draft_page(draft_id: uuid.UUID, resident_id=None) -> dict:
    draft = _draft(draft_id)
    versions = _versions(draft)
    comments = db.session.scalars(select(Comment).where(Comment.draft_id == draft.id)
                                  .order_by(Comment.version, Comment.paragraph, Comment.created_at)).all()
    authors = dict(db.session.execute(select(Resident.id, Resident.name).where(
        Resident.id.in_([c.author_id for c in comments if c.author_id] or [None]))).all())
    body = _body_name(draft.body_id, dict(city.working_group_names())) or "—"
    latest = versions[-1]
    return {"draft": draft, "versions": versions, "latest": latest, "paragraphs": rules.paragraphs(latest.text),
            "comments": comments, "authors": authors, "open": is_open(draft), "body": body,
            "resident": resident_of(resident_id),
            "unanswered": sum(1 for c in comments if c.answer is None and c.hidden_at is None)}


@command(None, takes=CommentSchema)
def comment(resident_id, draft_id: uuid.UUID, data: dict) -> Comment:
    """A signed-in resident comments on a paragraph of the draft's latest version, while it is open."""
    resident = _signed_in(resident_id)
    draft = _draft(draft_id)
    data = loaded(data)
    if not is_open(draft):
        raise Conflict({"draft": [_("This draft no longer takes comments.")]})
    latest = _versions(draft)[-1]
    if data["paragraph"] > len(rules.paragraphs(latest.text)):
        raise Invalid({"paragraph": [_("Choose one of the draft's paragraphs.")]})
    row = Comment(draft_id=draft.id, version=latest.version, paragraph=data["paragraph"], author_id=resident.id,
                  text=data["text"])
    db.session.add(row)
    db.session.flush()
    record("participation.commented", row, {"draft": str(draft.id), "paragraph": data["paragraph"]})
    return row


def _comment(comment_id: uuid.UUID) -> Comment:
    found = db.session.scalar(select(Comment).where(Comment.id == comment_id))
    if found is None:
        raise NotFound()
    return found


@command(Permission.REPORTS_WRITE, takes=CommentAnswerSchema)
def answer_comment(comment_id: uuid.UUID, data: dict) -> Comment:
    """The group (or the board) answers a comment: taken in, or not taken with its reason; the author is told."""
    found = _comment(comment_id)
    data = loaded(data)
    draft = _draft(found.draft_id, answering=True)
    if draft.status is DraftStatus.ADOPTED:
        raise Conflict({"comment": [_("The text is adopted: its comments' answers are on the record.")]})
    found.answer, found.answer_reason, found.answered_at = CommentAnswer(data["answer"]), data.get("reason"), utcnow()
    record("participation.comment_answered", found, {"answer": data["answer"]})
    _tell([found.author_id] if found.author_id else [], _("Your comment on \"%(title)s\" was answered", title=draft.title),
          _("Read the answer at %(url)s", url=_page_url("draft", draft_id=draft.id)))
    return found


@command(Permission.REPORTS_WRITE, takes=DraftRevisionSchema)
def revise_draft(draft_id: uuid.UUID, data: dict) -> DraftVersion:
    """A new version of the draft (comments stay with the version they were written on)."""
    draft = _draft(draft_id, lock=True, answering=True)
    if draft.status is DraftStatus.ADOPTED:
        raise Conflict({"draft": [_("An adopted text is not revised.")]})
    latest = _versions(draft)[-1]
    version = DraftVersion(draft_id=draft.id, version=latest.version + 1, text=loaded(data)["text"])
    db.session.add(version)
    db.session.flush()
    record("participation.draft_revised", draft, {"version": version.version})
    return version


@command(Permission.REPORTS_WRITE)
def adopt_draft(draft_id: uuid.UUID) -> Draft:
    """The group adopts the text once its comment period is over and every comment is answered; a report's last
    version becomes the group's adopted report."""
    draft = _draft(draft_id, lock=True, answering=True)
    if draft.status is DraftStatus.ADOPTED:
        raise Conflict({"draft": [_("This text is adopted already.")]})
    if is_open(draft):
        raise Conflict({"draft": [_("The comment period ends on %(day)s.", day=draft.closes_on.strftime("%d.%m.%Y"))]})
    unanswered = db.session.scalar(select(func.count()).select_from(Comment).where(
        Comment.draft_id == draft.id, Comment.answer.is_(None), Comment.hidden_at.is_(None)))
    if unanswered:
        raise Conflict({"draft": [_("Answer every comment first (%(n)d left).", n=unanswered)]})
    draft.status = DraftStatus.ADOPTED
    if draft.report_id is not None:
        city.adopt_report(draft.report_id, _versions(draft)[-1].text)
        for proposal in db.session.scalars(select(Proposal).where(Proposal.report_id == draft.report_id)):
            _event(proposal, "report_adopted", draft.title)
    record("participation.draft_adopted", draft, {"kind": draft.kind.value})
    return draft


@command(Permission.REPORTS_WRITE)
def close_comments(draft_id: uuid.UUID) -> Draft:
    """The group ends the comment period today (it said when it would; this is for a period it ends early)."""
    draft = _draft(draft_id, lock=True, answering=True)
    if draft.status is not DraftStatus.OPEN:
        raise Conflict({"draft": [_("This draft no longer takes comments.")]})
    draft.status = DraftStatus.CLOSED
    record("participation.draft_closed", draft)
    return draft


# --- the federation's indicators ----------------------------------------------------------------------------------


def indicators() -> dict:
    """The council's participation in figures (aggregates; each suppressed where fewer than five proposals stand
    behind it)."""
    shown = db.session.scalars(select(Proposal).where(Proposal.hidden_at.is_(None),
                                                      Proposal.status != ProposalStatus.MERGED)).all()
    reached = [p for p in shown if p.reached_at is not None]
    to_decision, to_motion = [], []
    for proposal in reached:
        motion = city.motion_trail(proposal.motion_id) if proposal.motion_id else None
        if motion is None:
            continue
        start = city.council_day_of(proposal.reached_at)
        if motion["decision"] and motion["decision"]["on"]:
            to_decision.append((start, motion["decision"]["on"]))
        to_motion.append((start, city.council_day_of(motion["adopted_at"])))
    return {
        "proposals_per_10000": city.suppress(rules.per_10000(len(shown), city.municipality_population()), len(shown)),
        "proposals_reaching_a_body_share": city.suppress_share(len(reached), len(shown)),
        "median_days_to_decision": city.suppress(rules.median_days(to_decision), len(to_decision)),
        "median_days_to_motion": city.suppress(rules.median_days(to_motion), len(to_motion)),
    }


@command(None)
def sign_out_everywhere(key: str | None) -> None:
    """Every session of the account ends (this one too)."""
    resident = resident_of(key)
    if resident is not None:
        resident.session_generation += 1
        record("participation.signed_out_everywhere", resident)


# --- a resident's key for the API -----------------------------------------------------------------------------------

API_KEY_DAYS = 30


def _api_keys() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="konsey-participation-api")


def api_key(resident: Resident) -> str:
    """A key for an app acting for the resident (the ``X-Resident-Token`` header): the council, the account and its
    session generation, signed; 30 days, and void at once when the resident signs out everywhere or is erased."""
    return _api_keys().dumps([str(resident.council_id), session_key(resident)])


def key_of_api_key(token: str | None) -> str | None:
    """The session key an API key stands for, in the bound council (None: forged, expired, another council's)."""
    try:
        council_id, key = _api_keys().loads(token or "", max_age=API_KEY_DAYS * 86400)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    return key if council_id == str(current_council_id()) and isinstance(key, str) else None

"""A person's second factor: enrolling an authenticator app, the recovery codes, and the second step of signing in;
a council's choice to require it of its staff."""

from __future__ import annotations

import uuid

import segno
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from webauthn.helpers.exceptions import InvalidRegistrationResponse

from konsey.core import second_factors, sms
from konsey.core.accounts import User, council_ids_of, find_user_by_email
from konsey.core.audit import record
from konsey.core.errors import Conflict, Invalid, NotFound
from konsey.core.identifiers import mobile_number
from konsey.core.permissions import Permission
from konsey.core.text import turkish_sort_key
from konsey.schemas.account import (
    NewPasskeySchema,
    SecondFactorCodeSchema,
    SecondFactorRequirementSchema,
    SignInCodeSchema,
    SmsCodeSchema,
    SmsFactorSchema,
    SmsSecondFactorPolicySchema,
)
from konsey.tenants.db import db, lock
from konsey.tenants.models import Council
from konsey.tenants.platform_audit import record_platform_event
from konsey.tenants.scoping import bound_council, current_council_id
from konsey.usecases.base import command, current_actor, loaded, query


def _me() -> User:
    user = db.session.get(User, current_actor().user_id)
    if user is None:
        raise NotFound(_("No such account."))
    return user


@query(Permission.ACCOUNT_SECURITY)
def status() -> dict:
    """Whether the person has an authenticator enrolled, their passkeys, and how many recovery codes are left."""
    me = _me()
    factor, by_sms = second_factors.enrolled(me.id), second_factors.sms_factor(me.id)
    pending = db.session.scalar(select(second_factors.SecondFactor).where(
        second_factors.SecondFactor.user_id == me.id, second_factors.SecondFactor.kind == "sms",
        second_factors.SecondFactor.confirmed_at.is_(None)))
    return {"enrolled": factor is not None, "since": factor.confirmed_at if factor else None,
            "passkeys": second_factors.passkeys_of(me.id),
            "recovery_codes_left": second_factors.recovery_codes_left(me.id),
            "sms": {"number_end": second_factors.number_of(by_sms)[-2:],
                    "council": db.session.get(Council, by_sms.council_id)} if by_sms else None,
            "sms_pending": {"id": pending.id, "number_end": second_factors.number_of(pending)[-2:]}
            if pending else None,
            "sms_councils": sms_councils_of(me)}


def sms_councils_of(user: User) -> list[Council]:
    """The person's councils that let staff take codes by SMS and have an SMS account to send them with."""
    allowing = db.session.scalars(select(Council).where(Council.id.in_(council_ids_of(user)),
                                                        Council.allow_sms_second_factor)).all()
    sending = []
    for council in allowing:
        with bound_council(council.id):
            if sms.settings() is not None:
                sending.append(council)
    return sorted(sending, key=lambda council: turkish_sort_key(council.name))


def _sms_usable(factor: second_factors.SecondFactor | None, user: User) -> bool:
    """Whether codes by SMS may go to this factor's number now: its council still allows them, still has an SMS
    account to send them with (at its cost), and the person still has a role there."""
    if factor is None or factor.council_id not in set(council_ids_of(user)):
        return False
    council = db.session.get(Council, factor.council_id)
    if council is None or not council.allow_sms_second_factor:
        return False
    with bound_council(council.id):
        return sms.settings() is not None


def _text_code(factor: second_factors.SecondFactor, user: User) -> str:
    """Send a fresh code to the factor's number through its council's SMS account; the number's last two digits."""
    if not _sms_usable(factor, user):
        raise Conflict({"code": [_("Codes by SMS are no longer allowed: use your authenticator app, a passkey or a "
                                   "recovery code.")]})
    lock(factor)  # two presses at once: one code
    code = factor.code_to_send()
    council = db.session.get(Council, factor.council_id)
    number = second_factors.number_of(factor)
    with bound_council(council.id), force_locale(user.locale or council.locale or "tr"):
        sms.queue(number, _("%(code)s is your Konsey sign-in code. It is good for 5 minutes; do not tell it to anyone.",
                            code=code), sms.SIGN_IN_CODE)
    return number[-2:]


@command(Permission.ACCOUNT_SECURITY, takes=SmsFactorSchema)
def start_sms(data: dict) -> str:
    """Codes by SMS as a second factor: the mobile number, to be confirmed with the code sent to it now through
    the chosen council's SMS account; the number's last two digits."""
    me = _me()
    data = loaded(data)
    council = next((c for c in sms_councils_of(me) if c.id == data["council_id"]), None)
    if council is None:
        raise Invalid({"council_id": [_("This council does not send sign-in codes by SMS.")]})
    number = mobile_number(data["mobile"])
    if number is None:
        raise Invalid({"mobile": [_("Type a Turkish mobile number, such as 0532 123 45 67.")]})
    return _text_code(second_factors.start_sms(me.id, council.id, number), me)


@command(Permission.ACCOUNT_SECURITY, takes=SmsCodeSchema)
def confirm_sms(factor_id: uuid.UUID, data: dict) -> list[str]:
    """The number is confirmed when the code sent to it is typed back; recovery codes if the person had none."""
    me = _me()
    factor = db.session.get(second_factors.SecondFactor, factor_id)
    if factor is None or factor.user_id != me.id or factor.kind != "sms" or factor.confirmed_at is not None:
        raise NotFound(_("Start adding the mobile number again."))
    lock(factor)  # two tries at once take their turns
    codes = second_factors.confirm_sms(factor, loaded(data)["code"])
    if codes is None:
        db.session.commit()  # the wrong try counts (five spend the code)
        raise Invalid({"code": [_("This code is not right, or no longer good. Type the last code sent, or start "
                                  "again.")]})
    record_platform_event("second_factor.enrolled", actor_id=me.id, details={"kind": "sms"})
    return codes


@command(Permission.ACCOUNT_SECURITY)
def remove_sms() -> None:
    """No more codes by SMS for this person."""
    me = _me()
    factor = second_factors.sms_factor(me.id)
    if factor is None:
        raise Conflict({"sms": [_("No mobile number receives your codes.")]})
    if not (second_factors.enrolled(me.id) or second_factors.passkeys_of(me.id)) and _required_of(me):
        raise Conflict({"sms": [_("Your role requires a second factor: set up an authenticator app or a passkey "
                                  "first.")]})
    db.session.delete(factor)
    record_platform_event("second_factor.removed", actor_id=me.id, details={"kind": "sms"})


def _required_of(user: User) -> bool:
    return bool(db.session.scalar(select(Council.id).where(Council.id.in_(council_ids_of(user)),
                                                           Council.require_two_factor).limit(1)))


@command(None)
def send_sign_in_code(user_id: uuid.UUID) -> str:
    """The second step of signing in, by SMS: a code to the person's number (one a minute); its last two digits."""
    user = db.session.get(User, user_id)
    factor = second_factors.sms_factor(user_id) if user is not None else None
    if factor is None:
        raise Invalid({"code": [_("Sign in again.")]})
    end = _text_code(factor, user)
    record_platform_event("second_factor.code_sent", actor_id=user_id, details={"kind": "sms"})
    return end


@query(None)
def sms_number_end(user_id: uuid.UUID) -> str | None:
    """The last two digits of the number the person's sign-in codes go to, where their council still allows it."""
    factor = second_factors.sms_factor(user_id)
    user = db.session.get(User, user_id)
    return second_factors.number_of(factor)[-2:] if user is not None and _sms_usable(factor, user) else None


@command(Permission.ACCOUNT_SECURITY)
def passkey_options(rp_id: str) -> tuple[str, bytes]:
    """What the browser needs to make a passkey for this site (and the challenge its answer must carry)."""
    me = _me()
    return second_factors.registration_options(me.id, me.email, me.display_name, rp_id)


@command(Permission.ACCOUNT_SECURITY, takes=NewPasskeySchema)
def add_passkey(data: dict, challenge: bytes | None, rp_id: str, origin: str) -> list[str] | None:
    """Keep the passkey the browser made; the recovery codes if the person had none yet (shown once)."""
    me = _me()
    data = loaded(data)
    if challenge is None:
        raise Invalid({"credential": [_("Start adding the passkey again.")]})
    try:
        second_factors.register_passkey(me.id, data["credential"], challenge, rp_id, origin, data["name"])
    except InvalidRegistrationResponse as error:
        raise Invalid({"credential": [_("The browser's answer could not be checked: add the passkey again.")]}) \
            from error
    record_platform_event("second_factor.enrolled", actor_id=me.id, details={"kind": "passkey"})
    codes = None
    if second_factors.recovery_codes_left(me.id) == 0:
        codes = second_factors.new_recovery_codes(me.id)
    return codes


@query(None)
def passkey_sign_in_options(user_id: uuid.UUID, rp_id: str) -> tuple[str, bytes]:
    return second_factors.authentication_options(user_id, rp_id)


@command(None)
def second_step_with_passkey(user_id: uuid.UUID, credential: dict, challenge: bytes | None, rp_id: str,
                             origin: str) -> User:
    """The second step of signing in with one of the person's passkeys."""
    user = db.session.get(User, user_id)
    if user is None or challenge is None or not isinstance(credential, dict) or \
            not second_factors.check_passkey(user_id, credential, challenge, rp_id, origin):
        _refused(user_id, "credential", _("The passkey was not accepted. Try again, or type a code."),
                 {"kind": "passkey"})
    record_platform_event("second_factor.used", actor_id=user_id, details={"kind": "passkey"})
    return user


def _setup(factor: second_factors.SecondFactor, me: User) -> dict:
    uri = second_factors.provisioning_uri(factor, me.email)
    return {"factor_id": factor.id, "secret": second_factors.secret_of(factor), "uri": uri,
            "qr": segno.make(uri, error="m").svg_data_uri(scale=4, border=2)}


@command(Permission.ACCOUNT_SECURITY)
def start_authenticator() -> dict:
    """A new authenticator secret, to be scanned (a QR code) or typed into the app, then confirmed with a code."""
    me = _me()
    factor, _secret = second_factors.start_enrolment(me.id)
    return _setup(factor, me)


@query(Permission.ACCOUNT_SECURITY)
def authenticator_again(factor_id: uuid.UUID) -> dict:
    """The key being set up, shown again (a mistyped code): the app already holds it."""
    me = _me()
    factor = db.session.get(second_factors.SecondFactor, factor_id)
    if factor is None or factor.user_id != me.id or factor.kind != "totp" or factor.confirmed_at is not None:
        raise NotFound(_("Start setting up the authenticator again."))
    return _setup(factor, me)


@command(Permission.ACCOUNT_SECURITY, takes=SecondFactorCodeSchema)
def confirm_authenticator(factor_id: uuid.UUID, data: dict) -> list[str]:
    """The app is set up when a code from it is typed back: the recovery codes are given once, here."""
    me = _me()
    factor = db.session.get(second_factors.SecondFactor, factor_id)
    if factor is None or factor.user_id != me.id or factor.kind != "totp":
        raise NotFound(_("Start setting up the authenticator again."))
    if factor.confirmed_at is not None:
        raise Conflict({"code": [_("This authenticator is already set up.")]})
    codes = second_factors.confirm(factor, loaded(data)["code"])
    if codes is None:
        raise Invalid({"code": [_("This code is not the app's code of the moment; type the one it shows now.")]})
    record_platform_event("second_factor.enrolled", actor_id=me.id, details={"kind": "totp"})
    return codes


@command(Permission.ACCOUNT_SECURITY)
def new_recovery_codes() -> list[str]:
    me = _me()
    if not second_factors.has_any(me.id):
        raise Conflict({"recovery_codes": [_("Set up an authenticator first.")]})
    record_platform_event("second_factor.recovery_codes_renewed", actor_id=me.id)
    return second_factors.new_recovery_codes(me.id)


def _refused(user_id: uuid.UUID, field: str, message: str, details: dict | None = None) -> None:
    """Refuse a second step, the refusal audited and kept although the use case's unit of work rolls back."""
    record_platform_event("second_factor.refused", actor_id=user_id, details=details)
    db.session.commit()
    raise Invalid({field: [message]})


@command(None, takes=SignInCodeSchema)
def second_step(user_id: uuid.UUID, data: dict) -> tuple[User, str | None]:
    """The second step of signing in: a code of the person's authenticator (or one of their recovery codes). The
    person, and a token for the device if they asked to be remembered on it for 30 days. A wrong code is refused
    on the field and audited (the rate limit and the page's count of attempts stop guessing)."""
    data = loaded(data)
    user = db.session.get(User, user_id)
    if user is None or not second_factors.has_any(user_id):
        raise Invalid({"code": [_("Sign in again.")]})
    factor, code = second_factors.enrolled(user_id), data["code"]
    by_sms = second_factors.sms_factor(user_id)
    if not _sms_usable(by_sms, user):
        by_sms = None  # its council no longer allows codes by SMS (or the person left it): a code sent is void
    if factor is not None and second_factors.check_code(lock(factor), code):
        how = "totp"
    elif by_sms is not None and lock(by_sms).use_code(code):
        how = "sms"
    elif second_factors.use_recovery_code(user_id, code):
        how = "recovery_code"
    else:
        _refused(user_id, "code", _("This code is not right. Type the code your app shows now, the code sent by SMS, "
                                    "or a recovery code."))
    record_platform_event("second_factor.used", actor_id=user_id, details={"kind": how})
    device = second_factors.remember_device(user_id) if data["remember"] else None
    return user, device


@query(None)
def device_remembered(user_id: uuid.UUID, token: str | None) -> bool:
    return second_factors.device_remembered(user_id, token)


@query(None)
def has_second_factor(user_id: uuid.UUID) -> bool:
    return second_factors.has_any(user_id)


@query(None)
def has_passkeys(user_id: uuid.UUID) -> bool:
    return bool(second_factors.passkeys_of(user_id))


@command(Permission.SYSTEM)
def reset_second_factor(email: str) -> None:
    """The operator removes a person's second factor (a lost phone, no recovery code left), at the command line."""
    user = find_user_by_email(email)
    if user is None:
        raise NotFound(_("No such account."))
    second_factors.remove(user.id)
    user.end_sessions()  # whoever holds a session signed in with the lost phone is signed out
    record_platform_event("second_factor.reset", details={"user": str(user.id)})


@command(Permission.ROLES_MANAGE, takes=SmsSecondFactorPolicySchema)
def allow_sms_second_factor(data: dict) -> Council:
    """The council lets its staff take a code sent by SMS (through its SMS account, at its cost) as their second
    factor, or no longer does (their numbers stay, unused, until it does again)."""
    council = db.session.get(Council, current_council_id())
    council.allow_sms_second_factor = loaded(data)["allowed"]
    record("council.sms_second_factor_allowed" if council.allow_sms_second_factor
           else "council.sms_second_factor_refused", None)
    return council


@command(Permission.ROLES_MANAGE, takes=SecondFactorRequirementSchema)
def require_second_factor(data: dict) -> Council:
    """The council requires a second factor of everyone with a role in it (its staff), or no longer does."""
    council = db.session.get(Council, current_council_id())
    council.require_two_factor = loaded(data)["required"]
    record("council.two_factor_required" if council.require_two_factor else "council.two_factor_optional", None)
    return council

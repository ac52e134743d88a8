"""Confirming who holds a phone before they take part in a meeting whose by-laws ask for it (``strong_sign_in_for``;
Associations Regulation art. 15/A): a code sent by SMS to the number on file, or a passkey the member added on their
phone after a first confirmation. The phone then holds a confirmed key for the meeting day (konsey.core.passes).

Public steps, as the rest of the phone's: the link's key opens one person's pass in the council the address names."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from webauthn.helpers.exceptions import InvalidRegistrationResponse

from konsey.core import member_passkeys, passes, sms
from konsey.core.audit import record
from konsey.core.errors import Invalid
from konsey.core.meetings import Meeting
from konsey.schemas.account import NewPasskeySchema, SmsCodeSchema
from konsey.tenants.db import db
from konsey.usecases.base import command, loaded, query


@dataclass
class Confirmation:
    meeting: Meeting
    needed: bool  # the by-laws ask this meeting's phones to confirm their holder
    number_end: str | None  # the last two digits of the number a code goes to (None: no number on file)
    by_sms: bool  # the council sends SMS
    passkeys: bool  # the member added a passkey
    wait_seconds: int  # before another code may be sent


@query(None)
def confirmation(token: str) -> Confirmation:
    """What the phone can confirm its holder with."""
    meeting_pass, meeting_row, member = passes.holder_of(token, confirming=True)
    number = passes.number_for(meeting_row, member)
    return Confirmation(meeting_row, passes.confirmation_needed(meeting_row), number[-2:] if number else None,
                        sms.settings() is not None, bool(member_passkeys.of_member(member.id)),
                        meeting_pass.seconds_to_wait())


@command(None)
def send_code(token: str) -> str:
    """Text a code to the holder's number on file (one a minute); the number's last two digits."""
    meeting_pass, meeting_row, member = passes.holder_of(token, confirming=True)
    return passes.send_code(meeting_pass, meeting_row, member)


@command(None, takes=SmsCodeSchema)
def confirm_with_code(token: str, data: dict) -> str:
    """The code typed back: the confirmed phone's key. A wrong code counts as a try, kept although the unit of work
    rolls back (five spend the code)."""
    meeting_pass, meeting_row, member = passes.holder_of(token, confirming=True)
    data = loaded(data)
    confirmed = passes.confirm_with_code(meeting_pass, meeting_row, member, data["code"])
    if confirmed is None:
        db.session.commit()
        raise Invalid({"code": [_("This code is not right, or no longer good. Type the last code sent, or ask for "
                                  "a new one.")]})
    return confirmed


@command(None)
def passkey_options(token: str, rp_id: str) -> tuple[str, bytes]:
    """The challenge one of the member's passkeys is to sign."""
    _pass, _meeting, member = passes.holder_of(token, confirming=True)
    return member_passkeys.authentication_options(member, rp_id)


@command(None)
def confirm_with_passkey(token: str, credential: dict, challenge: bytes | None, rp_id: str, origin: str) -> str:
    """The member's passkey signed the challenge: the confirmed phone's key."""
    meeting_pass, meeting_row, member = passes.holder_of(token, confirming=True)
    if challenge is None or not isinstance(credential, dict) or \
            not member_passkeys.signed_by_member(member, credential, challenge, rp_id, origin):
        record("meeting.confirmation_refused", meeting_row, {"how": "passkey", "member": str(member.id)})
        db.session.commit()
        raise Invalid({"credential": [_("The passkey was not accepted. Try again, or ask for a code by SMS.")]})
    record("meeting.holder_confirmed", meeting_row, {"how": "passkey", "member": str(member.id)})
    return passes.confirmed_token(meeting_pass)


@command(None)
def new_passkey_options(token: str, rp_id: str) -> tuple[str, bytes]:
    """What the phone needs to make a passkey for the member: only a phone that confirmed its holder may add one,
    whatever this meeting's by-laws (the passkey outlives the meeting)."""
    _pass, _meeting, member = passes.holder_of(token, confirmed_only=True)
    return member_passkeys.registration_options(member, rp_id)


@command(None, takes=NewPasskeySchema)
def add_passkey(token: str, data: dict, challenge: bytes | None, rp_id: str, origin: str) -> None:
    """Keep the passkey the confirmed phone made: next time it confirms the member with no code."""
    _pass, meeting_row, member = passes.holder_of(token, confirmed_only=True)
    data = loaded(data)
    if challenge is None:
        raise Invalid({"credential": [_("Start adding the passkey again.")]})
    try:
        member_passkeys.register(member, data["credential"], challenge, rp_id, origin, data["name"])
    except InvalidRegistrationResponse as error:
        raise Invalid({"credential": [_("The browser's answer could not be checked: add the passkey again.")]}) \
            from error
    record("member.passkey_added", meeting_row, {"member": str(member.id)})

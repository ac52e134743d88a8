"""A second factor for signing in: an authenticator app's codes (TOTP, RFC 6238), passkeys (WebAuthn), one-time
recovery codes, and devices remembered for 30 days.

The law on electronic general assemblies (Associations Regulation art. 15/A) and the KVKK Board's decision 2018/10
ask for two factors where people reach the council's data remotely: the secretariat and the platform's staff. A
council can require them of its staff (``Council.require_two_factor``); an installation requires them of its
operators and federation analysts (``KONSEY_PLATFORM_TWO_FACTOR``, on in production).

The authenticator's secret is kept encrypted with a key derived from the installation's secret; a recovery code
and a remembered device are kept as their SHA-256 only (each is 80+ random bits: no dictionary reaches it).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, timedelta

import pyotp
import webauthn
from cryptography.fernet import Fernet
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, Uuid, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from webauthn.helpers.exceptions import InvalidAuthenticationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from konsey.core.council_keys import secret_vault
from konsey.core.sign_in_codes import HoldsSignInCode, digest
from konsey.tenants.db import HasId, as_utc, db, utcnow

ISSUER = "Konsey"
RECOVERY_CODES = 10
REMEMBERED_FOR = timedelta(days=30)
# A code is good in its 30-second step and the ones either side of it (a phone's clock a little off), once.
VALID_WINDOW = 1


class SecondFactor(HoldsSignInCode, HasId, db.Model):
    """An authenticator app enrolled by a person, or their mobile number for codes by SMS (a platform table: a
    person's, not a council's)."""

    __tablename__ = "second_factors"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="totp")  # "totp" or "sms"
    secret_encrypted: Mapped[str] = mapped_column(Text)  # the authenticator's key, or the mobile number
    # An SMS factor's codes go through this council's SMS account (one that allows them; it pays for them).
    council_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("councils.id", ondelete="CASCADE"))
    confirmed_at: Mapped[datetime | None]
    last_step: Mapped[int | None] = mapped_column(Integer)  # the last time step used: a code is good once
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecoveryCode(HasId, db.Model):
    __tablename__ = "recovery_codes"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class RememberedDevice(HasId, db.Model):
    __tablename__ = "remembered_devices"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def _vault() -> Fernet:
    return secret_vault(b"konsey second factors")


def enrolled(user_id: uuid.UUID) -> SecondFactor | None:
    """The person's authenticator app, once set up."""
    return db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user_id, SecondFactor.kind == "totp",
                                                        SecondFactor.confirmed_at.is_not(None)))


def has_any(user_id: uuid.UUID) -> bool:
    """Whether the person signs in with a second factor: an authenticator app, a passkey or codes by SMS."""
    return enrolled(user_id) is not None or bool(passkeys_of(user_id)) or sms_factor(user_id) is not None


def start_enrolment(user_id: uuid.UUID) -> tuple[SecondFactor, str]:
    """A new authenticator secret for the person (unconfirmed until a code from it is typed back)."""
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id, SecondFactor.kind == "totp",
                                                  SecondFactor.confirmed_at.is_(None)))
    secret = pyotp.random_base32()
    factor = SecondFactor(user_id=user_id, secret_encrypted=_vault().encrypt(secret.encode()).decode())
    db.session.add(factor)
    db.session.flush()
    return factor, secret


def secret_of(factor: SecondFactor) -> str:
    return _vault().decrypt(factor.secret_encrypted.encode()).decode()


def provisioning_uri(factor: SecondFactor, account: str) -> str:
    return pyotp.TOTP(secret_of(factor)).provisioning_uri(name=account, issuer_name=ISSUER)


def _matching_step(factor: SecondFactor, code: str, now: datetime) -> int | None:
    totp = pyotp.TOTP(secret_of(factor))
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    for offset in range(-VALID_WINDOW, VALID_WINDOW + 1):
        moment = now + timedelta(seconds=offset * totp.interval)
        if secrets.compare_digest(totp.at(moment), code):
            return totp.timecode(moment)
    return None


def check_code(factor: SecondFactor, code: str, now: datetime | None = None) -> bool:
    """Whether ``code`` is the authenticator's for now, and not used before (the step is then spent)."""
    step = _matching_step(factor, code, now or utcnow())
    if step is None or (factor.last_step is not None and step <= factor.last_step):
        return False
    factor.last_step = step
    return True


def confirm(factor: SecondFactor, code: str, now: datetime | None = None) -> list[str] | None:
    """Confirm an enrolment with a code from the app; the recovery codes (shown once), or None if the code is
    wrong. An earlier confirmed factor of the person is replaced."""
    if not check_code(factor, code, now):
        return None
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == factor.user_id,
                                                  SecondFactor.kind == factor.kind, SecondFactor.id != factor.id))
    factor.confirmed_at = now or utcnow()
    return new_recovery_codes(factor.user_id)


# --- codes by SMS (a fallback where the person's council allows it) -------------------------------------------------


def sms_factor(user_id: uuid.UUID) -> SecondFactor | None:
    """The person's mobile number for sign-in codes by SMS, once confirmed."""
    return db.session.scalar(select(SecondFactor).where(SecondFactor.user_id == user_id, SecondFactor.kind == "sms",
                                                        SecondFactor.confirmed_at.is_not(None)))


def start_sms(user_id: uuid.UUID, council_id: uuid.UUID, number: str) -> SecondFactor:
    """A mobile number to confirm with the code sent to it (an earlier unconfirmed one is forgotten)."""
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id, SecondFactor.kind == "sms",
                                                  SecondFactor.confirmed_at.is_(None)))
    factor = SecondFactor(user_id=user_id, kind="sms", council_id=council_id,
                          secret_encrypted=_vault().encrypt(number.encode()).decode())
    db.session.add(factor)
    db.session.flush()
    return factor


def number_of(factor: SecondFactor) -> str:
    return _vault().decrypt(factor.secret_encrypted.encode()).decode()


def confirm_sms(factor: SecondFactor, code: str, now: datetime | None = None) -> list[str] | None:
    """The number is confirmed when the code sent to it is typed back: it replaces an earlier number; recovery
    codes (shown once) if the person had none. None if the code is not right."""
    if not factor.use_code(code, now):
        return None
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == factor.user_id, SecondFactor.kind == "sms",
                                                  SecondFactor.id != factor.id))
    factor.confirmed_at = now or utcnow()
    return new_recovery_codes(factor.user_id) if recovery_codes_left(factor.user_id) == 0 else []


def new_recovery_codes(user_id: uuid.UUID) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]  # 48 bits each
    db.session.add_all(RecoveryCode(user_id=user_id, digest=digest(code)) for code in codes)
    return codes


def use_recovery_code(user_id: uuid.UUID, code: str) -> bool:
    row = db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user_id,
                                                       RecoveryCode.digest == digest(code.strip().lower()),
                                                       RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def recovery_codes_left(user_id: uuid.UUID) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user_id,
                                                                RecoveryCode.used_at.is_(None))).all())


def remember_device(user_id: uuid.UUID) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(RememberedDevice(user_id=user_id, digest=digest(token), expires_at=utcnow() + REMEMBERED_FOR))
    return token


def device_remembered(user_id: uuid.UUID, token: str | None) -> bool:
    if not token:
        return False
    device = db.session.scalar(select(RememberedDevice).where(RememberedDevice.digest == digest(token),
                                                              RememberedDevice.user_id == user_id))
    return device is not None and as_utc(device.expires_at) > utcnow()


def remove(user_id: uuid.UUID) -> None:
    """The person's second factor, recovery codes and remembered devices go (a reset by an administrator)."""
    for model in (SecondFactor, RecoveryCode, RememberedDevice, Passkey):
        db.session.execute(delete(model).where(model.user_id == user_id))


# --- passkeys (WebAuthn) -------------------------------------------------------------------------------------------


class Passkey(HasId, db.Model):
    """A passkey a person registered (a phone's, a security key's): its public key only; the private one never leaves
    the device."""

    __tablename__ = "passkeys"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary, unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]


def passkeys_of(user_id: uuid.UUID) -> list[Passkey]:
    return list(db.session.scalars(select(Passkey).where(Passkey.user_id == user_id).order_by(Passkey.created_at)))


def registration_options(user_id: uuid.UUID, email: str, display_name: str, rp_id: str) -> tuple[str, bytes]:
    """(the options for the browser, as JSON; the challenge to keep until it answers)."""
    return passkey_registration(user_id, email, display_name, passkeys_of(user_id), rp_id)


def passkey_registration(owner_id: uuid.UUID, name: str, display_name: str, existing, rp_id: str) -> tuple[str, bytes]:
    """What a browser needs to make a passkey for ``owner_id`` (not one of the ``existing`` again), and the
    challenge its answer must sign: a person's (here) or a member's on their phone (konsey.core.member_passkeys)."""
    options = webauthn.generate_registration_options(
        rp_id=rp_id, rp_name=ISSUER, user_id=owner_id.bytes, user_name=name, user_display_name=display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(resident_key=ResidentKeyRequirement.PREFERRED,
                                                               user_verification=UserVerificationRequirement.PREFERRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=key.credential_id) for key in existing])
    return webauthn.options_to_json(options), options.challenge


def verified_registration(credential: dict, challenge: bytes, rp_id: str, origin: str) -> tuple[bytes, bytes, int]:
    """(credential id, public key, counter) of the passkey the browser made, its attestation checked against the
    challenge, the site and the origin (InvalidRegistrationResponse otherwise)."""
    verified = webauthn.verify_registration_response(credential=credential, expected_challenge=challenge,
                                                     expected_rp_id=rp_id, expected_origin=origin)
    return verified.credential_id, verified.credential_public_key, verified.sign_count


def register_passkey(user_id: uuid.UUID, credential: dict, challenge: bytes, rp_id: str, origin: str,
                     name: str) -> Passkey:
    """Keep the passkey the browser made."""
    credential_id, public_key, count = verified_registration(credential, challenge, rp_id, origin)
    passkey = Passkey(user_id=user_id, credential_id=credential_id, public_key=public_key, sign_count=count, name=name)
    db.session.add(passkey)
    db.session.flush()
    return passkey


def authentication_options(user_id: uuid.UUID, rp_id: str) -> tuple[str, bytes]:
    return passkey_authentication(passkeys_of(user_id), rp_id)


def passkey_authentication(existing, rp_id: str) -> tuple[str, bytes]:
    """The challenge one of the ``existing`` passkeys is to sign, as options for the browser."""
    options = webauthn.generate_authentication_options(
        rp_id=rp_id, allow_credentials=[PublicKeyCredentialDescriptor(id=key.credential_id) for key in existing],
        user_verification=UserVerificationRequirement.PREFERRED)
    return webauthn.options_to_json(options), options.challenge


def credential_id_of(credential: dict) -> bytes | None:
    """The id of the passkey a browser's answer names (None for an answer that names none)."""
    raw_id = credential.get("rawId") or credential.get("id") or ""
    try:
        return webauthn.base64url_to_bytes(raw_id) or None
    except (ValueError, TypeError):
        return None


def signed_by(passkey, credential: dict, challenge: bytes, rp_id: str, origin: str) -> bool:
    """Whether the browser's answer is signed by ``passkey`` for this challenge (its counter moved on: a cloned key
    shows itself); the passkey's counter and last use are kept."""
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin,
            credential_public_key=passkey.public_key, credential_current_sign_count=passkey.sign_count)
    except InvalidAuthenticationResponse:
        return False
    passkey.sign_count, passkey.last_used_at = verified.new_sign_count, utcnow()
    return True


def check_passkey(user_id: uuid.UUID, credential: dict, challenge: bytes, rp_id: str, origin: str) -> bool:
    """Whether the browser's answer is signed by one of the person's passkeys for this challenge."""
    credential_id = credential_id_of(credential)
    passkey = credential_id and db.session.scalar(select(Passkey).where(Passkey.user_id == user_id,
                                                                        Passkey.credential_id == credential_id))
    return bool(passkey) and signed_by(passkey, credential, challenge, rp_id, origin)

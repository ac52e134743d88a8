"""SMS through the council's own account at a Turkish provider (Netgsm or İleti Merkezi): meeting links for members
who have a mobile number and no e-mail address.

A council chooses its provider, gives its own credentials (sealed with the council's data key, shown masked) and
its registered sender name. A message is queued as a row and an outbox event in the caller's transaction; the
worker sends it, records the provider's reference or its error (in Turkish on the council's delivery page), and
retries until the outbox's dead letters take it: never lost. The text (it carries a personal link) is kept sealed
only until it is sent. Each provider's documented HTTP API is spoken as documented; the tests answer with a
loopback server that speaks the same.
"""

from __future__ import annotations

import base64
import enum
import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, Text, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.delivery import NO_REDIRECTS, DeliveryRefused, RetryLater
from konsey.core.keyring import seal, unseal
from konsey.core.outbox import emit, handles
from konsey.core.rules import sign_in as sign_in_rules
from konsey.tenants.db import CouncilOwned, as_utc, db, enum_of, utcnow
from konsey.tenants.models import council_midnight, council_today

PROVIDERS = ("netgsm", "iletimerkezi")
SIGN_IN_CODE = "sign_in_code"  # a message's purpose: a code confirming who signs in, good for minutes only
CREDENTIALS = "sms_settings.credentials"  # what the credentials are sealed as (konsey.core.keyring)
TEXT = "sms_messages.text"


class SmsStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # the last try failed: the outbox tries again, then keeps it as a dead letter


class SmsSettings(CouncilOwned, db.Model):
    """The council's SMS provider account: one per council."""

    __tablename__ = "sms_settings"

    provider: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str] = mapped_column(String(11))  # the sender name registered with the provider (başlık)
    credentials_sealed: Mapped[str] = mapped_column(Text)  # {"username", "password"} or {"key", "hash"}, sealed
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.UniqueConstraint("council_id"),)

    @property
    def credentials(self) -> dict:
        return json.loads(unseal(self.credentials_sealed, CREDENTIALS, self.council_id))

    def masked(self) -> dict:
        """The credentials as a page shows them: the first two characters of each, the rest hidden."""
        return {name: (value[:2] + "•" * max(len(value) - 2, 3)) if value else "" for name, value in
                self.credentials.items()}


class SmsMessage(CouncilOwned, db.Model):
    """One SMS to one number: what it was for, where it is, what the provider said. No text once sent."""

    __tablename__ = "sms_messages"

    member_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    number: Mapped[str] = mapped_column(String(16))  # +90…
    purpose: Mapped[str] = mapped_column(String(32))
    text_sealed: Mapped[str | None] = mapped_column(Text)
    status: Mapped[SmsStatus] = mapped_column(enum_of(SmsStatus, 10), default=SmsStatus.QUEUED)
    provider: Mapped[str] = mapped_column(String(16))
    provider_ref: Mapped[str | None] = mapped_column(String(64))
    error_code: Mapped[str | None] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # The provider's delivery report, asked for after sending: "delivered", "undelivered" or None (not known yet).
    report: Mapped[str | None] = mapped_column(String(16))
    report_at: Mapped[datetime | None]

    __council_table_args__ = (db.Index("ix_sms_messages_council_created", "council_id", "created_at"),)


# --- the council's account -----------------------------------------------------------------------------------------


def settings() -> SmsSettings | None:
    return db.session.scalar(select(SmsSettings))


def configure(provider: str, sender: str, credentials: dict) -> SmsSettings:
    current = settings() or SmsSettings()
    current.provider, current.sender, current.changed_at = provider, sender, utcnow()
    current.credentials_sealed = seal(json.dumps(credentials, sort_keys=True), CREDENTIALS)
    db.session.add(current)
    db.session.flush()
    record("sms.configured", current, {"provider": provider})  # no credential, no sender's secret
    return current


def sent_this_month(today: date | None = None) -> int:
    """Messages sent in the council's current month (they cost money)."""
    today = today or council_today()
    start = council_midnight(today.replace(day=1))
    return db.session.scalar(select(func.count(SmsMessage.id)).where(SmsMessage.status == SmsStatus.SENT,
                                                                     SmsMessage.sent_at >= start)) or 0


def recent(limit: int = 50) -> list[SmsMessage]:
    return list(db.session.scalars(select(SmsMessage).order_by(SmsMessage.created_at.desc()).limit(limit)))


# --- sending ---------------------------------------------------------------------------------------------------------


def queue(number: str, text: str, purpose: str, member_id: uuid.UUID | None = None) -> SmsMessage | None:
    """An SMS to be sent by the worker (None when the council has no SMS account)."""
    account = settings()
    if account is None:
        return None
    message = SmsMessage(member_id=member_id, number=number, purpose=purpose, provider=account.provider,
                         text_sealed=seal(text, TEXT))
    db.session.add(message)
    db.session.flush()
    emit("sms.send", {"message_id": str(message.id)})
    return message


@dataclass(frozen=True)
class ProviderAnswer:
    ok: bool
    ref: str | None = None
    code: str | None = None


# What each provider's error codes mean, for the council's delivery page (from their documentation).
ERRORS = {
    ("netgsm", "20"): _l("The message text was refused (too long or invalid characters)."),
    ("netgsm", "30"): _l("The provider refused the username or password (or the server's address is not allowed)."),
    ("netgsm", "40"): _l("The sender name is not registered with the provider."),
    ("netgsm", "70"): _l("The provider could not read the request."),
    ("netgsm", "80"): _l("The provider's sending limit was reached; it will be tried again."),
    ("netgsm", "85"): _l("Too many messages to one number in a minute; it will be tried again."),
    ("iletimerkezi", "401"): _l("The provider refused the API key (or the server's address is not allowed)."),
    ("iletimerkezi", "402"): _l("The provider account's balance is not enough: top it up."),
    ("iletimerkezi", "450"): _l("The sender name is not registered with the provider."),
    ("iletimerkezi", "451"): _l("The same message went to the same number minutes ago."),
    ("iletimerkezi", "452"): _l("The provider refused the number."),
    ("iletimerkezi", "453"): _l("The message text was refused (too long or invalid characters)."),
    ("iletimerkezi", "503"): _l("The provider is out of service for a while; it will be tried again."),
    ("any", "unreachable"): _l("The provider could not be reached; it will be tried again."),
    ("any", "expired"): _l("A sign-in code not sent in time: it was dropped (the person asks for a new one)."),
}


# Answers no retry can change (the account, the sender name, the number or the text is wrong): the message goes to the
# dead letters at once, where the council sees why and sends it again once it has fixed the account.
FOR_GOOD = {("netgsm", "20"), ("netgsm", "30"), ("netgsm", "40"), ("netgsm", "70"), ("iletimerkezi", "401"),
            ("iletimerkezi", "450"), ("iletimerkezi", "452"), ("iletimerkezi", "453")}


def error_text(provider: str, code: str | None) -> str:
    if code is None:
        return ""
    return str(ERRORS.get((provider, code)) or ERRORS.get(("any", code)) or _("The provider answered %(code)s.",
                                                                             code=code))


def _post(url: str, body: dict, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",  # noqa: S310 - configured
                                     headers={"Content-Type": "application/json", **headers})
    try:
        with NO_REDIRECTS.open(request, timeout=20) as answer:  # the provider's configured URL, never elsewhere
            return answer.status, json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"{}")
        except ValueError:
            return error.code, {}


def _netgsm(account: SmsSettings, number: str, text: str) -> ProviderAnswer:
    """Netgsm's REST API (v2): Basic authentication, one message per number, ``code`` "00" when queued."""
    credentials = account.credentials
    auth = base64.b64encode(f"{credentials['username']}:{credentials['password']}".encode()).decode()
    status, answer = _post(current_app.config["KONSEY_NETGSM_URL"].rstrip("/") + "/sms/rest/v2/send",
                           {"msgheader": account.sender, "encoding": "TR",
                            "messages": [{"msg": text, "no": number.lstrip("+")}]},
                           {"Authorization": f"Basic {auth}"})
    code = str(answer.get("code", status))
    return ProviderAnswer(code == "00", str(answer.get("jobid") or "") or None, None if code == "00" else code)


def _iletimerkezi(account: SmsSettings, number: str, text: str) -> ProviderAnswer:
    """İleti Merkezi's JSON API: an order of one message to one number, ``status.code`` 200 when taken."""
    credentials = account.credentials
    status, answer = _post(current_app.config["KONSEY_ILETIMERKEZI_URL"].rstrip("/") + "/v1/send-sms/json",
                           {"request": {"authentication": {"key": credentials["key"], "hash": credentials["hash"]},
                                        "order": {"sender": account.sender, "sendDateTime": [], "iys": "0",
                                                  "message": {"text": text,
                                                              "receipents": {"number": [number.lstrip("+")]}}}}},
                           {})
    response = answer.get("response", {})
    code = str(response.get("status", {}).get("code", status))
    return ProviderAnswer(code == "200", str(response.get("order", {}).get("id") or "") or None,
                          None if code == "200" else code)


SENDERS = {"netgsm": _netgsm, "iletimerkezi": _iletimerkezi}


# --- delivery reports: did the message reach the phone? --------------------------------------------------------------

DELIVERED, UNDELIVERED = "delivered", "undelivered"
REPORT_WITHIN = timedelta(days=2)  # providers keep a report this long at least; after that, it stays unknown


def _netgsm_report(account: SmsSettings, message: SmsMessage) -> str | None:
    """Netgsm's report of a job: status 0 waiting, 1 delivered, anything else not delivered (timed out, a wrong or
    barred number, refused by the operator…)."""
    credentials = account.credentials
    auth = base64.b64encode(f"{credentials['username']}:{credentials['password']}".encode()).decode()
    _status, answer = _post(current_app.config["KONSEY_NETGSM_URL"].rstrip("/") + "/sms/rest/v2/report",
                            {"bulkIds": [message.provider_ref]}, {"Authorization": f"Basic {auth}"})
    if str(answer.get("code")) != "00":
        return None
    for job in answer.get("jobs") or []:
        if str(job.get("jobid")) == message.provider_ref:
            status = str(job.get("status"))
            return None if status == "0" else DELIVERED if status == "1" else UNDELIVERED
    return None


def _iletimerkezi_report(account: SmsSettings, message: SmsMessage) -> str | None:
    """İleti Merkezi's report of an order: each number's status 110 being sent, 111 delivered, 112 not delivered."""
    credentials = account.credentials
    _status, answer = _post(current_app.config["KONSEY_ILETIMERKEZI_URL"].rstrip("/") + "/v1/get-report/json",
                            {"request": {"authentication": {"key": credentials["key"], "hash": credentials["hash"]},
                                         "order": {"id": message.provider_ref, "page": "1", "rowCount": "1000"}}},
                            {})
    response = answer.get("response", {})
    if str(response.get("status", {}).get("code")) != "200":
        return None
    for line in response.get("order", {}).get("message") or []:
        if str(line.get("number", "")).lstrip("+") == message.number.lstrip("+"):
            status = str(line.get("status"))
            return DELIVERED if status == "111" else UNDELIVERED if status == "112" else None
    return None


REPORTERS = {"netgsm": _netgsm_report, "iletimerkezi": _iletimerkezi_report}


def ask_reports(limit: int = 500) -> int:
    """Ask the provider how the messages sent in the last two days fared; how many have their answer now. A
    provider out of reach is asked again next time."""
    account = settings()
    if account is None:
        return 0
    waiting = db.session.scalars(select(SmsMessage).where(
        SmsMessage.status == SmsStatus.SENT, SmsMessage.report.is_(None), SmsMessage.provider == account.provider,
        SmsMessage.provider_ref.is_not(None), SmsMessage.sent_at >= utcnow() - REPORT_WITHIN)
        .order_by(SmsMessage.sent_at).limit(limit)).all()
    answered = 0
    for message in waiting:
        try:
            outcome = REPORTERS[account.provider](account, message)
        except (urllib.error.URLError, OSError, ValueError):
            break  # out of reach (or answering nonsense): the rest wait for the next round
        if outcome is not None:
            message.report, message.report_at = outcome, utcnow()
            answered += 1
    return answered


@handles("sms.send")
def _on_send(event, keep) -> None:
    send(uuid.UUID(event.payload["message_id"]), keep)


def send(message_id: uuid.UUID, keep=None) -> None:
    """Send a queued SMS once; a failure is recorded on the message and tried again (RetryLater) until the
    outbox gives up and keeps it as a dead letter, or kept as one at once where no retry can help (FOR_GOOD)."""
    message = db.session.get(SmsMessage, message_id)
    if message is None or message.status is SmsStatus.SENT:
        return
    account = settings()
    if account is None:
        return  # the council gave up its SMS account meanwhile: nothing to send it with
    if message.purpose == SIGN_IN_CODE and utcnow() - as_utc(message.created_at) > sign_in_rules.CODE_LIFETIME:
        # A code sent again from the dead letters, or after a long outage: it could no longer be used.
        message.status, message.error_code, message.text_sealed = SmsStatus.FAILED, "expired", None
        record("sms.expired", message, {"purpose": message.purpose})
        return
    message.attempts += 1
    try:
        answer = SENDERS[account.provider](account, message.number, unseal(message.text_sealed, TEXT))
    except (urllib.error.URLError, OSError):
        answer = ProviderAnswer(False, code="unreachable")
    if answer.ok:
        message.status, message.provider_ref, message.sent_at = SmsStatus.SENT, answer.ref, utcnow()
        message.error_code, message.text_sealed = None, None  # the link it carried is kept nowhere now
        record("sms.sent", message, {"purpose": message.purpose})
        return
    message.status, message.error_code = SmsStatus.FAILED, answer.code
    record("sms.failed", message, {"purpose": message.purpose, "code": answer.code})
    if keep is not None:
        keep()  # the failure stays on the message (the delivery page shows it) whatever the retry does
    if (account.provider, answer.code) in FOR_GOOD:
        raise DeliveryRefused(f"{account.provider} answered {answer.code}: {error_text(account.provider, answer.code)}")
    raise RetryLater(f"{account.provider} answered {answer.code}")

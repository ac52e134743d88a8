"""Delivering motion packages to the municipality, and proving it.

Each council has one delivery route: e-mail to the municipality's registry desk, an HTTPS webhook (Standard
Webhooks: ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``), or a download link the municipality
opens and confirms. Channels share one small interface (:class:`Channel`) and are found by name in
:func:`channels`, where a plugin can add its own (KEP or e-Yazışma need a provider and a qualified
e-signature: they belong behind this interface, never faked over plain SMTP). Every attempt is recorded;
the motion moves queued → sent → delivered.
"""

from __future__ import annotations

import base64
import enum
import ipaddress
import json
import logging
import secrets
import socket
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Boolean, Integer, String, Text, Uuid, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core import outbox
from konsey.core.audit import record
from konsey.core.errors import Invalid
from konsey.core.mail import build_message, deliver, mail_domain
from konsey.core.motion_package import build_package
from konsey.core.motions import ORDER, Motion, MotionStatus, advance
from konsey.core.plugins import collect, council_hooks
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import Council, council_today
from konsey.tenants.scoping import current_council_id

log = logging.getLogger(__name__)
RECEIPT_DAYS = 21  # a receipt link is for the registry desk's next few weeks, not a standing key


class ChannelName(enum.StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"
    DOWNLOAD = "download"


class DeliveryRoute(CouncilOwned, db.Model):
    """How this council's motions reach its municipality."""

    __tablename__ = "delivery_routes"

    channel: Mapped[str] = mapped_column(String(32), default=ChannelName.EMAIL.value)
    address: Mapped[str] = mapped_column(String(500))  # the registry desk's e-mail or the webhook's URL
    secret: Mapped[str] = mapped_column(String(100))  # whsec_…: signs webhooks and the municipality's answers
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The webhook's payload: 2, Standard Webhooks' envelope ({"type", "timestamp", "data"}); 1, the flat shape
    # of the first release, kept for the municipalities that already receive it until their council switches.
    payload_version: Mapped[int] = mapped_column(Integer, default=2)

    @property
    def secret_hint(self) -> str | None:
        return secret_hint(self.secret)


class AttemptOutcome(enum.StrEnum):
    SENT = "sent"  # handed over (SMTP accepted; a link was issued): a receipt is still to come
    DELIVERED = "delivered"  # the municipality's system acknowledged it
    RETRY = "retry"
    FAILED = "failed"


class DeliveryAttempt(CouncilOwned, db.Model):
    __tablename__ = "delivery_attempts"

    motion_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    channel: Mapped[str] = mapped_column(String(32))
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[AttemptOutcome] = mapped_column(enum_of(AttemptOutcome, 16))
    http_status: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)

    __council_table_args__ = (
        db.Index("ix_delivery_attempts_council_motion", "council_id", "motion_id"),
        same_council_fk("motion_id", "motions", ondelete="CASCADE"),
    )


# --- channels --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    outcome: AttemptOutcome
    http_status: int | None = None
    detail: str | None = None
    retry_after: float | None = None  # seconds, when the receiver asked for it
    disable: bool = False  # the receiver said it is gone (HTTP 410)


class Channel(Protocol):
    """Deliver one package along a council's route; never raises for the receiver's answer, only describes it."""

    name: str

    def deliver(self, route: DeliveryRoute, motion: Motion, package, receipt_url: str) -> Result: ...


def motion_message_id(motion: Motion, package) -> str:
    """The Message-ID of a motion's package: a pure function of the council, the motion and the package."""
    return f"<motion-{motion.id}.{package.verification_code.lower()}.{motion.council_id}@{mail_domain()}>"


class EmailChannel:
    name = ChannelName.EMAIL.value

    def deliver(self, route, motion, package, receipt_url):
        body = (f"{motion.title}\n\nKent konseyinin {motion.decision_number} sayılı kararı ekte sunulmuştur "
                f"(doğrulama kodu {package.verification_code}).\n\nAlındığını onaylamak için: {receipt_url}\n")
        message = build_message(route.address, f"Kent Konseyi önergesi: {motion.title}", body)
        # The same Message-ID on every attempt, so a registry system can recognise a resend (delivery is at
        # least once: a worker stopped between the server's "accepted" and our commit sends again).
        del message["Message-ID"]
        message["Message-ID"] = motion_message_id(motion, package)
        message.add_attachment(package.content, maintype="application", subtype="zip", filename=package.filename)
        try:
            deliver(message)
        except OSError as error:  # SMTP refusals are OSErrors too (smtplib.SMTPException)
            return Result(AttemptOutcome.RETRY, detail=str(error))
        return Result(AttemptOutcome.SENT, detail=route.address)


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook (or an SMS provider's request) goes where it was configured to, never where a receiver sends it on
    (SSRF)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # urllib then raises the 3xx as an HTTPError: recorded, retried, never followed


NO_REDIRECTS = urllib.request.build_opener(_RefuseRedirects)


def allowed_hosts() -> set[str]:
    return {h.strip().lower() for h in current_app.config.get("KONSEY_WEBHOOK_ALLOWED_HOSTS", "").split(",") if h.strip()}


def webhook_address_problem(address: str) -> str | None:
    """What is wrong with a webhook address as given (None: it may be saved)."""
    parts = urlsplit(address)
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        return _("A webhook needs an https:// address.")
    if parts.scheme == "https" or (parts.scheme == "http" and host in allowed_hosts()):
        return None
    return _("A webhook needs an https:// address.")


def unsafe_destination(address: str) -> str | None:
    """Why a webhook may not be sent to ``address`` now (None: it may). Checked at send time, on the
    addresses the host resolves to then: loopback, private, link-local, multicast and reserved ones are
    refused unless the operator allowed the host."""
    problem = webhook_address_problem(address)
    if problem:
        return problem
    parts = urlsplit(address)
    host = (parts.hostname or "").lower()
    if host in allowed_hosts():
        return None
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)}
    except OSError:
        return None  # not resolvable now: the attempt fails and is retried like any unreachable receiver
    for address_text in found:
        ip = ipaddress.ip_address(address_text.split("%")[0])
        if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
                or ip.is_unspecified):
            return f"the webhook host {host} resolves to a non-public address ({ip})"
    return None


def envelope(event_type: str, when: datetime, data: dict) -> dict:
    """Standard Webhooks' payload: what happened, when (ISO 8601, UTC), and its data."""
    return {"type": event_type, "timestamp": when.astimezone(UTC).isoformat().replace("+00:00", "Z"), "data": data}


class WebhookChannel:
    name = ChannelName.WEBHOOK.value

    def deliver(self, route, motion, package, receipt_url):
        from standardwebhooks import Webhook

        # In UTC: standardwebhooks signs the clock time *as* UTC (it replaces the zone), so a server running in
        # İstanbul time signed a timestamp three hours off the header's, and every receiver refused it.
        now = datetime.now(UTC)
        data = {
            "motion_id": str(motion.id), "title": motion.title,
            "decision_number": motion.decision_number, "verification_code": package.verification_code,
            "manifest": json.loads(package.manifest), "signature": package.signature,
            "package": {"filename": package.filename, "base64": base64.b64encode(package.content).decode()},
            "receipt_url": receipt_url,
        }
        payload = json.dumps(envelope("motion.package", now, data) if route.payload_version >= 2
                             else {"type": "motion.package", **data}, ensure_ascii=False)
        refusal = unsafe_destination(route.address)
        if refusal:
            return Result(AttemptOutcome.FAILED, detail=refusal, disable=True)
        message_id = f"msg_{motion.id.hex}"  # stable: the receiver de-duplicates redeliveries by it
        signature = Webhook(route.secret).sign(message_id, now, payload)
        # set_route allows only https (or loopback) addresses, never file: or other schemes.
        request = urllib.request.Request(route.address, data=payload.encode(), method="POST", headers={  # noqa: S310 - https or loopback only
            "content-type": "application/json", "webhook-id": message_id,
            "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature})
        try:
            with NO_REDIRECTS.open(request, timeout=30) as response:
                return Result(AttemptOutcome.DELIVERED, http_status=response.status)
        except urllib.error.HTTPError as error:
            if error.code == 410:
                return Result(AttemptOutcome.FAILED, http_status=410, detail="gone", disable=True)
            retry_after = error.headers.get("Retry-After")
            return Result(AttemptOutcome.RETRY, http_status=error.code, detail=error.reason,
                          retry_after=float(retry_after) if retry_after and retry_after.isdigit() else None)
        except (urllib.error.URLError, OSError) as error:
            return Result(AttemptOutcome.RETRY, detail=str(getattr(error, "reason", error)))


class DownloadChannel:
    name = ChannelName.DOWNLOAD.value

    def deliver(self, route, motion, package, receipt_url):
        # Nothing travels: the link (sent to the registry desk's address) is the delivery; the municipality
        # downloads the package there and confirms receipt.

        text = (f"{motion.title}\n\nÖnerge paketini indirmek ve alındığını onaylamak için: {receipt_url}\n"
                f"Doğrulama kodu: {package.verification_code}\n")
        try:
            deliver(build_message(route.address, f"Kent Konseyi önergesi: {motion.title}", text))
        except OSError as error:
            return Result(AttemptOutcome.RETRY, detail=str(error))
        return Result(AttemptOutcome.SENT, detail=receipt_url)


def channels() -> dict[str, Channel]:
    """The delivery channels by name: the statute's (e-mail, webhook, download) and those the council's plugins
    add; a plugin's channel replaces the statute's of the same name (the statute answers last)."""
    found: dict[str, Channel] = {}
    for channel in reversed(collect(council_hooks().hook.konsey_delivery_channels())):
        found[channel.name] = channel
    return found


# --- the council's route -----------------------------------------------------------------------------------------


def route_of_council() -> DeliveryRoute:
    """The current council's route; by default e-mail to the motion delivery address given at onboarding."""

    route = db.session.scalar(select(DeliveryRoute))
    if route is None:
        council = db.session.get(Council, current_council_id())
        route = DeliveryRoute(channel=ChannelName.EMAIL.value, address=council.motion_delivery_address,
                              secret=new_secret())
        db.session.add(route)
        db.session.flush()
    return route


def secret_hint(secret: str | None) -> str | None:
    """Enough of a secret to tell which one is in use, not enough to use it."""
    return f"{secret[:6]}…{secret[-4:]}" if secret else None


def rotate_secret() -> DeliveryRoute:
    """A new webhook secret for the council's route: deliveries are signed with it and the municipality's
    answers must be; the old one stops working at once."""
    route = route_of_council()
    route.secret, route.changed_at = new_secret(), utcnow()
    record("delivery.secret_rotated", route)
    return route


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def set_route(channel: str, address: str, payload_version: int | None = None) -> DeliveryRoute:
    """The council's route (``payload_version``: the webhook's payload shape; unchanged when not given)."""
    if channel not in channels():
        raise Invalid({"channel": [_("Unknown delivery channel: %(name)s", name=channel)]})
    if channel == ChannelName.WEBHOOK and (problem := webhook_address_problem(address)):
        raise Invalid({"address": [problem]})
    if channel in (ChannelName.EMAIL, ChannelName.DOWNLOAD) and "@" not in address:
        raise Invalid({"address": [_("Give the registry desk's e-mail address.")]})
    route = route_of_council()
    route.channel, route.address, route.enabled, route.disabled_reason = channel, address, True, None
    if payload_version is not None:
        route.payload_version = payload_version
    route.changed_at = utcnow()
    record("delivery.route", route, {"channel": channel, "payload_version": route.payload_version})
    return route


# --- delivering ---------------------------------------------------------------------------------------------------


class RetryLater(Exception):  # noqa: N818 - it reads as what the task should do
    def __init__(self, detail: str, countdown: float | None = None):
        super().__init__(detail)
        self.countdown = countdown


class DeliveryRefused(Exception):  # noqa: N818
    """The receiver will not take it (the route is gone or disabled): retrying cannot help."""


def receipt_token(motion: Motion) -> str:
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="konsey-motion-receipt")
    return serializer.dumps({"council": str(motion.council_id), "motion": str(motion.id),
                             "generation": motion.receipt_generation or 0})


def read_receipt_token(token: str) -> tuple[uuid.UUID, uuid.UUID, int]:
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="konsey-motion-receipt")
    try:
        data = serializer.loads(token, max_age=RECEIPT_DAYS * 86400)
    except (BadSignature, SignatureExpired):
        raise Invalid({"token": [_("This link is not valid (or has expired).")]}) from None
    return uuid.UUID(data["council"]), uuid.UUID(data["motion"]), int(data.get("generation", 0))


def receipt_link_is_current(motion: Motion, generation: int) -> bool:
    return generation == (motion.receipt_generation or 0)


def revoke_receipt_links(motion: Motion) -> None:
    """Void every receipt link of the motion sent so far; the next delivery sends a new one."""
    motion.receipt_generation = (motion.receipt_generation or 0) + 1
    record("motion.receipt_links_revoked", motion, {"generation": motion.receipt_generation})


def receipt_url(motion: Motion) -> str:
    # Built by hand: the worker has no request to build URLs from (the path is the receipts blueprint's).
    return f"{current_app.config['KONSEY_BASE_URL'].rstrip('/')}/receipts/{receipt_token(motion)}"


def deliver_motion(motion_id: uuid.UUID, idempotency_key: str, *, keep: Callable[[], None] = lambda: None) -> Result | None:
    """Build the package and send it along the council's route. The caller's unit of work holds the result;
    before a retry or a refusal is raised, ``keep()`` is called so that the attempt (and a disabled route) stay
    on record whatever happens next."""

    motion = db.session.scalar(select(Motion).where(Motion.id == motion_id))
    if motion is None:
        return None
    if ORDER.index(motion.status) >= ORDER.index(MotionStatus.DELIVERED):
        return None  # done already (a redelivery, or the answer came by hand)
    if motion.status is MotionStatus.ADOPTED:
        advance(motion, MotionStatus.QUEUED)
    route = route_of_council()
    if not route.enabled:
        raise DeliveryRefused(f"the delivery route is disabled: {route.disabled_reason}")
    package = build_package(motion)
    result = channels()[route.channel].deliver(route, motion, package, receipt_url(motion))
    db.session.add(DeliveryAttempt(motion_id=motion.id, channel=route.channel, outcome=result.outcome,
                                   http_status=result.http_status, detail=result.detail))
    if result.disable:
        route.enabled, route.disabled_reason = False, _("The municipality's endpoint answered 410 (gone).")
        record("delivery.route_disabled", route, {"http_status": result.http_status})
        keep()  # the attempt and the disabled route are kept, whatever happens next
        raise DeliveryRefused("the webhook answered 410 Gone")
    if result.outcome is AttemptOutcome.RETRY:
        keep()  # the failed attempt is part of the record
        raise RetryLater(result.detail or "retry", result.retry_after)
    if motion.status is MotionStatus.QUEUED:
        advance(motion, MotionStatus.SENT)
    if result.outcome is AttemptOutcome.DELIVERED:
        advance(motion, MotionStatus.DELIVERED, delivered_on=council_today())
    record("motion.delivery", motion, {"channel": route.channel, "outcome": result.outcome.value,
                                       "key": idempotency_key})
    return result


def confirm_receipt(motion: Motion) -> bool:
    """The municipality confirms it received the package (from the link); False if it already had."""
    if ORDER.index(motion.status) >= ORDER.index(MotionStatus.DELIVERED):
        return False
    for step in (MotionStatus.QUEUED, MotionStatus.SENT):
        if ORDER.index(motion.status) < ORDER.index(step):
            advance(motion, step)
    advance(motion, MotionStatus.DELIVERED, delivered_on=council_today())
    db.session.add(DeliveryAttempt(motion_id=motion.id, channel="receipt", outcome=AttemptOutcome.DELIVERED,
                                   detail="confirmed through the receipt link"))
    return True


def verify_municipal_post(body: bytes, headers: dict, motion_id: uuid.UUID) -> dict:
    """Check a municipality's posted answer against the council's route secret (Standard Webhooks) and that what
    was signed names this motion: an answer captured on its way to one motion cannot be replayed onto another.
    The answer's fields: from the envelope's ``data`` (``{"type": "motion.answer", "timestamp", "data"}``) or,
    in the first release's flat shape, the payload itself; ``motion_id`` among them either way."""
    from standardwebhooks import Webhook, WebhookVerificationError

    route = route_of_council()
    try:
        signed = Webhook(route.secret).verify(body, headers)
    except WebhookVerificationError:
        raise Invalid({"webhook-signature": [_("The signature does not match this council's secret.")]}) \
            from None
    answer = signed.get("data") if isinstance(signed, dict) and "data" in signed else signed
    if not isinstance(answer, dict):
        raise Invalid({"data": [_("The answer is a JSON object.")]})
    if isinstance(signed, dict) and "data" in signed and signed.get("type") != "motion.answer":
        raise Invalid({"type": [_("The event type of an answer is motion.answer.")]})
    if str(answer.get("motion_id", "")) != str(motion_id):
        raise Invalid({"motion_id": [_("The signed answer names another motion, or none: it answers only the "
                                       "motion it names.")]})
    return {key: value for key, value in answer.items() if key not in ("motion_id", "type")}


def retry_schedule(attempt: int, base: float | None = None) -> float:
    """Seconds before the next attempt: 30 s doubling to a 6-hour ceiling; 20 attempts span about three days.
    (``KONSEY_RETRY_BASE_SECONDS`` shrinks the base for tests of the fault paths.)"""
    if base is None:
        base = current_app.config.get("KONSEY_RETRY_BASE_SECONDS", 30) if current_app else 30
    return min(base * 2 ** attempt, 6 * 3600 * base / 30)


def total_retry_span(attempts: int) -> timedelta:
    return timedelta(seconds=sum(retry_schedule(n, base=30) for n in range(attempts)))


@outbox.handles("motion.adopted")
def _on_motion_adopted(event: outbox.OutboxEvent, keep: Callable[[], None]) -> None:
    deliver_motion(uuid.UUID(event.payload["motion_id"]), idempotency_key=str(event.id), keep=keep)

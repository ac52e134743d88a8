"""Sending e-mail: SMTP in production and tests, a folder of .eml files in the embedded demo."""

from __future__ import annotations

import re
import smtplib
import ssl
import uuid
from datetime import datetime
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app
from markupsafe import Markup, escape

from konsey.tenants.models import council_zone


def mail_domain() -> str:
    """The host of the installation's public address: its messages' ids are named under it."""
    return urlsplit(current_app.config["KONSEY_BASE_URL"]).hostname or "localhost"


_LINK = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")


def html_of(text: str) -> str:
    """The plain text as a small HTML page: its paragraphs and line breaks kept, its links clickable (a mail
    client that shows HTML would otherwise leave a long address to be copied by hand)."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        parts, last = [], 0
        for found in _LINK.finditer(paragraph):
            parts.append(escape(paragraph[last:found.start()]))
            parts.append(Markup('<a href="{0}">{0}</a>').format(found.group()))  # format escapes the address
            last = found.end()
        parts.append(escape(paragraph[last:]))
        paragraphs.append(Markup("<p>") + Markup("").join(parts).replace("\n", Markup("<br>\n")) + Markup("</p>"))
    return str(Markup('<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n')
               + Markup("\n").join(paragraphs) + Markup("\n</body></html>\n"))


def encoded_subject(subject: str) -> str:
    """The Subject header's value, folded into RFC 2047 encoded words that keep every space. Python's own folding
    (3.11) drops the space where a plain word follows an encoded one ("Yürütme Kurulu olağanüstütoplantısında"),
    so the subject is encoded whole, as the long-standing ``email.header.Header`` does, and stored as it is."""
    # A line break in a title (a meeting's, a motion's) would start a header of its own: it is a space here.
    subject = " ".join(subject.splitlines()).strip()
    if subject.isascii() and len(subject) <= 68:
        return subject
    return Header(subject, "utf-8", header_name="Subject").encode(linesep="\n")


def build_message(to: str, subject: str, body: str, *, html: str | None = None) -> EmailMessage:
    """An automatic message of the platform: dated in the council's time zone (the platform's when none is bound),
    its id under the installation's public host, marked as automatic (RFC 3834: no out-of-office answers), and
    with an HTML part beside the text where the text holds a link."""
    message = EmailMessage()
    message["From"] = current_app.config["KONSEY_MAIL_FROM"]
    message["To"] = to
    message.set_raw("Subject", encoded_subject(subject))
    message["Date"] = format_datetime(datetime.now(council_zone()))
    message["Message-ID"] = make_msgid(domain=mail_domain())
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(body)
    if html is None and _LINK.search(body):
        html = html_of(body)
    if html:
        message.add_alternative(html, subtype="html")
    return message


def deliver(message: EmailMessage) -> None:
    config = current_app.config
    if config["KONSEY_MAIL_BACKEND"] == "file":
        folder = Path(config["KONSEY_MAIL_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
        return
    with smtplib.SMTP(config["KONSEY_SMTP_HOST"], config["KONSEY_SMTP_PORT"], timeout=30) as smtp:
        if config["KONSEY_SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["KONSEY_SMTP_USERNAME"]:
            smtp.login(config["KONSEY_SMTP_USERNAME"], config["KONSEY_SMTP_PASSWORD"] or "")
        smtp.send_message(message)

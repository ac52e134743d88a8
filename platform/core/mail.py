"""Sending e-mail: SMTP in production and tests, a folder of .eml files in the embedded demo."""

from __future__ import annotations

import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app


def build_message(to: str, subject: str, body: str, *, html: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["KONSEY_MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="konsey.local")
    message.set_content(body)
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

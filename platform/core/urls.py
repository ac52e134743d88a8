"""Absolute links for e-mails, built the same way inside and outside a request (CLI, workers)."""

from __future__ import annotations

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    base = current_app.config["KONSEY_BASE_URL"].rstrip("/")
    return base + current_app.url_map.bind("konsey").build(endpoint, values)

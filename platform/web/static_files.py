"""The static files' addresses carry a fingerprint of their content (``konsey.css?v=3f1a…``), so a browser may
keep them for a year: a changed file has a new address. Text answers are compressed (Flask-Compress)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Flask, request

YEAR = 365 * 24 * 3600
_fingerprints: dict[str, str] = {}


def fingerprint(folder: str, filename: str) -> str | None:
    """The first characters of the file's SHA-256 (kept per process: a deployment restarts the process)."""
    key = f"{folder}/{filename}"
    if key not in _fingerprints:
        path = Path(folder) / filename
        if not path.is_file():
            return None
        _fingerprints[key] = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return _fingerprints[key]


def install(app: Flask) -> None:
    from flask_compress import Compress

    @app.url_defaults
    def _versioned(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = fingerprint(app.static_folder, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _kept_for_a_year(response):
        filename = (request.view_args or {}).get("filename")
        if request.endpoint == "static" and response.status_code == 200 and filename \
                and request.args.get("v") == fingerprint(app.static_folder, filename):
            # Only the address of this very content (an old process serving another version under a new
            # address during a deployment must not have it kept for a year).
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response

    # What a browser reads as text, compressed when it says it can take it (the live stream is left alone:
    # an event stream must not wait for a buffer to fill).
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "text/css", "text/javascript", "application/javascript",
                                                 "application/json", "application/problem+json", "text/calendar",
                                                 "application/atom+xml", "image/svg+xml", "text/csv"])
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)  # a stream is sent as it is made, never held for a buffer
    Compress(app)

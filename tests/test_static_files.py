"""Static files are addressed by a fingerprint of their content and kept by browsers for a year; text answers are
compressed; the script that folds the phone's menu runs before the first paint (no layout shift)."""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import brotli

STATIC = Path(__file__).resolve().parent.parent / "platform" / "web" / "static"


def test_static_addresses_carry_a_fingerprint_and_are_kept_for_a_year(sqlite_app):
    client = sqlite_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/konsey\.css\?v=([0-9a-f]{12}))"', page)
    assert css, page[:800]
    assert css.group(2) == hashlib.sha256((STATIC / "konsey.css").read_bytes()).hexdigest()[:12]
    kept = client.get(css.group(1))
    assert kept.status_code == 200
    assert kept.cache_control.max_age == 365 * 24 * 3600 and kept.cache_control.immutable and kept.cache_control.public
    assert not kept.cache_control.no_cache  # kept, not asked about again
    other = client.get("/static/konsey.css?v=000000000000")  # not this content's address (another version)
    assert other.status_code == 200 and not other.cache_control.immutable
    plain = client.get("/static/konsey.css")  # an address without its fingerprint is not kept for long
    assert plain.status_code == 200 and not plain.cache_control.immutable
    assert (plain.cache_control.max_age or 0) < 365 * 24 * 3600


def test_the_menu_is_folded_before_the_first_paint(sqlite_app):
    page = sqlite_app.test_client().get("/login").get_data(as_text=True)
    head = page.split("</head>")[0]
    early = re.search(r'<script src="/static/early\.js\?v=[0-9a-f]{12}"></script>', head)
    assert early, "early.js is read in the head, not deferred"
    assert 'classList.add("js")' in (STATIC / "early.js").read_text()


def test_text_answers_are_compressed(sqlite_app):
    client = sqlite_app.test_client()
    plain = client.get("/login").get_data()
    answer = client.get("/login", headers={"Accept-Encoding": "br, gzip"})
    assert answer.headers["Content-Encoding"] == "br" and "Accept-Encoding" in answer.headers["Vary"]
    assert len(answer.get_data()) < len(plain) / 2
    assert brotli.decompress(answer.get_data()).count(b"<form") == plain.count(b"<form")
    zipped = client.get("/api/v1/reference/provinces", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert b"Ankara" in gzip.decompress(zipped.get_data())
    assert "Content-Encoding" not in client.get("/login", headers={"Accept-Encoding": "identity"}).headers

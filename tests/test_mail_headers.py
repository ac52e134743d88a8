"""What every automatic e-mail carries: a date in the council's zone, an id under the public host, the mark of an
automatic message, and an HTML part (escaped, its links clickable) beside a text that holds a link; all of it read
back by Python's strict e-mail parser."""

from __future__ import annotations

import email
import email.policy
from datetime import datetime
from zoneinfo import ZoneInfo


def test_an_automatic_message_says_when_where_and_that_it_is_automatic(app, world, monkeypatch):
    from konsey.core.mail import build_message
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    monkeypatch.setitem(app.config, "KONSEY_BASE_URL", "https://konsey.izmir.bel.tr/")  # the app is shared
    with app.app_context(), bound_council(council):
        db.session.get(Council, council).timezone = "Asia/Tokyo"  # not the server's zone, not Türkiye's
        db.session.flush()
        text = ("Toplantıya <davet> & çağrı.\n\nBağlantınız: https://konsey.izmir.bel.tr/izmir/remote/a.b?c=1.\n"
                "İyi günler")
        sent = bytes(build_message("uye@izmir.example.org", "Davet", text))
        plain = bytes(build_message("uye@izmir.example.org", "Not", "Bağlantısız bir not."))
        db.session.rollback()
    message = email.message_from_bytes(sent, policy=email.policy.strict)
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@konsey.izmir.bel.tr>")
    assert message["Date"].datetime.utcoffset() == datetime.now(ZoneInfo("Asia/Tokyo")).utcoffset()
    assert message.get_body(("plain",)).get_content().startswith("Toplantıya <davet> & çağrı.")
    html = message.get_body(("html",)).get_content()
    assert "&lt;davet&gt; &amp; çağrı" in html and "<davet>" not in html
    link = "https://konsey.izmir.bel.tr/izmir/remote/a.b?c=1"
    assert f'<a href="{link}">{link}</a>.' in html  # the sentence's full stop is not part of the address
    only_text = email.message_from_bytes(plain, policy=email.policy.strict)
    assert not only_text.is_multipart() and only_text["Auto-Submitted"] == "auto-generated"

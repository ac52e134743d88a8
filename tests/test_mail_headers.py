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


def test_a_long_turkish_subject_keeps_every_space(app, mailbox):
    """Python's own header folding (3.11) dropped the space where a plain word follows an encoded one
    ("Yürütme Kurulu olağanüstütoplantısında"); the subject reaches the mail server and back as it was written."""
    from konsey.core.mail import build_message, deliver

    subjects = ["Karar 2026/12: Yürütme Kurulu olağanüstü toplantısında alınan kararlar ve ekleri hakkında bilgi",
                "Davet: Kasım Genel Kurulu", "Invitation: a plain subject"]
    with app.app_context():
        for subject in subjects:
            deliver(build_message("uye@example.org", subject, "Metin"))
    received = mailbox.wait_for(len(subjects))
    assert [str(m["Subject"]) for m in received] == subjects
    mailbox.clear()
    with app.app_context():  # a title with a line break cannot add a header of its own
        deliver(build_message("uye@example.org", "Davet: Bütçe\r\nReply-To: kotu@example.org", "Metin"))
        deliver(build_message("uye@example.org", "Budget\nBcc: evil@example.org", "Metin"))
    injected = mailbox.wait_for(2)
    assert [str(m["Subject"]) for m in injected] == ["Davet: Bütçe Reply-To: kotu@example.org",
                                                     "Budget Bcc: evil@example.org"]
    assert all(m["Reply-To"] is None and m["Bcc"] is None for m in injected)
    for message in received:
        raw = message.as_bytes(policy=email.policy.SMTP)
        header = raw.split(b"\r\n\r\n")[0]
        assert max(len(line) for line in header.split(b"\r\n")) <= 78  # folded, as RFC 5322 asks

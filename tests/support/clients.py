"""Clients of the app (API with a token, pages signed in), and a municipality's webhook receiver."""

from __future__ import annotations

import threading


class ApiClient:
    def __init__(self, client, token: str | None = None, language: str = "en"):
        self.client, self.token, self.language = client, token, language

    def _headers(self, extra=None):
        headers = {"Accept-Language": self.language}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers | (extra or {})

    def __getattr__(self, method):
        if method not in ("get", "post", "patch", "put", "delete"):
            raise AttributeError(method)

        def call(url, headers=None, **kwargs):
            return getattr(self.client, method)(url, headers=self._headers(headers), **kwargs)

        return call

    def start_meeting(self, meeting_id, minutes: int = -1) -> None:
        """The day of a meeting this client called has come (see support.world.start_meeting)."""
        from support.world import start_meeting

        start_meeting(self.client.application, meeting_id, minutes)



def approve_by_general_assembly(admin, base: str, body_id: str, voters: list[str]) -> dict:
    """Through the API: a general assembly meeting where ``voters`` adopt the board's proposal of a body."""
    from datetime import UTC, datetime, timedelta

    bodies = {b["kind"]: b["id"] for b in admin.get(f"{base}/bodies").json}
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    meeting = admin.post(f"{base}/meetings", json={"body_id": bodies["general_assembly"], "title": "Genel Kurul",
                                                   "scheduled_at": when, "agenda": ["Önerinin onayı"]}).json
    admin.start_meeting(meeting["id"])
    url = f"{base}/meetings/{meeting['id']}"
    for member_id in voters:
        admin.post(f"{url}/attendance", json={"member_id": member_id})
    item = admin.get(url).json["agenda"][0]["id"]
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": item}).json
    for member_id in voters:
        admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": member_id, "choice": "yes"})
    admin.post(f"{url}/votes/{vote['id']}/close", json={})
    return admin.post(f"{base}/bodies/{body_id}/approval", json={"vote_id": vote["id"]})


def sitting(admin, base: str, body_id: str, present: list[str], title: str = "Seçimli toplantı") -> str:
    """Through the API: a meeting of ``body_id`` held now with ``present`` checked in; its id (where an
    election's rounds are counted)."""
    from datetime import UTC, datetime, timedelta

    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    meeting = admin.post(f"{base}/meetings", json={"body_id": body_id, "title": title, "scheduled_at": when,
                                                   "agenda": ["Seçim"]}).json
    admin.start_meeting(meeting["id"])
    for member_id in present:
        assert admin.post(f"{base}/meetings/{meeting['id']}/attendance",
                          json={"member_id": member_id}).status_code == 200
    return meeting["id"]


def take_export(admin, base: str) -> dict:
    """Through the API: ask for the council's full export, let the worker write it (the relay, eagerly), follow
    the job to its file and return the document."""
    import gzip
    import json

    from konsey.worker.relay import relay

    started = admin.post(f"{base}/exports")
    assert started.status_code == 202, started.json
    assert started.json["state"] == "queued"
    with admin.client.application.app_context():
        while relay():
            pass
    job = admin.get(started.headers["Location"]).json
    assert job["state"] == "ready" and job["tables_done"] == job["tables_total"] > 0, job
    file = admin.get(job["download"])
    assert file.status_code == 200 and file.mimetype == "application/gzip"
    return json.loads(gzip.decompress(file.data))


def login(client, email: str, password: str = "correct horse battery"):
    return client.post("/login", data={"email": email, "password": password})



class WebhookReceiver:
    """Verifies Standard Webhooks signatures and keeps each ``webhook-id`` once, as a careful municipality
    would; ``answers`` queues (status, headers) replies before the default 204."""

    def __init__(self, secret: str | None = None, delay: float = 0.0, hold_after: int | None = None):
        import http.server

        self.secret, self.delay = secret, delay
        # Requests after the first ``hold_after`` wait for ``released`` (a test that kills a worker mid-batch
        # needs the batch to be still going, however loaded the machine is).
        self.hold_after, self.released = hold_after, threading.Event()
        self.received: dict[str, dict] = {}  # webhook-id → payload (de-duplicated)
        self.requests = 0
        self.rejected = 0
        self.answers: list[tuple[int, dict]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                import json
                import time

                from standardwebhooks import Webhook, WebhookVerificationError

                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.requests += 1
                    count = receiver.requests
                    answer = receiver.answers.pop(0) if receiver.answers else None
                if receiver.hold_after is not None and count > receiver.hold_after:
                    receiver.released.wait(timeout=120)
                if answer is not None:
                    self.send_response(answer[0])
                    for name, value in answer[1].items():
                        self.send_header(name, value)
                    self.end_headers()
                    return
                try:
                    payload = Webhook(receiver.secret).verify(body, dict(self.headers)) if receiver.secret \
                        else json.loads(body)
                except WebhookVerificationError:
                    with receiver.lock:
                        receiver.rejected += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                with receiver.lock:
                    receiver.received.setdefault(self.headers["webhook-id"], payload)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/konsey"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.released.set()
        self.server.shutdown()



def adopted_motion(app, world, council_id, title="Bisiklet yolu", member_id=None):
    """A motion adopted from a working group's decision, with its outbox event; returns the motion's id."""
    from konsey.core import votes
    from konsey.core.bodies import Body
    from konsey.core.meetings import Choice, Meeting, Vote
    from konsey.core.membership import Member
    from konsey.core.motions import adopt
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    if member_id is None:
        member_id = world.member(council_id, name="Ayşe Kaya")
        world.body_with_seat(council_id, member_id)
    refs = world.meeting_with_vote(council_id, member_id)
    with app.app_context(), bound_council(council_id):
        vote = db.session.get(Vote, refs["vote_a"])
        meeting = db.session.get(Meeting, refs["meeting_a"])
        body = db.session.get(Body, meeting.body_id)
        votes.cast(vote, meeting, body, db.session.get(Member, member_id), Choice.YES)
        votes.close_vote(vote, meeting, body)
        motion = adopt(vote, title, "Sahil boyunca kesintisiz bir bisiklet yolu yapılması önerilir.")
        db.session.commit()
        return motion.id


def ballot_recorded(phone) -> None:
    """A phone's answer to its own ballot (a Playwright page): the buttons go and the sentence says it was
    recorded (with the choice, for a vote by name)."""
    phone.locator("form[data-live-ballot]").wait_for(state="hidden")
    phone.get_by_test_id("ballot-said").filter(has_text="kaydedildi").wait_for()


def relay_all(app) -> None:
    """Run the outbox's work as the worker would, until nothing is left (an SMS queued by a code or a link, …)."""
    from konsey.worker.relay import relay

    with app.app_context():
        while relay():
            pass


def link_tokens(app, council, meeting_id) -> dict:
    """member id → the key of their personal link to the meeting (what the e-mail or the SMS carries)."""
    import uuid

    from sqlalchemy import select

    from konsey.core.passes import MeetingPass, link_token
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.test_request_context(), bound_council(council):
        return {str(p.member_id): link_token(p) for p in db.session.scalars(
            select(MeetingPass).where(MeetingPass.meeting_id == uuid.UUID(str(meeting_id))))}

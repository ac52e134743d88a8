"""The people bench/load.py sends to the server (Locust, headless). Read their settings from the environment:

LOAD_SLUG (the big council), LOAD_TOKEN (an API token of its administrator), LOAD_COOKIE (the
secretary's session cookie, name=value), LOAD_MEETING (the live general assembly), LOAD_BALLOTS (a file of "vote member" lines, one
ballot each, never sent twice), LOAD_BALLOT_START (the line to start at), LOAD_THINK (seconds between a person's
requests: 0 for saturation), LOAD_TRIVIAL=1 (only the trivial endpoint: the floor).
"""

from __future__ import annotations

import itertools
import os
import random

from locust import HttpUser, between, constant, task

SLUG = os.environ.get("LOAD_SLUG", "")
TOKEN = os.environ.get("LOAD_TOKEN", "")
MEETING = os.environ.get("LOAD_MEETING", "")
THINK = float(os.environ.get("LOAD_THINK", "5"))
LETTERS = list("ABCDEFGHIİJKLMNOÖPRSŞTUÜVYZ")


def _ballots():
    path = os.environ.get("LOAD_BALLOTS")
    if not path:
        return iter(())
    with open(path) as lines:
        pairs = [line.split() for line in lines if line.strip()]
    return iter(pairs[int(os.environ.get("LOAD_BALLOT_START", "0")):])


BALLOTS = _ballots()
SENT = itertools.count()


def _wait():
    return constant(0) if THINK == 0 else between(THINK * 0.5, THINK * 1.5)


class Trivial(HttpUser):
    """The floor: the cheapest request the same app and server answer."""

    wait_time = _wait()
    weight = 1 if os.environ.get("LOAD_TRIVIAL") == "1" else 0

    @task
    def health(self):
        self.client.get("/health", name="trivial /health")


class Secretary(HttpUser):
    """A council's people at work: the secretariat's pages, the public page, the API, ballots."""

    wait_time = _wait()
    weight = 0 if os.environ.get("LOAD_TRIVIAL") == "1" else 1

    def on_start(self):
        # The secretary signed in once (bench/load.py): every person here uses that session. A sign-in per
        # simulated person would measure the password hash (Argon2, deliberately slow), not the platform.
        name, _, value = os.environ["LOAD_COOKIE"].partition("=")
        self.client.cookies.set(name, value)
        self.api = {"Authorization": f"Bearer {TOKEN}"}

    @task(3)
    def dashboard(self):
        self.client.get(f"/{SLUG}/", name="dashboard")

    @task(3)
    def members(self):
        self.client.get(f"/{SLUG}/members?q={random.choice(LETTERS)}", name="members page")

    @task(2)
    def desk(self):
        self.client.get(f"/{SLUG}/meetings/{MEETING}", name="live desk (general assembly)")

    @task(2)
    def public(self):
        self.client.get(f"/{SLUG}/public", name="public page")

    @task(2)
    def api_members(self):
        self.client.get(f"/api/v1/councils/{SLUG}/members?per_page=50", headers=self.api, name="API members")

    @task(1)
    def api_meetings(self):
        self.client.get(f"/api/v1/councils/{SLUG}/meetings", headers=self.api, name="API meetings")

    @task(3)
    def ballot(self):
        pair = next(BALLOTS, None)
        if pair is None:
            return
        next(SENT)
        vote_id, member_id = pair
        self.client.post(f"/api/v1/councils/{SLUG}/meetings/{MEETING}/votes/{vote_id}/ballots", headers=self.api,
                         json={"member_id": member_id, "choice": random.choice(["yes", "no", "abstain"])},
                         name="ballot")

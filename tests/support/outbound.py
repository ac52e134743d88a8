"""Run the platform as a council's staff would for a while, and print every host it tried to reach.

Started by tests/test_special_data.py in a process of its own: an audit hook (PEP 578) sees every socket connect
and name lookup, and cannot be removed once added, so it must not be added to the test runner's own process.
Arguments: the app's configuration as JSON, and its instance folder."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

reached: set[str] = set()


def _audit(event: str, args: tuple) -> None:
    if event == "socket.connect":
        address = args[1]
        reached.add(str(address[0]) if isinstance(address, tuple) else "unix socket")
    elif event == "socket.getaddrinfo":
        reached.add(str(args[0]))


def main() -> None:
    sys.addaudithook(_audit)
    from konsey.app import create_app
    from konsey.app.demo import DEMO_PASSWORD, seed_demo
    from konsey.worker.relay import relay

    config, instance = json.loads(sys.argv[1]), Path(sys.argv[2])
    app = create_app(config, instance_path=instance)
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(revision="heads")
        seed_demo()
    client = app.test_client()
    client.post("/auth/login", data={"email": "sekreter@izmir.example.org", "password": DEMO_PASSWORD})
    loaded_from = set()
    for path in ("/", "/izmir/", "/izmir/members", "/izmir/meetings", "/izmir/motions", "/izmir/public",
                 "/izmir/tracker", "/izmir/personal-data/", "/izmir/bylaws", "/izmir/money", "/izmir/reports",
                 "/izmir/p/children_assembly/", "/api/v1/openapi.json"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        # What a page makes the browser load (src, stylesheets, fonts), never a link a person may follow.
        loaded_from.update(re.findall(r'(?:src|srcset)="(https?://[^/"]+)', page))
        loaded_from.update(re.findall(r'<link[^>]+rel="(?:stylesheet|preload|icon)"[^>]+href="(https?://[^/"]+)', page))
    with app.app_context():
        while relay():  # the outbox's work: notifications mailed, motions delivered, as the worker would
            pass
    print(json.dumps({"reached": sorted(reached), "loaded_from": sorted(loaded_from)}))


if __name__ == "__main__":
    main()

"""What a municipality's IT department does with the OpenAPI document works: a Python client generated from it
(openapi-python-client) runs docs/examples/api_client.py against a live server, and the document passes a linter
(Redocly's) with no errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_browser import live_server  # noqa: F401 - a fixture

from support.clients import adopted_motion
from support.npm_tools import npm_tool

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REDOCLY_VERSION = "2.77.0"  # the npm package @redocly/cli, MIT


def _document(app, folder: Path) -> Path:
    path = folder / "konsey-openapi.json"
    path.write_text(json.dumps(app.test_client().get("/api/v1/openapi.json").json, ensure_ascii=False))
    return path


@pytest.mark.real_clock  # the script runs in a process of its own, on the machine's clock
def test_a_generated_client_adds_a_member_calls_a_meeting_and_reads_the_tracker(sqlite_app, world, live_server,  # noqa: F811
                                                                               tmp_path):
    council = world.council("izmir")
    token = world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council)
    adopted_motion(sqlite_app, world, council, title="Bisiklet yolu ağı")
    document = _document(sqlite_app, tmp_path)
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # its ruff pass
    generated = subprocess.run([str(BIN / "openapi-python-client"), "generate", "--path", str(document),
                                "--output-path", str(tmp_path / "konsey_client"), "--meta", "none",
                                "--config", str(ROOT / "docs" / "examples" / "client-config.yml")],
                               capture_output=True, text=True, timeout=300, env=environment)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout + generated.stderr, generated.stdout + generated.stderr

    ran = subprocess.run([sys.executable, str(ROOT / "docs" / "examples" / "api_client.py")],
                         capture_output=True, text=True, timeout=300,
                         env={**environment, "PYTHONPATH": str(tmp_path), "KONSEY_URL": live_server,
                              "KONSEY_TOKEN": token, "KONSEY_COUNCIL": "izmir"})
    assert ran.returncode == 0, ran.stdout + ran.stderr
    lines = ran.stdout.splitlines()
    assert lines[0].startswith("member ") and "Deniz Aksoy (active)" in lines[0]
    assert lines[1].startswith("meeting ") and "Olağan Genel Kurul" in lines[1] and "(scheduled)" in lines[1]
    assert any(line.startswith("motion ") and ": Bisiklet yolu ağı | " in line for line in lines[2:]), lines

    admin = sqlite_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    members = admin.get("/api/v1/councils/izmir/members", headers=headers).json
    assert [m["name"] for m in members].count("Deniz Aksoy") == 1
    meetings = admin.get("/api/v1/councils/izmir/meetings", headers=headers).json
    assert [m["title"] for m in meetings].count("Olağan Genel Kurul") == 1


def _redocly() -> Path:
    return npm_tool("redocly", "@redocly/cli", REDOCLY_VERSION, "node_modules/.bin/redocly")


@pytest.mark.real_clock  # the linter is a process of its own; the document does not depend on the date
def test_the_openapi_document_passes_a_linter(sqlite_app, tmp_path):
    document = _document(sqlite_app, tmp_path)
    linted = subprocess.run([str(_redocly()), "lint", str(document), "--format", "json",
                             "--config", str(ROOT / "tests" / "support" / "redocly.yaml")],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path,
                            env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"})
    assert linted.stdout.strip().startswith("{"), linted.stdout[-2000:] + linted.stderr[-2000:]
    report = json.loads(linted.stdout)
    errors = [f"{p['ruleId']}: {p['message']} at {p['location'][0]['pointer']}" for p in report["problems"]
              if p["severity"] == "error"]
    assert errors == [], "\n".join(errors)
    assert linted.returncode == 0, linted.stderr

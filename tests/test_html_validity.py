"""The main pages are valid HTML by the Nu Html Checker (the W3C's validator, vnu.jar, run on this machine's
Java), with a council that has something on every page: the same pages the accessibility check walks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_accessibility import _living_council, _pages

from support.npm_tools import npm_tool

ROOT = Path(__file__).resolve().parent.parent
VNU_VERSION = "26.9.27"  # the npm package vnu-jar: the checker's own release, MIT


def _checker() -> Path:
    """vnu.jar: from KONSEY_VNU_JAR, or installed once from the npm registry (its post-install step, which could
    fetch a Java, is not run: the machine's own is used)."""
    if os.environ.get("KONSEY_VNU_JAR"):
        return Path(os.environ["KONSEY_VNU_JAR"])
    return npm_tool("vnu", "vnu-jar", VNU_VERSION, "node_modules/vnu-jar/build/dist/vnu.jar")


@pytest.mark.real_clock  # the checker is a process of its own (Java), reading what the pages were
def test_the_main_pages_are_valid_html(sqlite_app, tmp_path):
    from conftest import World
    from support.clients import login

    if shutil.which("java") is None:
        pytest.fail("Java is needed for the Nu Html Checker") if os.environ.get("CI") else \
            pytest.skip("Java is needed for the Nu Html Checker")
    jar = _checker()
    things = _living_council(sqlite_app, World(sqlite_app))
    client = sqlite_app.test_client()
    login(client, "gs@izmir.example.org")
    names = {}
    for number, path in enumerate(_pages(things)):
        answer = client.get(path, follow_redirects=True)
        assert answer.status_code == 200, path
        (tmp_path / f"{number:02d}.html").write_bytes(answer.data)
        names[f"{number:02d}.html"] = path
    checked = subprocess.run(["java", "-jar", str(jar), "--format", "json", "--skip-non-html", str(tmp_path)],
                             capture_output=True, text=True, timeout=600)
    messages = json.loads(checked.stderr or '{"messages": []}')["messages"]
    errors = [f"{names.get(m.get('url', '').rsplit('/', 1)[-1], '?')}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error"]
    assert len(names) >= 40
    assert errors == [], "\n".join(errors)

"""The full export is work for the worker: asked for, written table by table with its progress kept, offered
for a week as a compressed file, one at a time, and only to the council's own administrators."""

from __future__ import annotations

import gzip
import json
import uuid
from datetime import timedelta

import pytest

BASE = "/api/v1/councils/izmir"


@pytest.fixture
def councils(world, api):
    izmir, nilufer = world.council("izmir"), world.council("nilufer")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={izmir: "administrator"}), izmir))
    other = api(world.token(world.user("gs@nilufer.example.org", roles={nilufer: "administrator"}), nilufer))
    world.member(izmir, name="Ayşe Yılmaz")
    world.member(nilufer, name="Komşu Üye")
    return {"izmir": izmir, "nilufer": nilufer, "admin": admin, "other": other, "world": world}


def _relay(app):
    from konsey.worker.relay import relay

    with app.app_context():
        while relay():
            pass


def test_an_export_is_written_by_the_worker_and_downloaded_once_ready(app, councils):
    admin = councils["admin"]
    started = admin.post(f"{BASE}/exports")
    assert started.status_code == 202 and started.json["download"] is None
    job_url = started.headers["Location"]
    assert admin.get(job_url).json["state"] == "queued"
    again = admin.post(f"{BASE}/exports")
    assert again.status_code == 409 and "export" in again.json["errors"]  # one at a time
    early = admin.get(f"{job_url}/file")
    assert early.status_code == 409
    _relay(app)
    job = admin.get(job_url).json
    assert job["state"] == "ready" and job["percent"] == 100 and job["size_bytes"] > 0
    document = json.loads(gzip.decompress(admin.get(job["download"]).data))
    assert [m["name"] for m in document["tables"]["members"]] == ["Ayşe Yılmaz"]  # this council's only
    assert "export_jobs" not in document["tables"]  # the exports themselves are not the council's data
    actions = [e["action"] for e in admin.get(f"{BASE}/audit").json]
    assert {"export.requested", "export.ready", "export.downloaded"} <= set(actions)


def test_another_council_neither_sees_nor_downloads_the_export(app, councils):
    started = councils["admin"].post(f"{BASE}/exports")
    _relay(app)
    job_id = started.json["id"]
    other = councils["other"]
    assert other.get(f"/api/v1/councils/nilufer/exports/{job_id}").status_code == 404
    assert other.get(f"/api/v1/councils/nilufer/exports/{job_id}/file").status_code == 404
    assert other.get(f"{BASE}/exports/{job_id}").status_code in (403, 404)  # no standing in İzmir
    assert other.post("/api/v1/councils/nilufer/exports").status_code == 202  # its own is its own business


def test_progress_is_kept_table_by_table(app, councils):
    from konsey.core import export
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(councils["izmir"]):
        job = export.request_export(None)
        db.session.commit()
        seen = []

        def keep():
            db.session.commit()
            seen.append((job.state.value, job.tables_done, job.tables_total))

        export.write_export(job.id, keep)
        db.session.commit()
        assert seen[0] == ("running", 0, job.tables_total)
        done = [d for _state, d, _t in seen[1:]]
        assert done == sorted(done) and done[-1] == job.tables_total and len(done) == job.tables_total
        assert job.state is export.ExportState.READY
        export.write_export(job.id, keep)  # a redelivered event finds it done and writes nothing again
        assert len(seen) == job.tables_total + 1


def test_an_export_expires_after_a_week_and_a_new_one_replaces_it(app, councils):
    from konsey.core import export
    from konsey.tenants.db import db, utcnow
    from konsey.tenants.scoping import bound_council

    admin = councils["admin"]
    first = admin.post(f"{BASE}/exports").json["id"]
    _relay(app)
    second = admin.post(f"{BASE}/exports")
    assert second.status_code == 202
    assert admin.get(f"{BASE}/exports/{first}").json["state"] == "expired"  # only the newest is kept
    assert admin.get(f"{BASE}/exports/{first}/file").status_code == 409
    _relay(app)
    with app.app_context(), bound_council(councils["izmir"]):
        job = db.session.get(export.ExportJob, uuid.UUID(second.json["id"]))
        job.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    gone = admin.get(f"{BASE}/exports/{second.json['id']}/file")
    assert gone.status_code == 409 and "export" in gone.json["errors"]
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    with app.app_context(), acting_as(SYSTEM):
        assert system.purge_expired_exports() == 1
    with app.app_context(), bound_council(councils["izmir"]):
        job = db.session.get(export.ExportJob, uuid.UUID(second.json["id"]))
        assert job.state is export.ExportState.EXPIRED and job.content is None  # the personal data is gone


def test_the_export_page_shows_the_progress_and_then_the_file(app, world, councils):
    from conftest import login

    world.user("sekreter@izmir.example.org", roles={councils["izmir"]: "administrator"})
    client = app.test_client()
    login(client, "sekreter@izmir.example.org")
    page = client.get("/izmir/export").get_data(as_text=True)
    form = 'method="post" action="/izmir/export"'
    assert 'data-testid="export-job"' not in page and form in page
    client.post("/izmir/export")
    waiting = client.get("/izmir/export").get_data(as_text=True)
    assert 'data-state="queued"' in waiting and "data-hx-trigger=\"every 2s\"" in waiting
    assert form not in waiting  # no second request while one waits
    _relay(app)
    ready = client.get("/izmir/export").get_data(as_text=True)
    assert 'data-state="ready"' in ready and "hx-trigger" not in ready
    link = ready.split('href="')[[i for i, part in enumerate(ready.split('href="')) if "/file" in part][0]]
    file = client.get(link.split('"')[0])
    assert file.status_code == 200
    assert json.loads(gzip.decompress(file.data))["council"]["slug"] == "izmir"


def test_an_export_its_worker_never_finished_does_not_block_the_next(app, councils):
    from konsey.core import export
    from konsey.tenants.db import db, utcnow
    from konsey.tenants.scoping import bound_council

    admin = councils["admin"]
    stuck = admin.post(f"{BASE}/exports").json["id"]
    assert admin.post(f"{BASE}/exports").status_code == 409
    with app.app_context(), bound_council(councils["izmir"]):
        job = db.session.get(export.ExportJob, uuid.UUID(stuck))
        job.state, job.progress_at = export.ExportState.RUNNING, utcnow() - timedelta(minutes=11)
        db.session.commit()
    from conftest import login

    world = councils["world"]
    world.user("sekreter@izmir.example.org", roles={councils["izmir"]: "administrator"})
    client = app.test_client()
    login(client, "sekreter@izmir.example.org")
    page = client.get("/izmir/export").get_data(as_text=True)
    assert 'method="post" action="/izmir/export"' in page and "hx-trigger" not in page  # offered again
    assert admin.post(f"{BASE}/exports").status_code == 202
    assert admin.get(f"{BASE}/exports/{stuck}").json["state"] == "failed"
    _relay(app)  # the stuck job's own event, redelivered, finds it failed and writes nothing


def test_a_job_another_worker_is_writing_is_left_to_it(app, councils):
    from konsey.core import export
    from konsey.tenants.db import db, utcnow
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(councils["izmir"]):
        job = export.request_export(None)
        job.state, job.progress_at = export.ExportState.RUNNING, utcnow()
        db.session.commit()
        export.write_export(job.id, db.session.commit)  # a second copy of the event, while the first works
        assert job.state is export.ExportState.RUNNING and job.content is None
        job.progress_at = utcnow() - timedelta(minutes=11)  # the first worker died
        db.session.commit()
        export.write_export(job.id, db.session.commit)
        assert job.state is export.ExportState.READY and job.content


def test_two_requests_at_once_make_one_export(app, councils):
    """The check and the insert are two statements: the database's partial unique index keeps one."""
    from sqlalchemy.exc import IntegrityError

    from konsey.core import export
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(councils["izmir"]):
        db.session.add(export.ExportJob(tables_total=1))
        db.session.flush()
        db.session.add(export.ExportJob(tables_total=1))
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_erasing_a_member_drops_the_ready_export(app, world, councils):
    admin = councils["admin"]
    job = admin.post(f"{BASE}/exports").json["id"]
    _relay(app)
    assert admin.get(f"{BASE}/exports/{job}").json["state"] == "ready"
    ayse = admin.get(f"{BASE}/members").json[0]["id"]
    assert admin.delete(f"{BASE}/members/{ayse}").status_code in (200, 204)
    assert admin.get(f"{BASE}/exports/{job}").json["state"] == "expired"
    assert admin.get(f"{BASE}/exports/{job}/file").status_code == 409

"""The Celery application, configured from the Flask app.

Every task runs inside a Flask app context. A task that touches a council's data takes ``council_id`` as a
keyword argument and runs with that council bound, so the isolation rules hold in workers exactly as in
requests.
"""

from __future__ import annotations

import uuid
from contextlib import nullcontext

from celery import Celery, Task
from flask import Flask, has_app_context

from konsey.tenants.scoping import bound_council


class KonseyTask(Task):
    def __call__(self, *args, **kwargs):
        # An eager task (tests, the embedded demo without a worker) runs inside the caller's app context;
        # a worker's task gets one from the app the worker was started with.
        context = nullcontext() if has_app_context() else self.app.flask_app.app_context()
        with context:
            council_id = kwargs.get("council_id")
            if council_id is None:
                return self.run(*args, **kwargs)
            with bound_council(uuid.UUID(str(council_id))):
                return self.run(*args, **kwargs)


celery = Celery("konsey", task_cls=KonseyTask, include=["konsey.worker.tasks"])


def init_celery(app: Flask) -> Celery:
    prefix = app.config["KONSEY_BROKER_KEY_PREFIX"]
    celery.flask_app = app
    celery.conf.update(
        broker_url=app.config["KONSEY_BROKER_URL"],
        task_ignore_result=True,
        task_always_eager=app.config["KONSEY_TASKS_EAGER"],
        task_eager_propagates=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"global_keyprefix": prefix} if prefix else {},
        timezone="Europe/Istanbul",
        worker_hijack_root_logger=False,
    )
    app.extensions["celery"] = celery
    return celery

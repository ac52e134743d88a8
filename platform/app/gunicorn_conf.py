"""gunicorn's settings for Konsey in production (``konsey serve --production`` uses them; so can a unit file):

    gunicorn -c python:konsey.app.gunicorn_conf "konsey.app:create_app()"

Every value can be set from the environment (``/etc/konsey/konsey.env``). Why these:

* **gthread workers**, cores + 1 processes with 3 threads each: a request spends part of its time waiting on
  PostgreSQL and Redis, so threads keep a core busy while another request waits; processes use every core. Measured
  with bench/assembly.py on 2 cores (docs/performance.md): 3 × 3 answered 117–128 phone ballots a second, 4 × 4
  105–110 (more threads fight over each process's interpreter lock), 5 single-threaded workers 90.
* **preload**: the app is imported once in the master and forked, so the workers share its code pages
  (measured in docs/performance.md); every database pool is discarded in each worker after the fork, so no
  connection is ever shared between processes.
* **timeouts**: a request that runs 30 s is a bug (long work is a worker task); a worker being replaced gets
  30 s to finish its requests; keep-alive 5 s behind a load balancer.
* **max_requests** with jitter replaces each worker now and then, so a slow leak never grows; at 10,000 requests,
  not in the middle of a large assembly's vote (a new worker starts with cold caches).
* the **access log** carries the time taken (ms), so slow pages show up in the journal.
"""

from __future__ import annotations

import multiprocessing
import os

env = os.environ.get

bind = env("KONSEY_BIND", "127.0.0.1:8000")
worker_class = env("KONSEY_WEB_WORKER_CLASS", "gthread")
workers = int(env("KONSEY_WEB_WORKERS", str(multiprocessing.cpu_count() + 1)))
threads = int(env("KONSEY_WEB_THREADS", "3"))
preload_app = env("KONSEY_WEB_PRELOAD", "1") == "1"
timeout = int(env("KONSEY_WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
max_requests = int(env("KONSEY_WEB_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
accesslog = env("KONSEY_ACCESS_LOG", "-")
errorlog = "-"
# Who sent it, what, the answer, its size, how long it took (ms), and the referrer; no query-string secrets are
# logged because tokens travel in headers, never in the URL.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s"'
# Behind a reverse proxy on the same machine: trust its X-Forwarded-* headers (set the proxy's address).
forwarded_allow_ips = env("KONSEY_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "konsey-web"
# No control socket: its default path is one per user (~/.gunicorn), so two servers on one machine (a staging
# and a production instance, a test beside a benchmark) would fight over it; systemd manages the process.
control_socket_disable = True


def post_fork(server, worker):
    """Each worker opens its own database connections: discard the pools inherited from the master."""
    if not preload_app:
        return
    from konsey.tenants.db import db  # here, not at the top: gunicorn reads this file before the app exists

    app = worker.app.wsgi()
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)

"""Servers of one test alone, on free ports, that the test may stop and start (a restart of the shared
PostgreSQL or Redis would break every other test running beside it). Used by the fault tests and by
``bench/faults.py``."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from support.services import free_port, port_open

REDIS_SERVER = shutil.which("redis-server")


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


class PrivateRedis:
    """A redis-server on a free port, keeping nothing on disk."""

    def __init__(self):
        self.port = free_port()
        self.popen = None

    def start(self):
        self.popen = subprocess.Popen(  # noqa: S603 - the system's redis-server, loopback only
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: port_open("127.0.0.1", self.port), 10, "redis-server did not start")

    def stop(self):
        if self.popen and self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait()
        _wait(lambda: not port_open("127.0.0.1", self.port), 10, "redis-server did not stop")

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


def postgres_bindir() -> Path | None:
    """The newest installed PostgreSQL's programs (Debian keeps them out of PATH)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


class PrivatePostgres:
    """A PostgreSQL cluster of its own (initdb in a temporary folder, trust auth, loopback, a free port).

    PostgreSQL refuses to run as root: under root (CI) its programs run as the ``postgres`` user."""

    def __init__(self):
        self.bindir = postgres_bindir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="konsey-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.as_user = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")

    @staticmethod
    def available() -> bool:
        if postgres_bindir() is None:
            return False
        return os.geteuid() != 0 or shutil.which("runuser") is not None

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self.as_user, str(self.bindir / program), *args], check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start")
        _wait(lambda: port_open("127.0.0.1", self.port), 30, "the private PostgreSQL did not start")

    def stop(self) -> None:
        """Stop as a crash would (immediate: connections cut, no checkpoint)."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "60", "stop")

    def url(self, user: str = "postgres", database: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def platform_database(self, name: str = "konsey") -> dict:
        """A new database ``name`` and the platform's three URLs to it (app, migration, reader), as the
        settings' ``SQLALCHEMY_DATABASE_URI``, ``KONSEY_MIGRATION_DATABASE_URL`` and ``KONSEY_READER_DATABASE_URL``
        want them."""
        from sqlalchemy import create_engine, text

        admin = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return {"app": self.url("konsey_app", name), "migration": self.url("postgres", name),
                "reader": self.url("konsey_reader", name)}

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class PrivatePgBouncer:
    """PgBouncer (Debian's) in transaction pooling mode on a free port, in front of one database, with ONE
    server connection per user: every transaction of every client shares it, so whatever a transaction leaves
    on the connection is seen by the next client's transaction."""

    def __init__(self, database: str, host: str = "127.0.0.1", port: int = 5432,
                 users: tuple = ("konsey_app", "konsey_reader", "postgres")):
        self.binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="konsey-pgbouncer-"))
        (self.root / "users.txt").write_text("".join(f'"{user}" ""\n' for user in users))
        (self.root / "pgbouncer.ini").write_text(f"""[databases]
{database} = host={host} port={port} dbname={database}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
unix_socket_dir =
auth_type = trust
auth_file = {self.root / 'users.txt'}
pool_mode = transaction
default_pool_size = 1
max_client_conn = 100
ignore_startup_parameters = extra_float_digits,options
logfile = {self.root / 'pgbouncer.log'}
pidfile = {self.root / 'pgbouncer.pid'}
""")
        self.as_user = []
        if os.geteuid() == 0:  # PgBouncer, like PostgreSQL, refuses to run as root
            user = pwd.getpwnam("postgres")
            for path in (self.root, *self.root.iterdir()):
                os.chown(path, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self.popen = None

    @staticmethod
    def available() -> bool:
        return bool(shutil.which("pgbouncer") or Path("/usr/sbin/pgbouncer").exists())

    def start(self) -> None:
        self.popen = subprocess.Popen([*self.as_user, self.binary, str(self.root / "pgbouncer.ini")],  # noqa: S603
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: port_open("127.0.0.1", self.port), 20, "pgbouncer did not start")

    def url(self, user: str, database: str) -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
            self.popen.wait(timeout=20)
        shutil.rmtree(self.root, ignore_errors=True)


REDIS_SENTINEL = shutil.which("redis-sentinel")


class PrivateSentinelRedis:
    """A Redis master, its replica and a sentinel watching them, each on a free port: killing the master with -9,
    the sentinel promotes the replica within seconds. ``url`` is the sentinel:// address the platform takes."""

    MASTER = "konsey"

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="konsey-sentinel-"))
        self.ports = {"master": free_port(), "replica": free_port(), "sentinel": free_port()}
        self.popens: dict[str, subprocess.Popen] = {}

    def _redis(self, role: str, *extra: str) -> None:
        self.popens[role] = subprocess.Popen(  # noqa: S603 - the system's redis-server, loopback only
            [REDIS_SERVER, "--port", str(self.ports[role]), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.root), *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: port_open("127.0.0.1", self.ports[role]), 10, f"redis {role} did not start")

    def start(self) -> None:
        self._redis("master")
        self._redis("replica", "--replicaof", "127.0.0.1", str(self.ports["master"]))
        config = self.root / "sentinel.conf"
        config.write_text(f"port {self.ports['sentinel']}\nbind 127.0.0.1\ndir {self.root}\n"
                          f"sentinel monitor {self.MASTER} 127.0.0.1 {self.ports['master']} 1\n"
                          f"sentinel down-after-milliseconds {self.MASTER} 1000\n"
                          f"sentinel failover-timeout {self.MASTER} 5000\n")
        self.popens["sentinel"] = subprocess.Popen(  # noqa: S603
            [REDIS_SENTINEL, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: port_open("127.0.0.1", self.ports["sentinel"]), 10, "redis-sentinel did not start")
        _wait(lambda: self.replica_in_sync(), 20, "the replica did not sync")

    def replica_in_sync(self) -> bool:
        import redis

        try:
            info = redis.Redis(port=self.ports["replica"]).info("replication")
        except redis.RedisError:
            return False
        return info.get("master_link_status") == "up"

    def master_port(self) -> int | None:
        """The master's port as the sentinel names it now."""
        import redis

        try:
            found = redis.Redis(port=self.ports["sentinel"]).execute_command(
                "SENTINEL", "get-master-addr-by-name", self.MASTER)
        except redis.RedisError:
            return None
        return int(found[1]) if found else None

    def kill_master(self) -> None:
        """The master dies as a machine would (-9): nothing it held in memory and had not replicated survives."""
        self.popens["master"].kill()
        self.popens["master"].wait()

    @property
    def url(self) -> str:
        return f"sentinel://127.0.0.1:{self.ports['sentinel']}"

    def stop(self) -> None:
        for popen in self.popens.values():
            if popen.poll() is None:
                popen.kill()
                popen.wait()
        shutil.rmtree(self.root, ignore_errors=True)

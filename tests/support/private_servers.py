"""Servers of one test alone, on free ports, that the test may stop and start (a restart of the shared
PostgreSQL or Redis would break every other test running beside it). Used by the fault tests and by
``bench/faults.py``."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
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
                          f"sentinel down-after-milliseconds {self.MASTER} 2000\n"
                          f"sentinel failover-timeout {self.MASTER} 5000\n")
        self.popens["sentinel"] = subprocess.Popen(  # noqa: S603
            [REDIS_SENTINEL, str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: port_open("127.0.0.1", self.ports["sentinel"]), 10, "redis-sentinel did not start")
        _wait(lambda: self.replica_in_sync(), 20, "the replica did not sync")
        # The sentinel learns the replica from the master's INFO (every ten seconds): killed before, no failover.
        _wait(lambda: self.sentinel_knows_the_replica(), 30, "the sentinel does not know the replica")

    def sentinel_knows_the_replica(self) -> bool:
        import redis

        try:
            replicas = redis.Redis(port=self.ports["sentinel"], decode_responses=True).sentinel_slaves(self.MASTER)
        except redis.RedisError:
            return False
        return any(int(replica.get("port", 0)) == self.ports["replica"] for replica in replicas)

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
        """Whichever server is the master now dies as a machine would (-9): nothing it held in memory and had not
        replicated survives."""
        port = self.master_port()
        role = next(role for role in ("master", "replica") if self.ports[role] == port)
        self.popens[role].kill()
        self.popens[role].wait()

    @property
    def url(self) -> str:
        return f"sentinel://127.0.0.1:{self.ports['sentinel']}"

    def stop(self) -> None:
        for popen in self.popens.values():
            if popen.poll() is None:
                popen.kill()
                popen.wait()
        shutil.rmtree(self.root, ignore_errors=True)


PG_AUTOCTL = shutil.which("pg_autoctl")


class PrivateFormation:
    """pg_auto_failover on loopback: a monitor, a primary and a synchronous standby, each a ``pg_autoctl run`` of
    its own (PostgreSQL under it) in a temporary folder, on free ports. Killing a node's processes with -9, the
    monitor promotes the other within seconds (its health checks tightened here)."""

    def __init__(self, database: str = "konsey"):
        self.bindir = postgres_bindir()
        self.database = database
        self.root = Path(tempfile.mkdtemp(prefix="konsey-formation-"))
        self.ports = {"monitor": free_port(), "node1": free_port(), "node2": free_port()}
        self.popens: dict[str, subprocess.Popen] = {}
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        # pg_autoctl keeps its state under XDG folders: the test's own, never the postgres user's home.
        self.env = ["env", f"PATH={self.bindir}:{os.environ.get('PATH', '')}", f"XDG_CONFIG_HOME={self.root}/config",
                    f"XDG_DATA_HOME={self.root}/share", f"XDG_RUNTIME_DIR={self.root}/run"]

    @staticmethod
    def available() -> bool:
        return PG_AUTOCTL is not None and PrivatePostgres.available()

    def _run(self, name: str, *args: str) -> None:
        log = open(self.root / f"{name}.log", "w")  # noqa: SIM115 - the child writes it as long as it runs
        self.popens[name] = subprocess.Popen(  # noqa: S603 - the system's pg_autoctl, loopback only
            [*self.as_user, *self.env, PG_AUTOCTL, *args], stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def monitor_url(self, database: str = "pg_auto_failover", user: str = "autoctl_node") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.ports['monitor']}/{database}?sslmode=disable"

    def _monitor(self, sql: str, *params):
        import psycopg

        with psycopg.connect(self.monitor_url(user="postgres"), autocommit=True, connect_timeout=3) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def states(self) -> dict[str, tuple[str, str]]:
        """Each node's (reported state, assigned state) as the monitor sees them."""
        try:
            return {name: (reported, goal) for name, reported, goal in self._monitor(
                "SELECT nodename, reportedstate::text, goalstate::text FROM pgautofailover.node")}
        except Exception:  # noqa: BLE001 - the monitor not up yet
            return {}

    def primary(self) -> str | None:
        return next((name for name, (reported, goal) in self.states().items()
                     if reported in ("primary", "wait_primary") and goal == reported), None)

    def start(self) -> None:
        common = ["--hostname", "127.0.0.1", "--auth", "trust", "--no-ssl", "--run"]
        self._run("monitor", "create", "monitor", "--pgdata", str(self.root / "monitor"),
                  "--pgport", str(self.ports["monitor"]), *common)
        _wait(lambda: self._monitor_ready(), 90, "the pg_auto_failover monitor did not start")
        # Health checks every second, a node unhealthy after three: a failover within seconds, not a minute.
        for setting, value in (("health_check_period", "1000"), ("node_considered_unhealthy_timeout", "3000"),
                               ("primary_demote_timeout", "5000"), ("health_check_timeout", "1000")):
            self._monitor(f"ALTER SYSTEM SET pgautofailover.{setting} = '{value}'")
        self._monitor("SELECT pg_reload_conf()")
        for name in ("node1", "node2"):
            self._run(name, "create", "postgres", "--pgdata", str(self.root / name), "--pgport",
                      str(self.ports[name]), "--name", name, "--dbname", self.database,
                      "--monitor", self.monitor_url(), *common)
            wanted = "single" if name == "node1" else "secondary"  # alone, the first is "single" until joined
            _wait(lambda name=name, wanted=wanted: self.states().get(name) == (wanted, wanted), 120,
                  f"{name} did not become {wanted}: {self.states()}")
        _wait(lambda: self.states().get("node1") == ("primary", "primary"), 60, "no synchronous primary")

    def _monitor_ready(self) -> bool:
        try:
            self._monitor("SELECT 1 FROM pgautofailover.formation")
            return True
        except Exception:  # noqa: BLE001
            return False

    def url(self, user: str = "postgres", database: str | None = None) -> str:
        """Both nodes, the one that takes writes chosen at each connection (libpq's multi-host address)."""
        hosts = "&".join(f"host=127.0.0.1:{self.ports[name]}" for name in ("node1", "node2"))
        return (f"postgresql+psycopg://{user}@/{database or self.database}?{hosts}"
                "&target_session_attrs=read-write&connect_timeout=2")

    def kill(self, name: str) -> None:
        """The node's machine dies: its pg_autoctl and PostgreSQL killed with -9 (no shutdown, no checkpoint)."""
        popen = self.popens[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(popen.pid, signal.SIGKILL)
        subprocess.run(["pkill", "-9", "-f", str(self.root / name)], check=False)  # noqa: S603, S607
        with contextlib.suppress(subprocess.TimeoutExpired):
            popen.wait(timeout=30)

    def primary_now(self, timeout: float = 30) -> str:
        """The primary, asking the monitor until it answers (it may be slow on a loaded machine)."""
        _wait(lambda: self.primary() is not None, timeout, f"no primary: {self.states()}")
        return self.primary()

    def destroy(self) -> None:
        for name in self.popens:  # every node, its runuser exited or not: no PostgreSQL left behind
            self.kill(name)
        shutil.rmtree(self.root, ignore_errors=True)


PGBACKREST = shutil.which("pgbackrest")


class PrivateArchivedPostgres(PrivatePostgres):
    """A private cluster whose WAL pgBackRest archives (a repository in its folder), for full backups and a restore
    to a named moment into a new cluster (:meth:`restore_to`)."""

    STANZA = "konsey"

    def __init__(self):
        super().__init__()
        self.config = self.root / "pgbackrest.conf"
        for folder in ("repo", "log", "lock", "spool"):
            (self.root / folder).mkdir()
        self.config.write_text(
            f"[global]\nrepo1-path={self.root / 'repo'}\nrepo1-retention-full=2\nlog-level-console=warn\n"
            f"log-path={self.root / 'log'}\nlock-path={self.root / 'lock'}\nspool-path={self.root / 'spool'}\n"
            f"start-fast=y\n\n[{self.STANZA}]\npg1-path={self.data}\npg1-port={self.port}\npg1-socket-path={self.root}\n")
        with open(self.data / "postgresql.conf", "a") as settings:
            settings.write(f"\nwal_level = replica\narchive_mode = on\n"
                           f"archive_command = '{PGBACKREST} --config={self.config} --stanza={self.STANZA} "
                           f"archive-push %p'\n")
        if self.as_user:
            user = pwd.getpwnam("postgres")
            for path in (self.config, *(self.root / f for f in ("repo", "log", "lock", "spool"))):
                os.chown(path, user.pw_uid, user.pw_gid)

    @staticmethod
    def available() -> bool:
        return PGBACKREST is not None and PrivatePostgres.available()

    def backrest(self, *args: str) -> None:
        subprocess.run([*self.as_user, PGBACKREST, f"--config={self.config}", f"--stanza={self.STANZA}", *args],
                       check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def restore_to(self, point: str) -> PrivatePostgres:
        """A new cluster (its own folder and port) restored from the repository to the restore point ``point``,
        promoted: the data of that moment, nothing after it."""
        restored = PrivatePostgres.__new__(PrivatePostgres)
        restored.bindir, restored.port, restored.as_user = self.bindir, free_port(), self.as_user
        restored.root = Path(tempfile.mkdtemp(prefix="konsey-pg-restored-"))
        restored.data, restored.log = restored.root / "data", restored.root / "server.log"
        restored.data.mkdir(mode=0o700)
        if self.as_user:
            user = pwd.getpwnam("postgres")
            for path in (restored.root, restored.data):
                os.chown(path, user.pw_uid, user.pw_gid)
        # The restored server fetches its WAL with this file's configuration (pgBackRest would name its own).
        fetch = (f'{PGBACKREST} --config={self.config} --stanza={self.STANZA} --pg1-path={restored.data} '
                 'archive-get %f "%p"')
        try:
            self.backrest(f"--pg1-path={restored.data}", "--type=name", f"--target={point}",
                          "--target-action=promote", "--archive-mode=off",
                          f"--recovery-option=restore_command={fetch}", "restore")
        except BaseException:
            shutil.rmtree(restored.root, ignore_errors=True)
            raise
        return restored

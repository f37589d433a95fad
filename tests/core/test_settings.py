"""Production settings refuse to start without their secrets and a database URL,
and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    """The URL of the server the tests use, for settings that need one."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _run(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    # Only what a production host would have: no test-run leftovers such as
    # DJANGO_ALLOW_ASYNC_UNSAFE (set for the browser tests).
    dropped = (
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    )
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="config.settings.production")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _run(
        {"ALLOWED_HOSTS": "registry.example.gov.cn", "DATABASE_URL": _database_url()},
        "check",
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _run({"SECRET_KEY": "k" * 60, "DATABASE_URL": _database_url()}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _run(
        {
            "SECRET_KEY": "a-long-random-production-key-" + "q7Zp" * 12,
            "ALLOWED_HOSTS": "registry.example.gov.cn",
            "DATABASE_URL": _database_url(),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_database_url(tmp_path):
    # The embedded server would live under REGISTRY_VAR_DIR: none may appear there.
    result = _run(
        {
            "SECRET_KEY": "k" * 60,
            "ALLOWED_HOSTS": "registry.example.gov.cn",
            "REGISTRY_VAR_DIR": str(tmp_path),
        },
        "check",
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr
    assert "embedded" in result.stderr
    assert not (tmp_path / "pgdata").exists()

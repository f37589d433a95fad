"""Logs without full ID or mobile numbers (issue 13): the access log, the
console and error reports mask them; security events are one parseable line."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.test import RequestFactory

from core.logs import (
    ScrubbingExceptionReporter,
    ScrubbingFormatter,
    scrub,
    security_event,
)
from tests.federation.instances import _free_port
from tests.services.factories_applications import person_id

BASE = Path(__file__).resolve().parents[2]
PHONE = "13812345678"


def test_scrub_masks_id_and_mobile_numbers_and_nothing_else():
    text = f"GET /services/applications/?q={person_id()}&tel={PHONE}&page_size=50"
    assert scrub(text) == (
        f"GET /services/applications/?q={person_id()[:6]}********{person_id()[-4:]}"
        "&tel=138****5678&page_size=50"
    )
    untouched = "370871-20261124-00001 JK2026000123 pk=12345678901234 2026-07-27"
    assert scrub(untouched) == untouched


def test_the_console_handler_masks_every_line_and_leaves_the_record():
    handlers = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h.formatter, ScrubbingFormatter)
    ]
    assert handlers, "no scrubbing handler on the root logger"
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Bad Request: %s", None, None
    )
    record.args = (f"/services/applications/?q={person_id()}",)
    try:
        raise ValueError(f"no volunteer {PHONE}")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = handlers[0].format(record)
    assert person_id() not in line and PHONE not in line
    assert "138****5678" in line and "Bad Request: /services/applications/" in line
    # Other handlers (the number-scan gate) still see what was logged.
    assert person_id() in record.getMessage()


def test_error_reports_mask_the_query_string_and_the_traceback(settings):
    request = RequestFactory().get("/services/applications/", {"q": person_id()})
    try:
        raise ValueError(f"lookup of {PHONE} failed")
    except ValueError:
        exc_type, exc, tb = sys.exc_info()
    reporter = ScrubbingExceptionReporter(request, exc_type, exc, tb)
    for report in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert person_id() not in report and PHONE not in report
        assert "138****5678" in report


def test_security_events_are_one_line_of_key_value_pairs(caplog):
    with caplog.at_level(logging.WARNING, logger="security"):
        security_event("throttled", scope="x", reason='bad "key"', empty="")
    assert caplog.records[-1].getMessage() == (
        'security event=throttled scope=x reason="bad \\"key\\"" empty=-'
    )


@pytest.mark.django_db(transaction=True)
def test_the_access_log_masks_numbers_in_query_strings(tmp_path, local_district):
    from django.conf import settings as django_settings

    db = django_settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    port = _free_port()
    log = tmp_path / "access.log"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST", "DJANGO_ALLOW_ASYNC"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--access-logfile", str(log)],
        cwd=BASE,  # gunicorn.conf.py names the scrubbing logger
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/services/progress/"
        query = {"number": person_id(), "phone_last4": "5678", "tel": PHONE}
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(url, params=query, timeout=10)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        deadline = time.monotonic() + 10
        while (
            "/services/progress/" not in log.read_text() and time.monotonic() < deadline
        ):
            time.sleep(0.1)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(15)
    text = log.read_text()
    assert "/services/progress/?number=" in text
    assert person_id() not in text and PHONE not in text
    assert f"{person_id()[:6]}********{person_id()[-4:]}" in text
    assert "138****5678" in text

"""Logs without full ID or mobile numbers, and one line per security event.

A clerk who searches by ID number sends it in the query string, and the query
string ends up in the access log, in the "GET /…?q=…" lines of the development
server and in error reports. ``scrub`` masks every 18-character 身份证号 and
every mobile number in a text (``core.masking``: ``370802********1234``,
``138****5678``), and it is applied

- to every line the console handler writes and every mail to ADMINS
  (``ScrubbingFormatter``, ``ScrubbingAdminEmailHandler``, LOGGING);
- to gunicorn's access log (``AccessLogger``, named by ``gunicorn.conf.py``);
- to Django's error reports, as text and as HTML (``ScrubbingExceptionReporter``,
  ``DEFAULT_EXCEPTION_REPORTER``).

``security_event`` writes the one line each security event gets on the
``security`` logger: ``security event=<name> key=value …``, values quoted when
they hold a space, so a log shipper can parse them.
"""

from __future__ import annotations

import logging
import re

from django.utils.log import AdminEmailHandler
from django.views.debug import ExceptionReporter
from gunicorn.glogging import Logger

from core.masking import mask_id, mask_phone

ID_RE = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{16}[\dXx](?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")

security_log = logging.getLogger("security")


def scrub(text: str) -> str:
    """``text`` with every ID and mobile number masked."""
    if not text or not any(char.isdigit() for char in text):
        return text
    text = ID_RE.sub(lambda m: mask_id(m.group()), text)
    return PHONE_RE.sub(lambda m: mask_phone(m.group()), text)


def _value(value) -> str:
    text = "-" if value is None or value == "" else str(value)
    if any(char.isspace() or char in '"=' for char in text):
        text = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def security_event(event: str, *, level: int = logging.WARNING, **fields) -> None:
    """One line for a security event: lockout, throttled, a refused key, a reveal."""
    parts = [f"event={event}"] + [
        f"{name}={_value(value)}" for name, value in fields.items()
    ]
    security_log.log(level, "security %s", " ".join(parts))


class ScrubbingFormatter(logging.Formatter):
    """Formats a record, traceback included, with the numbers masked. The record
    itself is left as it is, so another handler (the number-scan gate of the
    tests, a log shipper with its own masking) sees what the code logged."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class ScrubbingAdminEmailHandler(AdminEmailHandler):
    """Django's mail to ADMINS, its subject masked too (the body is formatted by
    ``ScrubbingFormatter`` and the report by ``ScrubbingExceptionReporter``)."""

    def format_subject(self, subject):
        return super().format_subject(scrub(subject))


class ScrubbingExceptionReporter(ExceptionReporter):
    """Django's error report (mail to ADMINS, the debug page) with the numbers of
    the query string, the form and the frames' variables masked."""

    def get_traceback_html(self):
        return scrub(str(super().get_traceback_html()))

    def get_traceback_text(self):
        return scrub(str(super().get_traceback_text()))


class AccessLogger(Logger):
    """gunicorn's logger, its access log lines scrubbed (request line, query
    string, referrer and any header named in the format)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: scrub(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }

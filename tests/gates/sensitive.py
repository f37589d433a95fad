"""Gate: no full ID or mobile number reaches a reader who may not see it.

A pytest plugin (``pytest_plugins`` in tests/conftest.py). For the whole run it

- puts ``ScanMiddleware`` outermost in ``settings.MIDDLEWARE``: every response
  the test client or a live server gives to a caller without
  ``core.view_sensitive_data`` is searched for an 18-character 身份证号 with a
  valid check character and for mobile numbers (``1[3-9]`` + 9 digits);
- adds a handler to the root logger: every log record is searched the same way,
  except one written while serving a caller who holds the permission.

A number the caller sent in the same request (query string or body) is theirs
already and not counted, nor one they revealed in it (a reveal logged by
``core.sensitive.reveal``: staff who serve the person on that record). At the end of the session any finding fails the run
and is listed (request, who, which number, where in the body or log line).
"""

from __future__ import annotations

import datetime
import logging
import re
import threading
from dataclasses import dataclass
from urllib.parse import unquote_plus

import pytest

MIDDLEWARE = "tests.gates.sensitive.ScanMiddleware"
ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{16}[\dXx])(?![0-9A-Za-z])")
PHONE_RE = re.compile(r"(?<![0-9A-Za-z])(1[3-9]\d{9})(?![0-9A-Za-z])")
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/problem")


def is_id_number(text: str) -> bool:
    """An 18-character 身份证号: a real birth date and a valid check character."""
    from core.validators import id_check_char

    if len(text) != 18 or not text[:17].isdigit():
        return False
    try:
        born = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    return id_check_char(text[:17]) == text[17].upper()


def full_numbers(text: str) -> list[str]:
    """The unmasked ID and mobile numbers in ``text``."""
    found = [m for m in ID_RE.findall(text) if is_id_number(m)]
    found += PHONE_RE.findall(text)
    return found


@dataclass
class Finding:
    where: str  # "response" or "log"
    what: str  # the request or the logger
    who: str
    number: str
    context: str

    def __str__(self) -> str:
        return (
            f"{self.where}: {self.what} (as {self.who}): {self.number} in "
            f"…{self.context}…"
        )


class Scanner:
    """The findings of the run; tests of the gate itself ``claim`` theirs."""

    def __init__(self):
        self.findings: list[Finding] = []
        self.responses = 0
        self.records = 0
        self.lock = threading.Lock()
        self.local = threading.local()

    def add(self, where, what, who, text, allowed=""):
        """Record the numbers in ``text`` not in ``allowed``; ``who`` may be a
        callable, asked only when there is a finding (it may query the database,
        which a clean response must not: the suite pins query counts)."""
        numbers = [n for n in full_numbers(text) if n not in allowed]
        if numbers and callable(who):
            who = who()
        for number in numbers:
            at = text.find(number)
            context = text[max(0, at - 60) : at + len(number) + 20].replace("\n", " ")
            with self.lock:
                self.findings.append(Finding(where, what, who, number, context))

    def claim(self, predicate) -> list[Finding]:
        """Remove and return the findings matching ``predicate``."""
        with self.lock:
            mine = [f for f in self.findings if predicate(f)]
            self.findings = [f for f in self.findings if not predicate(f)]
        return mine


SCANNER = Scanner()


def _who(user) -> str:
    if user is None:
        return "?"
    if getattr(user, "is_partner", False):
        return str(user)
    if not user.is_authenticated:
        return "anonymous"
    roles = ",".join(sorted(g.name for g in user.groups.all())) or "no role"
    department = getattr(getattr(user, "department", None), "code", "-")
    return f"{user.get_username()} [{department}; {roles}]"


def _may_see(user) -> bool:
    from core.masking import can_see_sensitive

    try:
        return can_see_sensitive(user)
    except Exception:  # a half-built user in a failing request
        return False


def _request_input(request) -> str:
    """What the caller sent: the query string and a body we may read safely."""
    from django.conf import settings

    parts = [unquote_plus(request.META.get("QUERY_STRING", ""))]
    content_type = request.META.get("CONTENT_TYPE", "")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    if length and not content_type.startswith("multipart/") and length <= limit:
        try:
            parts.append(unquote_plus(request.body.decode("utf-8", "replace")))
        except Exception:  # unreadable input is the view's to refuse
            pass
    return "\n".join(parts)


def _revealed(user, since) -> list[str]:
    """The numbers ``user`` revealed, with the reveal logged, since ``since`` (in
    this request): staff who serve a person may see the full number on that
    record with one click (``core.sensitive.reveal``), and that answer is theirs."""
    from core.models import SensitiveReveal

    if not getattr(user, "is_authenticated", False) or getattr(
        user, "is_partner", False
    ):
        return []
    found = []
    logged = SensitiveReveal.objects.filter(user=user.pk, created_at__gte=since)
    for reveal in logged.select_related("content_type"):
        model = reveal.content_type.model_class()
        row = model._default_manager.filter(pk=reveal.object_id).first()
        value = getattr(row, reveal.field_name, "") if row is not None else ""
        if value:
            found.append(str(value))
    return found


class ScanMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import timezone

        started = timezone.now()
        sent = _request_input(request)
        previous = getattr(SCANNER.local, "request", None)
        SCANNER.local.request = (request, sent)
        try:
            response = self.get_response(request)
        finally:
            SCANNER.local.request = previous
        user = getattr(request, "user", None)
        SCANNER.responses += 1
        if getattr(response, "streaming", False):
            return response
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(TEXT_TYPES):
            return response
        text = response.content.decode(response.charset or "utf-8", "replace")
        # Who the caller is and what they may see is asked only when the body
        # holds a number: a clean response costs a regex, never a query.
        if not full_numbers(text) or _may_see(user):
            return response
        posted = getattr(request, "_post", None)
        if posted is not None:
            sent += "\n" + "\n".join(v for vs in posted.lists() for v in vs[1])
        sent += "\n" + "\n".join(_revealed(user, started))
        SCANNER.add(
            "response",
            f"{request.method} {request.get_full_path()} → {response.status_code}",
            lambda: _who(user),
            text,
            allowed=sent,
        )
        return response


class ScanHandler(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record):
        try:
            text = self.format(record)
        except Exception:
            return
        SCANNER.records += 1
        if not full_numbers(text):
            return
        current = getattr(SCANNER.local, "request", None)
        who = "no request"
        if current is not None:
            request, _sent = current
            user = getattr(request, "user", None)
            if _may_see(user):
                return
            who = f"{_who(user)} during {request.method} {request.path}"
        SCANNER.add("log", record.name, who, text)


HANDLER = ScanHandler()


def pytest_configure(config):
    from django.conf import settings

    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    logging.getLogger().addHandler(HANDLER)


def pytest_runtest_setup(item):
    """Logging reconfigured by a test (dictConfig) drops handlers: put it back."""
    root = logging.getLogger()
    if HANDLER not in root.handlers:
        root.addHandler(HANDLER)


def pytest_unconfigure(config):
    logging.getLogger().removeHandler(HANDLER)


def pytest_testnodedown(node, error):
    """pytest-xdist: a worker's findings come back to the controller."""
    for item in node.workeroutput.get("sensitive_findings", []):
        SCANNER.findings.append(Finding(**item))


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["sensitive_findings"] = [f.__dict__ for f in SCANNER.findings]
        return
    if SCANNER.findings and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if getattr(config, "workeroutput", None) is not None or not SCANNER.findings:
        return
    terminalreporter.section("unmasked ID or mobile numbers", sep="=", red=True)
    seen = set()
    for finding in SCANNER.findings:
        line = str(finding)
        if line not in seen:
            seen.add(line)
            terminalreporter.write_line(line)
    terminalreporter.write_line(
        f"{len(SCANNER.findings)} finding(s) from {SCANNER.responses} responses "
        f"and {SCANNER.records} log records: the run fails (tests/gates/sensitive.py)."
    )

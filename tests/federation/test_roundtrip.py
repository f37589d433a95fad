"""One application carried across two running instances and back (issue 7).

A = 济宁经开区 (accepting), B = 潍坊滨海 (home). Everything goes over real HTTP:
staff use each instance's REST API with their tokens, and each instance's outbox
worker (``manage.py deliver_outbox --once``) delivers to the other.
"""

from __future__ import annotations

import hashlib
import json
import time

import pytest
import requests

from tests.federation.instances import HTTP_TIMEOUT, Instance, last_line
from tests.services.factories_applications import PDF_BYTES, person_id

MATTER_CODE = "37079100SP-XK-0101"
SETUP = """
from django.contrib.auth.models import Group
from core.actions import staff_token_issue
from core.models import Department, District, User
from services.models import Matter, MatterMaterial, Agreement, AgreementMatter
import datetime
here = District.objects.get(kind="local")
partner = District.objects.get(code="{partner}")
home_dept, _ = Department.objects.get_or_create(
    district=District.objects.get(code="370790"), code="BHXZSP",
    defaults={{"name": "潍坊滨海经济技术开发区行政审批服务局"}})
matter, _ = Matter.objects.get_or_create(code="{code}", defaults=dict(
    name="残疾人证办理", kind="7", department=home_dept, statutory_days=20,
    promised_days=5, status="published", mail_supported=True))
MatterMaterial.objects.get_or_create(matter=matter, name="居民身份证", defaults={{"required": True}})
# both sides list the matter in their agreement with the other
agreement, _ = Agreement.objects.get_or_create(code="TB-001", defaults=dict(
    title="全省通办合作协议", partner=partner, modes=["proxy"],
    signed_on=datetime.date(2021, 6, 25), effective_on=datetime.date(2021, 7, 1)))
AgreementMatter.objects.get_or_create(agreement=agreement, matter=matter,
    defaults=dict(batch="首批", effective_from=datetime.date(2021, 7, 1)))
user, _ = User.objects.get_or_create(username="staff", defaults=dict(
    last_name="王", first_name="芳", department=Department.objects.filter(district=here).first()))
user.groups.add(Group.objects.get(name="区级管理员"))
token = staff_token_issue(actor=user, name="roundtrip").secret
print(json.dumps({{"token": token, "partner_id": partner.pk, "matter_id": matter.pk,
    "requirement_id": matter.materials.get().pk}}))
"""


def _setup(instance: Instance, partner: Instance) -> dict:
    script = "import json\n" + SETUP.format(partner=partner.code, code=MATTER_CODE)
    return json.loads(last_line(instance.manage("shell", "-c", script)))


class Staff:
    """A staff member calling an instance's API with a personal token."""

    def __init__(self, instance: Instance, token: str):
        self.base = instance.url + "/api/v1"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {token}"

    def get(self, path):
        response = self.session.get(self.base + path, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, response.text
        return response.json()

    def step(self, app_id, verb, **body):
        current = self.get(f"/applications/{app_id}/")
        response = self.session.post(
            f"{self.base}/applications/{app_id}/{verb}/",
            json=body,
            headers={"If-Match": f'"{current["version"]}"'},
            timeout=HTTP_TIMEOUT,
        )
        assert response.status_code == 200, response.text
        return response.json()

    def find(self, number):
        rows = self.get(f"/applications/?q={number}")["results"]
        assert len(rows) == 1, rows
        return self.get(f"/applications/{rows[0]['id']}/")


def _deliver(instance: Instance) -> str:
    return last_line(instance.manage("deliver_outbox", "--once"))


def _deliver_until_quiet(instance: Instance, rounds: int = 6) -> None:
    for _ in range(rounds):
        if "已投递 0，待重试 0" in _deliver(instance):
            return
        time.sleep(1.1)  # past the test backoff ceiling (1 s)


@pytest.fixture(scope="module")
def staff(pair):
    a, b = pair
    at_a, at_b = _setup(a, b), _setup(b, a)
    return (Staff(a, at_a["token"]), at_a), (Staff(b, at_b["token"]), at_b)


def _take_and_accept(staff_a: Staff, ids: dict, applicant_serial: str) -> dict:
    created = staff_a.session.post(
        staff_a.base + "/applications/",
        json={
            "matter": ids["matter_id"],
            "applicant_kind": "person",
            "applicant_name": "刘桂兰",
            "applicant_id_number": person_id("19650412", applicant_serial),
            "applicant_phone": "13953712345",
            "channel": "window",
            "home_district": ids["partner_id"],
            "delivery_method": "mail",
            "delivery_address": "潍坊滨海区央子街道1号",
        },
        timeout=HTTP_TIMEOUT,
    )
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    upload = staff_a.session.post(
        f"{staff_a.base}/applications/{app_id}/materials/",
        data={"requirement": ids["requirement_id"]},
        files={"file": ("身份证.pdf", PDF_BYTES, "application/pdf")},
        timeout=HTTP_TIMEOUT,
    )
    assert upload.status_code == 201, upload.text
    return staff_a.step(app_id, "accept")


def _decide_at_b(staff_b: Staff, number: str) -> dict:
    app = staff_b.find(number)
    assert app["status"] == "accepted"
    for verb, body in [
        ("start-review", {}),
        ("approve", {"note": "符合条件"}),
        ("issue-certificate", {"certificate_number": "鲁残证2026-0701"}),
        (
            "deliver",
            {
                "delivery_method": "mail",
                "carrier": "中国邮政EMS",
                "tracking_number": "1180000000701",
            },
        ),
        ("close", {}),
    ]:
        staff_b.step(app["id"], verb, **body)
    return staff_b.find(number)


def _assert_same_end(staff_a: Staff, staff_b: Staff, number: str) -> None:
    at_a, at_b = staff_a.find(number), staff_b.find(number)
    assert at_a["status"] == at_b["status"] == "closed"
    assert at_a["tracking_number"] == "1180000000701"
    assert at_a["certificate_number"] == "鲁残证2026-0701"
    hashes_a = sorted(m["sha256"] for m in at_a["materials"])
    hashes_b = sorted(m["sha256"] for m in at_b["materials"])
    assert hashes_a == hashes_b == [hashlib.sha256(PDF_BYTES).hexdigest()]
    steps_a = [e["verb"] for e in at_a["events"]]
    steps_b = [e["verb"] for e in at_b["events"]]
    # A's own steps, then B's steps mirrored, once each and in order
    assert steps_a[-5:] == [
        "start_review",
        "approve",
        "issue_certificate",
        "deliver",
        "close",
    ]
    assert steps_b[-6:] == [
        "receive",
        "start_review",
        "approve",
        "issue_certificate",
        "deliver",
        "close",
    ]
    for verb in ("accept", "start_review", "approve", "issue_certificate", "deliver"):
        assert steps_a.count(verb) == 1, steps_a  # mirrored once, never twice
    assert steps_b.count("receive") == 1


def test_application_goes_across_and_back(pair, staff):
    a, b = pair
    (staff_a, ids_a), (staff_b, _) = staff
    accepted = _take_and_accept(staff_a, ids_a, "026")
    assert "已投递 1" in _deliver(a)
    _decide_at_b(staff_b, accepted["number"])
    _deliver_until_quiet(b)
    _assert_same_end(staff_a, staff_b, accepted["number"])


def test_partner_down_for_the_first_attempts(pair, staff):
    a, b = pair
    (staff_a, ids_a), (staff_b, _) = staff
    accepted = _take_and_accept(staff_a, ids_a, "034")
    b.stop()
    try:
        assert "待重试 1" in _deliver(a)
        time.sleep(1.1)
        assert "待重试 1" in _deliver(a)
    finally:
        b.start()
    time.sleep(1.1)
    _deliver_until_quiet(a)
    _decide_at_b(staff_b, accepted["number"])
    a.stop()  # now the accepting side is down while B reports back
    try:
        assert "待重试" in _deliver(b)
    finally:
        a.start()
    time.sleep(1.1)
    _deliver_until_quiet(b)
    _assert_same_end(staff_a, staff_b, accepted["number"])


CRASH_AFTER_SEND = """
import os, requests
from django.db import transaction
from services import outbox
with transaction.atomic():
    message = outbox._due_messages().select_for_update(skip_locked=True).first()
    outbox._attempt(message, requests.Session())
    os._exit(137)  # killed after sending, before the commit that records it
"""


def test_worker_killed_between_sending_and_recording(pair, staff):
    a, b = pair
    (staff_a, ids_a), (staff_b, _) = staff
    accepted = _take_and_accept(staff_a, ids_a, "042")
    crashed = a.manage("shell", "-c", CRASH_AFTER_SEND, check=False)
    assert crashed.returncode == 137
    # B already has it, but A still holds the message as pending: it is sent again
    assert staff_b.find(accepted["number"])["status"] == "accepted"
    assert "已投递 1" in _deliver(a)
    _decide_at_b(staff_b, accepted["number"])
    crashed = b.manage("shell", "-c", CRASH_AFTER_SEND, check=False)
    assert crashed.returncode == 137
    _deliver_until_quiet(b)
    _assert_same_end(staff_a, staff_b, accepted["number"])


# Forcing every message back to pending is a test's data fix, said explicitly.
REDELIVER_ALL = """
from django.utils import timezone
from core.audit import actor_context
from core.workflow import status_writes_allowed
from services.models import OutboxMessage
with status_writes_allowed(OutboxMessage), actor_context(None, source="test"):
    print(OutboxMessage.objects.update(status="pending", next_attempt_at=timezone.now()))
"""


def test_every_message_delivered_twice(pair, staff):
    a, b = pair
    (staff_a, ids_a), (staff_b, _) = staff
    accepted = _take_and_accept(staff_a, ids_a, "059")
    _deliver(a)
    _decide_at_b(staff_b, accepted["number"])
    _deliver_until_quiet(b)
    before_a = staff_a.find(accepted["number"])
    before_b = staff_b.find(accepted["number"])
    for instance in (a, b):
        assert int(last_line(instance.manage("shell", "-c", REDELIVER_ALL))) > 0
        _deliver_until_quiet(instance)
    after_a = staff_a.find(accepted["number"])
    after_b = staff_b.find(accepted["number"])
    assert len(after_a["events"]) == len(before_a["events"])
    assert len(after_b["events"]) == len(before_b["events"])
    count_b = staff_b.get(f"/applications/?q={accepted['number']}")["results"]
    assert len(count_b) == 1
    _assert_same_end(staff_a, staff_b, accepted["number"])


# A test's data fix on one application, said explicitly.
SET_STATUS = """
from core.audit import actor_context
from core.workflow import status_writes_allowed
from services.models import Application
with status_writes_allowed(Application), actor_context(None, source="test"):
    print(Application.objects.filter(number="{number}").update(status="{status}"))
"""


def _set_status_at(instance: Instance, number: str, status: str) -> None:
    script = SET_STATUS.format(number=number, status=status)
    assert last_line(instance.manage("shell", "-c", script)) == "1"


def test_reconciliation_reports_no_difference_then_a_mismatch(pair, staff):
    a, b = pair
    (staff_a, ids_a), (staff_b, _) = staff
    number = _take_and_accept(staff_a, ids_a, "067")["number"]
    assert "已投递 1" in _deliver(a)
    assert staff_b.find(number)["status"] == "accepted"
    agreed = a.manage("reconcile_partner", b.code, check=False)
    assert "对账" in last_line(agreed)
    assert number not in agreed.stdout + agreed.stderr
    _set_status_at(a, number, "in_review")
    try:
        result = a.manage("reconcile_partner", b.code, check=False)
    finally:
        _set_status_at(a, number, "accepted")  # the pair is shared by later tests
    assert result.returncode == 1
    [line] = [line for line in result.stdout.splitlines() if number in line]
    assert "状态不一致" in line

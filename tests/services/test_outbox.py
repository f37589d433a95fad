"""The outbox worker against a real HTTP server on loopback."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.actions import partner_outbound_key_set
from core.audit import actor_context
from core.choices import Role
from core.models import StateChange
from services import outbox
from services.models import OutboxMessage, OutboxStatus
from tests.services.factories_applications import intake, make_matter

pytestmark = pytest.mark.django_db


class PartnerStub:
    """A partner's endpoint: answers with the next scripted status, records requests."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stub.requests.append(
                    {
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": json.loads(body),
                    }
                )
                status = stub.statuses.pop(0) if stub.statuses else 201
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def partner(partner_district):
    def build(statuses=()):
        stub = PartnerStub(statuses)
        partner_district.api_base_url = stub.url
        partner_district.save()
        partner_outbound_key_set(actor=None, district=partner_district, key="their-key")
        return stub

    stubs = []
    yield lambda statuses=(): stubs.append(build(statuses)) or stubs[-1]
    for stub in stubs:
        stub.close()


def _message(district, key="app-1", application=None, **payload):
    return outbox.message_enqueue(
        destination=district,
        kind="application.transfer",
        aggregate_key=str(application.uuid) if application else key,
        path="/api/v1/federation/applications/",
        payload=payload or {"n": 1},
        application=application,
    )


def _due_now(message):
    # The worker's backoff field, not the status: written directly in tests.
    with actor_context(None):
        OutboxMessage.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now()
        )


def test_delivers_with_key_and_idempotency_key(partner, partner_district):
    stub = partner()
    message = _message(partner_district, number="3708712026112500001")
    report = outbox.deliver_due()
    assert report.delivered == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED and message.attempts == 1
    sent = stub.requests[0]
    assert sent["headers"]["Authorization"] == "Api-Key their-key"
    assert sent["headers"]["Idempotency-Key"] == str(message.idempotency_key)
    assert sent["body"] == {"number": "3708712026112500001"}


def test_failure_backs_off_then_succeeds_with_same_key(partner, partner_district):
    stub = partner([503])
    message = _message(partner_district)
    assert outbox.deliver_due().retried == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.next_attempt_at > timezone.now()
    assert message.attempt_log.get().status_code == 503
    # not due yet: nothing is sent
    assert outbox.deliver_due().delivered == 0
    _due_now(message)
    assert outbox.deliver_due().delivered == 1
    keys = {r["headers"]["Idempotency-Key"] for r in stub.requests}
    assert keys == {str(message.idempotency_key)} and len(stub.requests) == 2


def test_permanent_error_goes_to_dead_letter_and_staff_can_retry(
    partner, partner_district, client, staff_factory
):
    partner([400])
    message = _message(partner_district)
    assert outbox.deliver_due().dead == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD

    client.force_login(staff_factory(Role.DISTRICT_ADMIN))
    page = client.get(reverse("services:outbox-detail", args=[message.pk]))
    assert (
        "投递失败（死信）" in page.content.decode()
        and "重新投递" in page.content.decode()
    )
    message.refresh_from_db()
    client.post(
        reverse("services:outbox-retry", args=[message.pk]),
        {"version": message.version},
    )
    assert outbox.deliver_due().delivered == 1
    assert message.attempt_log.count() == 2
    steps = StateChange.objects.filter(object_id=message.pk).order_by("id")
    assert [s.verb for s in steps] == ["dead_letter", "retry", "mark_delivered"]


def test_max_attempts_leads_to_dead_letter(partner, partner_district, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    partner([500, 500])
    message = _message(partner_district)
    outbox.deliver_due()
    with actor_context(None):
        OutboxMessage.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now()
        )
    assert outbox.deliver_due().dead == 1


def test_partner_down_is_retried(partner_district):
    partner_district.api_base_url = "http://127.0.0.1:9"  # nothing listens there
    partner_district.save()
    partner_outbound_key_set(actor=None, district=partner_district, key="k")
    message = _message(partner_district)
    assert outbox.deliver_due().retried == 1
    message.refresh_from_db()
    assert "ConnectionError" in message.last_error


def test_later_message_of_same_application_waits_for_the_earlier(
    partner, partner_district
):
    stub = partner([503])
    first = _message(partner_district, key="app-9", step=1)
    second = _message(partner_district, key="app-9", step=2)
    other = _message(partner_district, key="app-10", step=1)
    outbox.deliver_due()
    # first failed and waits; second must not overtake it; the other app goes
    assert [r["body"] for r in stub.requests] == [{"step": 1}, {"step": 1}]
    with actor_context(None):
        OutboxMessage.objects.filter(pk=first.pk).update(next_attempt_at=timezone.now())
    outbox.deliver_due()
    assert [r["body"]["step"] for r in stub.requests][-2:] == [1, 2]
    assert all(
        m.status == OutboxStatus.DELIVERED
        for m in OutboxMessage.objects.filter(pk__in=[first.pk, second.pk, other.pk])
    )


def test_backoff_grows_exponentially_with_jitter(settings):
    settings.OUTBOX_BACKOFF_BASE_SECONDS = 10
    settings.OUTBOX_BACKOFF_MAX_SECONDS = 100
    for attempts, ceiling in [(1, 10), (2, 20), (3, 40), (5, 100), (9, 100)]:
        value = outbox.backoff_seconds(attempts)
        assert ceiling / 2 <= value <= ceiling


def test_deliver_outbox_once_command_reports(partner, partner_district, capsys):
    partner()
    _message(partner_district)
    call_command("deliver_outbox", "--once")
    assert "已投递 1" in capsys.readouterr().out


def test_outbox_list_page_queries_do_not_grow(
    partner_district, client, staff_factory, django_assert_max_num_queries
):
    client.force_login(staff_factory(Role.DISTRICT_ADMIN))
    for i in range(5):
        _message(partner_district, key=f"a{i}")
    url = reverse("services:outbox-list")
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for i in range(50):
        _message(partner_district, key=f"b{i}")
    with django_assert_max_num_queries(12) as large:
        response = client.get(url + "?page_size=50")
    assert len(small.captured_queries) == len(large.captured_queries)
    assert response.content.decode().count("办件转送") >= 50


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_message_exactly_once(partner_district):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    stub = PartnerStub([])
    try:
        partner_district.api_base_url = stub.url
        partner_district.save()
        partner_outbound_key_set(actor=None, district=partner_district, key="k")
        for i in range(30):
            _message(partner_district, key=f"app-{i}", n=i)

        def work():
            try:
                return outbox.deliver_due(limit=100).delivered
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=3) as pool:
            delivered = sum(pool.map(lambda _: work(), range(3)))
        sent = sorted(request["body"]["n"] for request in stub.requests)
        assert delivered == 30
        assert sent == list(range(30))  # none twice, none missing
    finally:
        stub.close()


def test_outbox_page_masks_ids_and_leaves_out_file_contents(
    partner_district, client, staff_factory
):
    message = _message(
        partner_district,
        application=_application(staff_factory(Role.CLERK)),
        applicant={"id_number": "11010519491231002X", "phone": "13953712345"},
        materials=[{"name": "身份证", "content_base64": "JVBERi0xLjQK"}],
    )
    client.force_login(staff_factory(Role.CLERK))
    text = client.get(
        reverse("services:outbox-detail", args=[message.pk])
    ).content.decode()
    assert "110105********002X" in text and "139****2345" in text
    assert "11010519491231002X" not in text and "JVBERi0xLjQK" not in text
    client.force_login(staff_factory(Role.DISTRICT_ADMIN))
    text = client.get(
        reverse("services:outbox-detail", args=[message.pk])
    ).content.decode()
    assert "11010519491231002X" in text


def _application(clerk):
    return intake(clerk, make_matter(clerk.department))


def test_outbox_message_of_an_application_one_may_not_see_is_404(
    partner_district, client, staff_factory, other_department
):
    """Finding: the outbox detail page was unscoped; other departments' staff and
    the partner district's staff read transfer payloads (applicant, address)."""
    clerk = staff_factory(Role.CLERK)
    application = _application(clerk)
    message = _message(
        partner_district,
        application=application,
        applicant={"name": "刘桂兰", "address": "潍坊滨海区央子街道1号"},
    )
    detail = reverse("services:outbox-detail", args=[message.pk])
    retry = reverse("services:outbox-retry", args=[message.pk])
    listing = reverse("services:outbox-list")
    other_admin_dept = staff_factory(Role.DISTRICT_ADMIN)
    partner_department = partner_district.departments.create(
        code="BHXZSP", name="滨海行政审批服务局"
    )
    outsiders = [
        staff_factory(Role.CLERK, department=other_department),
        staff_factory(Role.DISTRICT_ADMIN, department=partner_department),
    ]
    for outsider in outsiders:
        outsider.user_permissions.add(
            *Permission.objects.filter(codename__endswith="_outboxmessage")
        )
        client.force_login(outsider)
        assert client.get(detail).status_code == 404
        assert client.post(retry, {"version": message.version}).status_code == 404
        page = client.get(listing).content.decode()
        assert "央子街道" not in page and f"/outbox/{message.pk}/" not in page
    for insider in (clerk, other_admin_dept):
        client.force_login(insider)
        response = client.get(detail)
        assert response.status_code == 200 and "刘桂兰" in response.content.decode()
        assert f"/outbox/{message.pk}/" in client.get(listing).content.decode()


def test_retry_at_a_stale_version_changes_nothing(
    partner, partner_district, client, staff_factory
):
    partner([400])
    admin = staff_factory(Role.DISTRICT_ADMIN)
    message = _message(partner_district, application=_application(admin))
    seen = message.version
    assert outbox.deliver_due().dead == 1  # the worker moved on meanwhile
    client.force_login(admin)
    response = client.post(
        reverse("services:outbox-retry", args=[message.pk]),
        {"version": seen},
        follow=True,
    )
    assert "记录已被他人修改" in response.content.decode()
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD


def test_outbox_status_is_written_only_by_the_workflow(partner_district):
    from django.db import InternalError, transaction

    message = _message(partner_district)
    with pytest.raises(InternalError), transaction.atomic(), actor_context(None):
        OutboxMessage.objects.filter(pk=message.pk).update(status="delivered")
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING


def test_admin_lists_only_messages_of_visible_applications(
    partner_district, client, staff_factory, other_department
):
    clerk = staff_factory(Role.CLERK, is_staff=True)
    mine = _message(partner_district, application=_application(clerk))
    other_clerk = staff_factory(Role.CLERK, department=other_department)
    theirs = _message(partner_district, application=_application(other_clerk))
    client.force_login(clerk)
    url = reverse("admin:services_outboxmessage_changelist")
    page = client.get(url)
    assert page.status_code == 200
    ids = [row.pk for row in page.context["cl"].result_list]
    assert ids == [mine.pk]
    change = reverse("admin:services_outboxmessage_change", args=[theirs.pk])
    assert client.get(change).status_code == 302  # "does not exist", not shown

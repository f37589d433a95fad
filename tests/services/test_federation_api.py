"""The federation endpoints, in one process: this instance as home or accepting side."""

from __future__ import annotations

import base64
import hashlib
import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.actions import partner_key_issue
from core.choices import Role
from services.actions.federation import transfer_payload
from services.models import Application, ApplicationMaterial, OutboxMessage
from tests.services.factories_applications import (
    PDF_BYTES,
    advance,
    intake,
    make_matter,
    person_id,
    run,
    upload_required,
)
from tests.services.factories_catalogue import AgreementMatterFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/federation/applications/"


@pytest.fixture
def matter(department):
    return make_matter(department)


@pytest.fixture
def clerk(staff_factory):
    return staff_factory(Role.CLERK)


@pytest.fixture
def admin(staff_factory):
    return staff_factory(Role.DISTRICT_ADMIN)


def _transfer(partner, local, matter, **changes) -> dict:
    """A transfer as the partner (accepting side) would send it for our matter."""
    payload = {
        "uuid": str(uuid.uuid4()),
        "number": f"{partner.code}-20261124-00007",
        "matter_code": matter.code,
        "accepting_district": partner.code,
        "home_district": local.code,
        "applicant": {
            "kind": "person",
            "name": "刘桂兰",
            "id_number": person_id("19650412", "026"),
            "phone": "13953712345",
            "address": "潍坊滨海区央子街道",
        },
        "channel": "window",
        "submitted_at": "2026-11-24T09:00:00+08:00",
        "received_on": "2026-11-24",
        "clock_start": "2026-11-24",
        "delivery": {"method": "mail", "address": "潍坊滨海区央子街道1号"},
        "events": [
            {
                "sequence": 1,
                "verb": "create",
                "from_status": "",
                "to_status": "submitted",
                "actor_name": "滨海窗口",
                "district": partner.code,
                "note": "",
            },
            {
                "sequence": 2,
                "verb": "accept",
                "from_status": "submitted",
                "to_status": "accepted",
                "actor_name": "滨海窗口",
                "district": partner.code,
            },
        ],
        "materials": [
            {
                "name": "居民身份证",
                "requirement": "居民身份证",
                "content_type": "application/pdf",
                "size": len(PDF_BYTES),
                "sha256": hashlib.sha256(PDF_BYTES).hexdigest(),
                "content_base64": base64.b64encode(PDF_BYTES).decode(),
            }
        ],
    }
    payload.update(changes)
    return payload


def _post(client, url, body, key=None):
    return client.post(
        url, body, format="json", HTTP_IDEMPOTENCY_KEY=key or str(uuid.uuid4())
    )


class TestReceiveOnHomeSide:
    @pytest.fixture(autouse=True)
    def listed(self, partner_api, matter):
        """Our agreement with the partner lists the matter (the home side checks)."""
        return AgreementMatterFactory(
            agreement__partner=partner_api.district, matter=matter
        )

    def test_receive_creates_copy_with_timeline_and_verified_materials(
        self, partner_api, local_district, matter
    ):
        body = _transfer(partner_api.district, local_district, matter)
        response = _post(partner_api, URL, body)
        assert response.status_code == 201, response.json()
        app = Application.objects.get(uuid=body["uuid"])
        assert app.status == "accepted" and app.number == body["number"]
        assert app.accepting_district == partner_api.district
        assert app.home_district == local_district
        assert [e.verb for e in app.events.order_by("sequence")] == [
            "create",
            "accept",
            "receive",
        ]
        material = app.materials.get()
        assert material.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
        assert material.requirement.name == "居民身份证"
        assert app.due_date is not None

    def test_the_history_names_the_partner_district(
        self, partner_api, local_district, matter, client, admin
    ):
        body = _transfer(partner_api.district, local_district, matter)
        assert _post(partner_api, URL, body).status_code == 201
        app = Application.objects.get(uuid=body["uuid"])
        from core.audit import history_for

        created = history_for(app)[-1]
        assert created.partner == partner_api.district.code
        assert created.user_name == partner_api.district.name
        client.force_login(admin)
        page = client.get(
            reverse("core:record-history", args=["services", "application", app.pk])
        ).content.decode()
        assert f"{partner_api.district.name}（合作方）" in page

    def test_replay_with_same_key_returns_first_answer_and_creates_nothing(
        self, partner_api, local_district, matter
    ):
        body = _transfer(partner_api.district, local_district, matter)
        key = str(uuid.uuid4())
        first = _post(partner_api, URL, body, key)
        second = _post(partner_api, URL, body, key)
        assert second.status_code == 201 and second.json() == first.json()
        assert second["Idempotent-Replayed"] == "true"
        assert Application.objects.filter(uuid=body["uuid"]).count() == 1

    def test_same_application_under_a_new_key_creates_nothing(
        self, partner_api, local_district, matter
    ):
        body = _transfer(partner_api.district, local_district, matter)
        _post(partner_api, URL, body)
        again = _post(partner_api, URL, body)
        assert again.status_code == 200 and again.json()["created"] is False
        assert Application.objects.filter(uuid=body["uuid"]).count() == 1

    def test_other_body_same_key_is_422(self, partner_api, local_district, matter):
        key = str(uuid.uuid4())
        _post(
            partner_api,
            URL,
            _transfer(partner_api.district, local_district, matter),
            key,
        )
        other = _post(
            partner_api,
            URL,
            _transfer(partner_api.district, local_district, matter),
            key,
        )
        assert other.status_code == 422
        assert other.json()["type"] == "idempotency_mismatch"

    def test_checksum_mismatch_is_400_and_stores_nothing(
        self, partner_api, local_district, matter
    ):
        body = _transfer(partner_api.district, local_district, matter)
        body["materials"][0]["sha256"] = "0" * 64
        response = _post(partner_api, URL, body)
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "checksum_mismatch"
        assert not Application.objects.exists()
        assert not ApplicationMaterial.objects.exists()

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            (
                {
                    "applicant": {
                        "kind": "person",
                        "name": "x",
                        "id_number": "370802199001011234",
                        "phone": "1",
                    }
                },
                "applicant.id_number",
            ),
            ({"channel": "pigeon"}, "channel"),
            ({"unexpected": 1}, "unexpected"),
            ({"uuid": "not-a-uuid"}, "uuid"),
        ],
    )
    def test_malformed_payload_is_400_with_field_messages(
        self, partner_api, local_district, matter, change, field
    ):
        response = _post(
            partner_api,
            URL,
            _transfer(partner_api.district, local_district, matter, **change),
        )
        assert response.status_code == 400
        fields = [e["field"] for e in response.json()["errors"]]
        assert field in fields
        assert not Application.objects.exists()

    def test_matter_not_on_our_list_with_the_partner_is_400(
        self, partner_api, local_district, department
    ):
        unlisted = make_matter(department, name="建筑工程施工许可")
        response = _post(
            partner_api, URL, _transfer(partner_api.district, local_district, unlisted)
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "home_district"
        assert not Application.objects.exists()

    def test_number_must_carry_the_partner_code(
        self, partner_api, local_district, matter
    ):
        body = _transfer(
            partner_api.district,
            local_district,
            matter,
            number=f"{local_district.code}-20261124-00001",
        )
        response = _post(partner_api, URL, body)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "number"

    def test_number_already_used_is_409(self, partner_api, local_district, matter):
        first = _transfer(partner_api.district, local_district, matter)
        _post(partner_api, URL, first)
        second = _transfer(
            partner_api.district, local_district, matter, number=first["number"]
        )
        response = _post(partner_api, URL, second)
        assert response.status_code == 409
        assert Application.objects.count() == 1

    def test_unknown_matter_is_400(self, partner_api, local_district, matter):
        body = _transfer(
            partner_api.district, local_district, matter, matter_code="X-1"
        )
        response = _post(partner_api, URL, body)
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "matter_code"

    def test_partner_cannot_send_for_another_accepting_district(
        self, partner_api, local_district, matter, other_partner
    ):
        body = _transfer(other_partner, local_district, matter)
        assert _post(partner_api, URL, body).status_code == 400

    def test_steps_here_are_reported_back_to_the_accepting_side(
        self, partner_api, local_district, matter, admin
    ):
        body = _transfer(partner_api.district, local_district, matter)
        _post(partner_api, URL, body)
        app = Application.objects.get(uuid=body["uuid"])
        run("start_review", app, admin)
        run("approve", app, admin)
        messages = OutboxMessage.objects.filter(destination=partner_api.district)
        assert [m.payload["verb"] for m in messages.order_by("id")] == [
            "start_review",
            "approve",
        ]
        assert {m.path for m in messages} == {f"{URL}{app.uuid}/events/"}


class TestMirrorOnAcceptingSide:
    @pytest.fixture
    def transferred(self, clerk, matter, partner_district):
        AgreementMatterFactory(agreement__partner=partner_district, matter=matter)
        app = intake(clerk, matter, home_district=partner_district)
        upload_required(app, clerk)
        return run("accept", app, clerk)

    def test_accept_writes_the_transfer_in_the_same_transaction(self, transferred):
        message = OutboxMessage.objects.get(kind="application.transfer")
        assert message.payload["uuid"] == str(transferred.uuid)
        assert message.payload == transfer_payload(transferred)
        hashes = {m["sha256"] for m in message.payload["materials"]}
        assert hashes == set(transferred.materials.values_list("sha256", flat=True))

    @pytest.mark.parametrize("verb", ["start_review", "withdraw"])
    def test_home_steps_are_refused_here_after_transfer(self, transferred, admin, verb):
        from core.errors import IllegalTransition

        with pytest.raises(IllegalTransition):
            run(verb, transferred, admin, note="申请人撤回")

    def test_taking_an_unlisted_matter_for_a_partner_is_refused(
        self, clerk, department, partner_district
    ):
        from core.errors import ValidationFailed

        unlisted = make_matter(department, name="建筑工程施工许可")
        with pytest.raises(ValidationFailed):
            intake(clerk, unlisted, home_district=partner_district)

    def _event(self, app, sequence, verb, to_status, **result):
        return {
            "uuid": str(app.uuid),
            "number": app.number,
            "sequence": sequence,
            "verb": verb,
            "from_status": "",
            "to_status": to_status,
            "actor_name": "滨海审批员",
            "district": "370790",
            "note": "",
            "result": result,
        }

    def test_events_are_mirrored_in_order_and_stale_ones_ignored(
        self, transferred, partner_api
    ):
        # Our two steps, the partner's receive step (3): its first own step is 4.
        assert transferred.partner_sequence == 3 and transferred.transferred_at
        url = f"{URL}{transferred.uuid}/events/"
        for sequence, verb, status, result in [
            (4, "start_review", "in_review", {}),
            (5, "approve", "approved", {}),
            (
                6,
                "issue_certificate",
                "certificate_issued",
                {"certificate_number": "鲁残证2026088"},
            ),
        ]:
            answer = _post(
                partner_api,
                url,
                self._event(transferred, sequence, verb, status, **result),
            )
            assert answer.status_code == 200 and answer.json()["applied"] is True
        stale = _post(
            partner_api, url, self._event(transferred, 5, "approve", "approved")
        )
        assert stale.status_code == 200 and stale.json()["applied"] is False
        transferred.refresh_from_db()
        assert transferred.status == "certificate_issued"
        assert transferred.certificate_number == "鲁残证2026088"
        assert transferred.partner_sequence == 6
        events = list(transferred.events.order_by("sequence"))
        assert [e.verb for e in events[-3:]] == [
            "start_review",
            "approve",
            "issue_certificate",
        ]
        assert events[-1].district == partner_api.district
        assert events[-1].actor_name == "滨海审批员"
        assert events[-1].data["partner_sequence"] == 6

    def test_event_on_an_application_never_transferred_is_404_and_changes_nothing(
        self, clerk, matter, partner_district, partner_api
    ):
        """Finding: a partner key set any status on any application whose home
        district it is, and its high sequence then blocked genuine events."""
        AgreementMatterFactory(agreement__partner=partner_district, matter=matter)
        app = intake(clerk, matter, home_district=partner_district)
        upload_required(app, clerk)
        url = f"{URL}{app.uuid}/events/"
        forged = self._event(app, 50, "deliver", "delivered")
        response = _post(partner_api, url, forged)
        assert response.status_code == 404
        app.refresh_from_db()
        assert (app.status, app.partner_sequence, app.events.count()) == (
            "submitted",
            0,
            1,
        )
        # Once accepted (and so transferred), the partner's genuine steps apply.
        app = run("accept", app, clerk)
        genuine = _post(
            partner_api, url, self._event(app, 4, "start_review", "in_review")
        )
        assert genuine.status_code == 200 and genuine.json()["applied"] is True
        assert Application.objects.get(pk=app.pk).status == "in_review"

    def test_step_the_table_does_not_allow_from_our_status_is_409(
        self, transferred, partner_api
    ):
        url = f"{URL}{transferred.uuid}/events/"
        response = _post(
            partner_api, url, self._event(transferred, 4, "deliver", "delivered")
        )
        assert response.status_code == 409
        assert response.json()["type"] == "illegal_transition"
        transferred.refresh_from_db()
        assert (transferred.status, transferred.partner_sequence) == ("accepted", 3)

    @pytest.mark.parametrize(
        ("verb", "to_status", "field"),
        [("accept", "accepted", "verb"), ("start_review", "closed", "to_status")],
    )
    def test_a_step_the_home_district_does_not_report_is_400(
        self, transferred, partner_api, verb, to_status, field
    ):
        url = f"{URL}{transferred.uuid}/events/"
        response = _post(partner_api, url, self._event(transferred, 4, verb, to_status))
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == field
        assert Application.objects.get(pk=transferred.pk).status == "accepted"

    def test_a_gap_in_the_sequence_is_refused_with_the_number_expected(
        self, transferred, partner_api
    ):
        url = f"{URL}{transferred.uuid}/events/"
        early = self._event(transferred, 5, "approve", "approved")
        key = str(uuid.uuid4())  # the outbox sends a message again under its key
        response = _post(partner_api, url, early, key)
        assert response.status_code == 409
        error = response.json()["errors"][0]
        assert (error["code"], error["expected"]) == ("sequence_gap", 4)
        assert Application.objects.get(pk=transferred.pk).partner_sequence == 3
        # the sender sends the missing step, then the refused one again
        _post(
            partner_api, url, self._event(transferred, 4, "start_review", "in_review")
        )
        again = _post(partner_api, url, early, key)
        assert again.status_code == 200 and again.json()["applied"] is True
        assert "Idempotent-Replayed" not in again
        assert Application.objects.get(pk=transferred.pk).status == "approved"

    def test_a_partner_cannot_report_steps_on_what_it_sent_us(
        self, partner_api, local_district, department
    ):
        matter = make_matter(department)
        AgreementMatterFactory(agreement__partner=partner_api.district, matter=matter)
        body = _transfer(partner_api.district, local_district, matter)
        assert _post(partner_api, URL, body).status_code == 201
        app = Application.objects.get(uuid=body["uuid"])
        response = _post(
            partner_api,
            f"{URL}{app.uuid}/events/",
            self._event(app, 4, "start_review", "in_review"),
        )
        assert response.status_code == 404
        assert Application.objects.get(pk=app.pk).status == "accepted"

    def test_home_steps_are_not_offered_here_after_transfer(self, transferred, admin):
        from services.actions.applications import allowed_transitions

        assert allowed_transitions(transferred, admin) == []

    def test_duplicate_event_changes_nothing(self, transferred, partner_api):
        url = f"{URL}{transferred.uuid}/events/"
        body = self._event(transferred, 4, "start_review", "in_review")
        _post(partner_api, url, body)
        count = transferred.events.count()
        again = _post(partner_api, url, body)
        assert again.json()["applied"] is False
        assert transferred.events.count() == count

    def test_other_partner_gets_404(self, transferred, other_partner):
        issued = partner_key_issue(actor=None, district=other_partner)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {issued.secret}")
        url = f"{URL}{transferred.uuid}/"
        assert client.get(url).status_code == 404
        event = self._event(transferred, 4, "start_review", "in_review")
        assert _post(client, url + "events/", event).status_code == 404
        assert Application.objects.get(pk=transferred.pk).partner_sequence == 3
        assert client.get(URL).json()["results"] == []

    def test_partner_lists_and_reads_shared_applications(
        self, transferred, partner_api, clerk, matter
    ):
        intake(clerk, matter)  # a local application the partner must not see
        listing = partner_api.get(URL).json()
        assert [row["uuid"] for row in listing["results"]] == [str(transferred.uuid)]
        detail = partner_api.get(f"{URL}{transferred.uuid}/").json()
        assert {m["sha256"] for m in detail["materials"]} == set(
            transferred.materials.values_list("sha256", flat=True)
        )

    def test_staff_session_cannot_use_federation_endpoints(self, staff_api, admin):
        assert staff_api(admin).get(URL).status_code == 403

    def test_without_key_is_401(self, api_client):
        assert api_client.get(URL).status_code == 401


def test_advance_helper_still_reaches_closed_locally(clerk, admin, matter):
    app = intake(clerk, matter)
    upload_required(app, clerk)
    assert advance(app, admin, "closed").status == "closed"
    assert not OutboxMessage.objects.exists()

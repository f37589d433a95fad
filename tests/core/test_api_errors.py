"""The one error shape, partner-key authentication and the domain-error mapping."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.actions import partner_key_issue, partner_key_revoke
from core.api.errors import exception_handler
from core.errors import IllegalTransition, StaleVersion, ValidationFailed


@pytest.mark.parametrize(
    ("error", "status", "type_"),
    [
        (
            ValidationFailed(
                "坏", errors=[{"field": "x", "code": "c", "message": "m"}]
            ),
            400,
            "validation_error",
        ),
        (IllegalTransition(), 409, "illegal_transition"),
        (StaleVersion(), 412, "precondition_failed"),
    ],
)
def test_domain_errors_map_to_http(error, status, type_):
    response = exception_handler(error, {})
    assert response.status_code == status
    assert response.data["type"] == type_
    assert set(response.data) == {"type", "detail", "errors"}


@pytest.mark.django_db
def test_unauthenticated_call_is_401_in_error_shape(api_client):
    response = api_client.get("/api/v1/districts/")
    assert response.status_code == 401
    assert response.json()["type"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Api-Key"


@pytest.mark.django_db
def test_staff_with_permission_reads_districts(
    staff_api, staff_factory, partner_district
):
    from core.choices import Role

    response = staff_api(staff_factory(Role.READ_ONLY)).get("/api/v1/districts/")
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["results"]]
    assert "潍坊滨海经济技术开发区" in names and response.json()["count"] == len(names)


@pytest.mark.django_db
def test_malformed_json_is_400_with_detail(staff_api, admin_user):
    response = staff_api(admin_user).generic(
        "POST", "/api/v1/districts/", "{not json", content_type="application/json"
    )
    # districts are read-only: the method is refused before parsing
    assert response.status_code == 405


def _client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    return client


@pytest.mark.django_db
class TestPartnerKeys:
    url = "/api/v1/districts/"

    def test_valid_key_authenticates_as_partner(self, partner_district):
        from rest_framework.request import Request
        from rest_framework.test import APIRequestFactory

        from core.api.authentication import PartnerKeyAuthentication

        issued = partner_key_issue(actor=None, district=partner_district)
        raw = APIRequestFactory().get(
            self.url, HTTP_AUTHORIZATION=f"Api-Key {issued.secret}"
        )
        user, key = PartnerKeyAuthentication().authenticate(Request(raw))
        assert user.district == partner_district and user.is_partner
        assert key.pk == issued.key.pk

    def test_unknown_key_is_401(self, partner_district):
        response = _client("nope.notakey").get(self.url)
        assert response.status_code == 401
        assert response.json()["type"] == "not_authenticated"

    def test_wrong_secret_with_real_prefix_is_401(self, partner_district):
        issued = partner_key_issue(actor=None, district=partner_district)
        prefix = issued.secret.split(".")[0]
        assert _client(prefix + ".wrong").get(self.url).status_code == 401

    def test_expired_key_is_401(self, partner_district):
        issued = partner_key_issue(actor=None, district=partner_district)
        issued.key.expiry_date = timezone.now() - datetime.timedelta(minutes=1)
        issued.key.save()
        response = _client(issued.secret).get(self.url)
        assert response.status_code == 401
        assert (
            "过期" in response.json()["detail"]
            or response.json()["type"] == "not_authenticated"
        )

    def test_revoked_key_is_401(self, partner_district):
        issued = partner_key_issue(actor=None, district=partner_district)
        partner_key_revoke(actor=None, key=issued.key)
        assert _client(issued.secret).get(self.url).status_code == 401

    def test_key_is_stored_hashed(self, partner_district):
        issued = partner_key_issue(actor=None, district=partner_district)
        secret_part = issued.secret.split(".", 1)[1]
        assert secret_part not in issued.key.hashed_key
        assert (
            issued.key.hashed_key and issued.key.prefix == issued.secret.split(".")[0]
        )

    def test_partner_is_not_staff(self, partner_api):
        # districts are a staff resource: a partner is authenticated but not allowed
        assert partner_api.get(self.url).status_code == 403


@pytest.mark.parametrize(
    "path",
    ["/api/v1/activities/0.5/cancel/", "/api/v1/no-such-thing/", "/api/nothing/"],
)
def test_a_path_no_route_matches_is_404_in_error_shape(client, db, path):
    """Found by the schema fuzzing: an id with a dot matched no route and the
    answer was Django's HTML page."""
    response = client.post(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "not_found"


def test_a_page_path_no_route_matches_is_still_a_page(client, db):
    response = client.get("/services/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")

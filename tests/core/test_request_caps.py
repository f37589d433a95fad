"""Malformed or oversized requests are a 4xx in the right shape, never a 500
(issue 13): deep JSON, NUL characters, non-ASCII digits, over-size bodies."""

import json

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

from core.choices import Role
from tests.factories import UserFactory


@pytest.fixture
def superuser_api(local_district):
    client = APIClient()
    client.force_authenticate(UserFactory(is_superuser=True))
    return client


def test_deeply_nested_json_is_a_400(superuser_api):
    body = "[" * 1000 + "]" * 1000
    response = superuser_api.post(
        "/api/v1/matters/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert "32" in response.json()["detail"]


def test_json_deeper_than_the_cap_is_a_400_naming_it(superuser_api):
    nested: object = "x"
    for _ in range(40):
        nested = [nested]
    body = json.dumps({"name": nested})
    response = superuser_api.post(
        "/api/v1/matters/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "32" in response.json()["detail"]


def test_nul_in_a_json_string_is_a_400(superuser_api):
    response = superuser_api.post("/api/v1/matters/", {"name": "a\x00b"}, format="json")
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert "NUL" in response.json()["detail"]


def test_nul_in_the_progress_lookup_is_a_400(db):
    response = Client().get(
        "/api/v1/application-progress/", {"number": "2026\x00", "phone_last4": "1234"}
    )
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    page = Client().get(
        "/services/progress/", {"number": "2026\x00", "phone_last4": "1234"}
    )
    assert page.status_code == 400


@pytest.mark.parametrize("value", ["²", "٣", "1e3", "-1", "9" * 40])
def test_non_ascii_or_malformed_after_on_a_list_page_is_a_400(staff_factory, value):
    client = Client()
    client.force_login(staff_factory(Role.CLERK))
    assert client.get("/services/applications/", {"after": value}).status_code == 400
    assert (
        client.get("/services/applications/", {"page_size": value}).status_code == 400
    )
    assert client.get("/services/applications/", {"after": "12"}).status_code == 200


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_over_size_body_under_api_is_a_413_in_the_api_shape(superuser_api):
    response = superuser_api.post(
        "/api/v1/matters/",
        json.dumps({"name": "x" * 5000}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["type"] == "payload_too_large"


def test_a_json_array_over_the_item_cap_is_a_400_before_any_view(superuser_api):
    from django.conf import settings

    body = json.dumps({"materials": [{}] * (settings.API_JSON_MAX_ITEMS + 1)})
    response = superuser_api.post(
        "/api/v1/matters/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert str(settings.API_JSON_MAX_ITEMS) in response.json()["detail"]


def test_image_pixels_are_read_from_the_header_and_capped():
    import io

    from django.core.exceptions import ValidationError

    from core.validators import validate_image_pixels
    from tests.factories import huge_png

    validate_image_pixels(io.BytesIO(huge_png(7000, 7000)))  # 49 MP: accepted
    with pytest.raises(ValidationError) as error:
        validate_image_pixels(io.BytesIO(huge_png()))
    assert error.value.code == "image_too_large"
    # Beyond twice the cap Pillow will not even open it: still the same answer.
    with pytest.raises(ValidationError):
        validate_image_pixels(io.BytesIO(huge_png(12000, 12000)))
    validate_image_pixels(io.BytesIO(b"%PDF-1.4 not an image"))  # others decide

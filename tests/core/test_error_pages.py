"""403, 404 and 500 are Chinese pages with a way back, never Django's bare English."""

import pytest
from django.test import Client

from core.choices import Role

pytestmark = pytest.mark.django_db


def test_404_for_staff_is_in_the_layout_with_a_way_back(client, staff_factory):
    client.force_login(staff_factory(Role.CLERK))
    response = client.get(
        "/services/no-such-page/",
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_REFERER="http://testserver/services/applications/",
    )
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body
    assert "Not Found" not in body
    assert 'class="mainnav"' in body  # the staff layout
    assert 'href="http://testserver/services/applications/"' in body
    assert 'href="/"' in body


def test_404_for_a_citizen_uses_the_public_layout_and_ignores_foreign_referers(
    client,
):
    response = client.get(
        "/services/public/no-such-page/", HTTP_REFERER="https://evil.example/x"
    )
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body
    assert 'class="public"' in body
    assert "evil.example" not in body
    assert 'href="/services/public/"' in body


def test_403_is_chinese_in_the_layout(client, staff_factory):
    from django.urls import reverse

    from services.choices import MatterStatus
    from tests.services.factories_catalogue import MatterFactory

    client.force_login(staff_factory(Role.READ_ONLY))
    matter = MatterFactory(status=MatterStatus.DRAFT)
    url = reverse("services:matter-transition", args=[matter.pk, "publish"])
    response = client.post(
        url, HTTP_REFERER=f"http://testserver{matter.get_absolute_url()}"
    )
    body = response.content.decode()
    assert response.status_code == 403
    assert "无权" in body
    assert "Forbidden" not in body
    assert 'class="mainnav"' in body
    assert f'href="http://testserver{matter.get_absolute_url()}"' in body


def test_api_errors_keep_their_json_shape(client):
    response = client.get("/api/v1/no-such-endpoint/")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


@pytest.mark.urls("tests.core.error_urls")
def test_500_is_chinese_and_standalone(settings):
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器出错" in body
    assert "Server Error" not in body
    assert 'href="/"' in body


@pytest.mark.urls("tests.core.error_urls")
@pytest.mark.parametrize(
    ("referer", "back_to"),
    [
        (
            "http://testserver/services/applications/",
            "http://testserver/services/applications/",
        ),
        ("", "/"),  # not to the failing page itself: that would loop
        ("http://testserver/refusing/", "/"),
        ("https://evil.example/x", "/"),  # never off the site
    ],
)
def test_a_domain_error_goes_back_to_the_page_before_with_the_message(
    client, staff_factory, referer, back_to
):
    client.force_login(staff_factory(Role.CLERK))
    headers = {"HTTP_REFERER": referer} if referer else {}
    response = client.post("/refusing/", **headers)
    assert response.status_code == 302
    assert response["Location"] == back_to
    page = client.get("/").content.decode()
    assert "这一步现在不能做" in page

"""Pages in Chinese whatever the browser prefers, the API in English on request, and records always in the
district's language whoever caused them."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.i18n import district_text

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.django_db
def test_pages_are_chinese_by_default(client):
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body


@pytest.mark.django_db
def test_pages_stay_chinese_when_the_browser_prefers_english(client):
    # The district's staff work in Chinese: a browser set to English does not
    # switch the staff or public pages (it used to; issue 16).
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "登录" in body
    assert "Log in" not in body
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_public_pages_stay_chinese_too(client):
    response = client.get("/services/public/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()


@pytest.mark.django_db
def test_api_errors_follow_the_callers_language(api_client):
    chinese = api_client.get("/api/v1/districts/").json()["detail"]
    english = api_client.get("/api/v1/districts/", HTTP_ACCEPT_LANGUAGE="en").json()[
        "detail"
    ]
    assert CJK.search(chinese)
    assert english and not CJK.search(english)


def test_district_text_is_chinese_inside_an_english_request():
    with translation.override("en"):
        assert str(gettext_lazy("System")) == "System"
        assert district_text(gettext_lazy("System")) == "系统"

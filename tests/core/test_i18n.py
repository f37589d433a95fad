"""Chinese by default, the English msgids on request, and records always in the
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
def test_pages_are_english_when_the_browser_asks_for_it(client):
    body = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Log in" in body
    assert "登录" not in body


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

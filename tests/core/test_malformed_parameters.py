"""Malformed query parameters are a 400 (or are ignored), never a 500 (issue 13).

Generated from the routes, so a new list page or endpoint is probed without
anyone writing its test: every page without a path argument and every API list
and detail route, each with ``after``/``page_size``/``cursor``/``as_of`` and
every filter its FilterSet declares, set in turn to values a form or a cast
does not expect (non-ASCII digits, an out-of-range number, an impossible date, a
NUL, bytes that are not UTF-8); and every API detail route with an id that is
not a number or does not fit a bigint.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from tests.factories import UserFactory

BAD_VALUES = [
    "²",  # str.isdigit() says yes, int() says no
    "１２",  # full-width digits: int() takes them, a date parser may not
    "9" * 25,  # does not fit a bigint
    "1.5",
    "2026-02-30",
    "\x00",
    "%ff",  # not UTF-8 once unquoted
]
BAD_IDS = ["²", "٣", "9" * 25, "-1", "1.5", "%ff"]
COMMON_PARAMS = ["after", "page_size", "cursor", "as_of", "q", "page", "ordering"]


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _filter_names(view_class) -> list[str]:
    names = set(COMMON_PARAMS)
    for attribute in ("filterset_class", "filterset"):
        filterset = getattr(view_class, attribute, None)
        if isinstance(filterset, type):
            names |= set(filterset.base_filters)
            for key, item in filterset.base_filters.items():
                # Range filters take <name>_after / <name>_before / _min / _max.
                for base in {key, item.field_name}:
                    names |= {f"{base}_{s}" for s in ("after", "before", "min", "max")}
    return sorted(names)


def _page_routes():
    for path, pattern in _walk(get_resolver().url_patterns):
        if path.startswith(("admin/", "api/")) or pattern.pattern.regex.groupindex:
            continue
        if not path or "<" in path or "(" in path:
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not hasattr(view_class, "get"):
            continue
        yield "/" + path.replace("^", "").replace("$", ""), _filter_names(view_class)


def _api_routes():
    from config.api import router

    for prefix, viewset, _basename in router.registry:
        if "{" in prefix or "(" in prefix:
            continue
        if "list" in dir(viewset):
            yield f"/api/v1/{prefix}/", _filter_names(viewset)


@pytest.fixture
def superuser(local_district):
    return UserFactory(is_superuser=True, is_staff=True)


def _probe(client, url, names, findings):
    for name in names:
        for n, value in enumerate(BAD_VALUES):
            # Each from its own address: the progress look-up's limit stays out.
            address = f"10.{len(findings) % 250}.{len(name)}.{n + 1}"
            try:
                # A savepoint each, so a failed query does not end the test's
                # transaction and hide the findings after it.
                with transaction.atomic():
                    response = client.get(url, {name: value}, REMOTE_ADDR=address)
            except Exception as error:  # noqa: BLE001 (a 500 the client re-raised)
                findings.append(f"{url}?{name}={value!r}: {type(error).__name__}")
                continue
            if response.status_code >= 500:
                findings.append(f"{url}?{name}={value!r}: {response.status_code}")


def test_list_pages_answer_malformed_parameters_with_400(superuser):
    client = Client(raise_request_exception=True)
    client.force_login(superuser)
    findings: list[str] = []
    routes = list(_page_routes())
    assert len(routes) > 20
    for url, names in routes:
        _probe(client, url, names, findings)
    assert findings == []


def test_api_lists_answer_malformed_parameters_with_400(superuser):
    client = APIClient(raise_request_exception=True)
    client.force_authenticate(superuser)
    findings: list[str] = []
    routes = list(_api_routes())
    assert len(routes) > 20
    for url, names in routes:
        _probe(client, url, names, findings)
    assert findings == []


def test_api_details_answer_malformed_ids_with_404(superuser):
    from config.api import router

    client = APIClient(raise_request_exception=True)
    client.force_authenticate(superuser)
    findings = []
    for prefix, viewset, _basename in router.registry:
        if "{" in prefix or "(" in prefix or not hasattr(viewset, "retrieve"):
            continue
        for value in BAD_IDS:
            url = f"/api/v1/{prefix}/{value}/"
            try:
                with transaction.atomic():
                    status = client.get(url).status_code
            except Exception as error:  # noqa: BLE001
                findings.append(f"{url}: {type(error).__name__}")
                continue
            if status not in (400, 404):
                findings.append(f"{url}: {status}")
    assert findings == []


def test_public_pages_answer_malformed_parameters_with_400(local_district):
    client = Client(raise_request_exception=True)
    findings: list[str] = []
    for url in ("/services/progress/", "/api/v1/application-progress/"):
        _probe(client, url, ["number", "phone_last4"], findings)
    assert findings == []


def test_an_id_in_non_ascii_digits_finds_nothing(superuser):
    from core.models import District

    client = APIClient()
    client.force_authenticate(superuser)
    pk = str(District.objects.order_by("pk").first().pk)
    arabic = pk.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert client.get(f"/api/v1/districts/{pk}/").status_code == 200
    response = client.get(f"/api/v1/districts/{arabic}/")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"

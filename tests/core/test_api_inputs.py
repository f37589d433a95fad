"""Query values and path ids the schema does not allow are refused, not read
loosely (found by the schema fuzzing gate, tests/gates/test_schema_fuzz.py)."""

import pytest

from core.choices import Role
from core.filters import DistrictFilterSet
from core.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(staff_api, staff_factory):
    return staff_api(staff_factory(Role.DISTRICT_ADMIN))


@pytest.mark.parametrize("value", ["null", "unknown", "1", "True", "yes"])
def test_a_boolean_filter_refuses_anything_but_true_or_false(staff, value):
    response = staff.get("/api/v1/districts/", {"active": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "active"


def test_a_boolean_filter_filters_on_true_or_false(staff, partner_district):
    District.objects.filter(pk=partner_district.pk).update(active=False)
    inactive = staff.get("/api/v1/districts/", {"active": "false"}).json()
    assert [row["code"] for row in inactive["results"]] == [partner_district.code]
    active = staff.get("/api/v1/districts/", {"active": "true"}).json()
    assert partner_district.code not in [row["code"] for row in active["results"]]


def test_an_empty_filter_value_is_no_filter(staff, partner_district):
    everything = staff.get("/api/v1/districts/").json()["count"]
    response = staff.get("/api/v1/districts/", {"active": "", "kind": ""})
    assert response.status_code == 200
    assert response.json()["count"] == everything >= 2


@pytest.mark.parametrize("value", ["0.5", "1e3", "²", "٣", "1_0", "x"])
def test_an_integer_filter_refuses_what_is_not_a_whole_number(staff, value):
    response = staff.get("/api/v1/annual-plans/", {"year": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "year"


def test_an_integer_filter_takes_a_whole_number(staff):
    assert staff.get("/api/v1/annual-plans/", {"year": "2026"}).status_code == 200


def test_the_same_strictness_holds_on_pages(local_district):
    """One FilterSet feeds pages and API: a page's form refuses the value too."""
    assert not DistrictFilterSet({"active": "null"}).is_valid()
    assert DistrictFilterSet({"active": "true"}).is_valid()


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize(
    "spelling",
    [
        lambda pk: str(pk).translate(ARABIC_INDIC),
        lambda pk: f"+{pk}",
        lambda pk: f"0_{pk}",
        lambda pk: f"{pk}.0",
        lambda pk: "null,null",
    ],
)
def test_an_id_in_a_path_that_is_not_ascii_digits_is_404(
    staff, local_district, spelling
):
    """int() reads "0_7" as 7 and "٣" as 3: such an id found the real row."""
    response = staff.get(f"/api/v1/districts/{spelling(local_district.pk)}/")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


def test_an_id_in_ascii_digits_is_found(staff, local_district):
    response = staff.get(f"/api/v1/districts/{local_district.pk}/")
    assert response.status_code == 200


def test_an_answer_to_a_follow_up_with_an_id_that_is_not_a_number_is_404(staff):
    """Was a 500: the action looked the id up without checking it is a number."""
    response = staff.post(
        "/api/v1/evaluation-follow-ups/null,null/answer/",
        {"outcome": "callback", "answer": "x"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


def test_a_body_value_of_another_json_type_is_refused_not_coerced(staff):
    """DRF read the number 0 as the text "0" (the schema says a string)."""
    response = staff.post(
        "/api/v1/organisations/", {"name": "社区", "contact": 0}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "contact",
            "code": "invalid_type",
            "message": "应为 string，实际为 integer。",
        }
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("active", "true"), ("active", 1), ("sector", 1), ("name", ["x"])],
)
def test_a_boolean_choice_or_text_must_have_its_json_type(staff, field, value):
    body = {"name": "第一支部", "sector": "organ", "secretary": "", "active": True}
    response = staff.post(
        "/api/v1/party-branches/", {**body, field: value}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert response.json()["errors"][0]["code"] == "invalid_type"


def test_values_in_a_nested_list_are_checked_too(staff):
    from volunteers.models import Team

    team = Team.objects.create(name="经心服务队", kind="social")
    response = staff.post(
        "/api/v1/annual-plans/",
        {
            "team": team.pk,
            "year": 2026,
            "items": [{"month": "3", "category": 1, "title": "义诊"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "items.month"


def test_an_id_given_as_text_is_refused(staff):
    response = staff.post(
        "/api/v1/annual-plans/",
        {"team": "1", "year": 2026, "items": []},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "team"


def test_a_form_encoded_body_is_415(staff):
    """JSON only (API.md): a form had "active=0" read as false."""
    response = staff.post(
        "/api/v1/party-branches/",
        "name=x&sector=organ&active=0",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415
    assert response.json()["type"] == "unsupported_media_type"


def test_a_multipart_upload_reads_booleans_only_as_true_or_false(staff):
    response = staff.post(
        "/api/v1/teams/",
        {"name": "经心服务队", "kind": "social", "active": "0"},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "active"


@pytest.mark.parametrize(
    "body", [{"name": "a\x00b"}, {"\x00": 1}, {"name": "x", "items": [{"a": "\x00"}]}]
)
def test_a_nul_anywhere_in_a_json_body_is_a_400(staff, body):
    """A NUL in a key was named in the 400, which could not be stored for an
    Idempotency-Key replay (PostgreSQL refuses it in jsonb): 500."""
    import uuid

    response = staff.post(
        "/api/v1/annual-plans/",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 400
    assert response.json()["type"] == "validation_error"
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("value", ["٣", "1_0", "0", "x"])
def test_a_page_size_not_a_whole_number_in_ascii_digits_is_refused(staff, value):
    response = staff.get("/api/v1/districts/", {"page_size": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page_size"


@pytest.mark.parametrize("value", ["٢", "1_0", "x"])
def test_a_page_not_a_whole_number_in_ascii_digits_is_404(staff, value):
    """Django's paginator read "٢" as page 2."""
    response = staff.get("/api/v1/districts/", {"page": value})
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/districts/", "page"),
        ("/api/v1/districts/", "page_size"),
        ("/api/v1/annual-plans/", "cursor"),
        ("/api/v1/annual-plans/", "page_size"),
    ],
)
def test_an_empty_pagination_parameter_is_as_if_not_sent(staff, path, name):
    response = staff.get(path, {name: ""})
    assert response.status_code == 200
    assert response.json()["results"] == staff.get(path).json()["results"]


def test_a_nul_in_a_multipart_field_name_is_a_400(staff):
    """The 400 naming the field could not be stored for the Idempotency-Key."""
    import uuid

    response = staff.post(
        "/api/v1/teams/",
        {"name": "队", "kind": "social", "x\x00": "1"},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]

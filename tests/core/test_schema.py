"""The OpenAPI schema tells what the server does (core/api/schema.py): what the
schema fuzzing gate found it leaving out or getting wrong."""

import pytest
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _property(schema, component, name):
    return schema["components"]["schemas"][component]["properties"][name]


def _parameter(schema, path, name, method="get"):
    parameters = schema["paths"][path][method]["parameters"]
    return next(p for p in parameters if p["name"] == name)


@pytest.mark.parametrize(
    ("component", "name"),
    [
        ("Application", "proxy_staff"),
        ("Application", "bundle"),
        ("Application", "parent"),
        ("Disposal", "case"),
        ("Patrol", "leader"),
    ],
)
def test_a_read_only_field_of_a_nullable_column_may_be_null(schema, component, name):
    assert _property(schema, component, name)["nullable"] is True


def test_a_required_column_is_not_nullable(schema):
    assert "nullable" not in _property(schema, "Application", "number")


def test_a_choice_of_a_column_that_may_be_blank_may_be_empty(schema):
    outcome = _property(schema, "EvaluationFollowUp", "outcome")
    assert {"$ref": "#/components/schemas/BlankEnum"} in outcome["oneOf"]


def test_a_list_filter_may_be_sent_empty_as_a_form_sends_it(schema):
    status = _parameter(schema, "/api/v1/campaigns/", "status")
    assert status["allowEmptyValue"] is True


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/disposals/", "case"),
        ("/api/v1/reinspections/", "notice"),
        ("/api/v1/volunteers/", "team"),
    ],
)
def test_an_id_filter_is_an_integer(schema, path, name):
    assert _parameter(schema, path, name)["schema"]["type"] == "integer"


def test_request_bodies_are_json_except_uploads(schema):
    types = {
        (path, method): set(operation["requestBody"]["content"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and "requestBody" in operation
    }
    uploads = {key for key, found in types.items() if found != {"application/json"}}
    assert uploads == {
        ("/api/v1/applications/{id}/materials/", "post"),
        ("/api/v1/enforcement/cases/{id}/photos/", "post"),
        ("/api/v1/patrols/{id}/photos/", "post"),
        ("/api/v1/teams/", "post"),
        ("/api/v1/teams/{id}/", "patch"),
    }
    assert types[("/api/v1/teams/", "post")] == {
        "application/json",
        "multipart/form-data",
    }


def _header(schema, path, method, name):
    parameters = schema["paths"][path][method].get("parameters", [])
    return next((p for p in parameters if p["name"] == name), None)


def test_if_match_is_required_on_a_state_change_of_a_versioned_record(schema):
    header = _header(schema, "/api/v1/applications/{id}/accept/", "post", "If-Match")
    assert header["required"] is True
    assert header["schema"]["pattern"] == r'^(W/)?"?[0-9]+"?$'


def test_a_follow_up_answer_takes_no_if_match_as_it_has_no_version(schema):
    path = "/api/v1/evaluation-follow-ups/{id}/answer/"
    assert _header(schema, path, "post", "If-Match") is None
    assert "428" not in schema["paths"][path]["post"]["responses"]


def test_an_optional_if_match_has_the_etag_pattern_too(schema):
    header = _header(schema, "/api/v1/annual-plans/", "post", "If-Match")
    assert not header.get("required")
    assert header["schema"]["pattern"] == r'^(W/)?"?[0-9]+"?$'


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/agreements/{id}/entries/", "as_of"),
        ("/api/v1/volunteer-totals/", "year"),
        ("/api/v1/districts/", "page"),
    ],
)
def test_an_optional_query_parameter_may_be_sent_empty(schema, path, name):
    assert _parameter(schema, path, name)["allowEmptyValue"] is True


def test_a_required_query_parameter_may_not(schema):
    number = _parameter(schema, "/api/v1/application-progress/", "number")
    assert "allowEmptyValue" not in number


def test_an_error_a_view_names_has_the_error_shape(schema):
    document = schema["paths"]["/api/v1/applications/{id}/documents/{kind}/"]["get"]
    assert document["responses"]["409"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
    }
    progress = schema["paths"]["/api/v1/application-progress/"]["get"]
    assert "content" in progress["responses"]["404"]


def test_a_url_of_a_column_that_may_be_blank_may_be_empty(schema):
    guide = _property(schema, "Matter", "guide_url")
    assert {"type": "string", "maxLength": 0} in guide["oneOf"]

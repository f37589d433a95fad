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
    assert "allowEmptyValue" not in _parameter(schema, "/api/v1/campaigns/", "cursor")


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

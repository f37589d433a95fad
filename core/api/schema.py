"""OpenAPI descriptions drf-spectacular cannot infer by itself.

The schema must tell the truth about every operation (the fuzzing gate in
tests/gates checks the server against it), so what every view shares is added
here, in one place, rather than by decorators on each view:

- ``AutoSchema.get_auth``: an operation a caller may use without signing in
  says so (``{}`` among its security requirements). A permission class declares
  which methods it leaves open to anonymous callers in ``anonymous_methods``;
- ``AutoSchema._map_serializer_field``: a response field whose model column is
  nullable may be null, and one whose column may be blank may be ``""`` (a
  choice, a URL): DRF drops both on read-only fields;
- ``postprocess``: the error answers every operation can give, in the one error
  shape (``Error``, also for an error status a view names with a description
  only); ``If-Match`` (required) on edits and state changes; ``Idempotency-Key``
  on POSTs that create; an optional query parameter sent empty is as if not
  sent (``allowEmptyValue``: a list filter ``?status=`` as an HTML form sends
  it is no filter, an empty ``year`` or ``as_of`` its default).
"""

from __future__ import annotations

import copy
import re

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.PartnerKeyAuthentication"
    name = "PartnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("Partner district API key: %(header)s")
            % {"header": "`Authorization: Api-Key <key>`"},
        }


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.StaffTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "A staff member's personal token (made and revoked on the API "
                "tokens page): %(header)s"
            )
            % {"header": "`Authorization: Token <token>`"},
        }


class AutoSchema(SpectacularAutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        if {} in auths:
            return auths
        for permission in self.view.get_permissions():
            if self.method in getattr(permission, "anonymous_methods", ()):
                return [*auths, {}]
        return auths

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if direction == "response" and isinstance(field, serializers.Field):
            null, blank = _may_be_empty(field)
            if (null and not field.allow_null) or (
                blank and not getattr(field, "allow_blank", True)
            ):
                field = copy.copy(field)
                field.allow_null = field.allow_null or null
                if blank:
                    field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _insert_field_validators(self, field, schema):
        # A URL or e-mail address that may be blank gets its "" here; a read-only
        # field is in responses only.
        if field.read_only and not getattr(field, "allow_blank", True):
            if _may_be_empty(field)[1]:
                field = copy.copy(field)
                field.allow_blank = True
        return super()._insert_field_validators(field, schema)


def _may_be_empty(field) -> tuple[bool, bool]:
    """(may be null, may be blank) in a response, as the model column says.

    Only a field read straight from a column of its serializer's model (or a
    reverse one-to-one, None when missing) is judged; a dotted source through a
    nullable relation must say ``allow_null`` itself, or DRF drops the key.
    """
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or field.source == "*" or len(field.source_attrs) != 1:
        return False, False
    if isinstance(field, serializers.ManyRelatedField | serializers.ListSerializer):
        return False, False
    try:
        column = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return False, False
    if column.one_to_many or column.many_to_many:
        return False, False
    if not column.concrete:  # a reverse one-to-one: None when there is none
        return column.one_to_one, False
    blank = column.blank and isinstance(column, models.CharField | models.TextField)
    return column.null, blank


ERROR_TYPES = [
    "validation_error",
    "not_authenticated",
    "permission_denied",
    "not_found",
    "method_not_allowed",
    "not_acceptable",
    "illegal_transition",
    "conflict",
    "precondition_failed",
    "payload_too_large",
    "unsupported_media_type",
    "idempotency_mismatch",
    "precondition_required",
    "throttled",
    "server_error",
    "error",
]
ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error shape of the API (README, API conventions).",
    "required": ["type", "detail", "errors"],
    "properties": {
        "type": {"type": "string", "enum": ERROR_TYPES},
        "detail": {"type": "string", "nullable": True},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
        "request_id": {"type": "string"},
    },
}
ERROR_DESCRIPTIONS = {
    "400": "validation_error: the request is malformed or its data invalid",
    "401": "not_authenticated: credentials missing, wrong, expired or revoked",
    "403": "permission_denied: the caller's role lacks the permission",
    "404": "not_found: no such object, or not one the caller may see",
    "405": "method_not_allowed",
    "406": "not_acceptable: only JSON is served",
    "409": "illegal_transition or conflict (e.g. the same Idempotency-Key "
    "still running)",
    "412": "precondition_failed: If-Match is not the object's current ETag",
    "413": "payload_too_large",
    "415": "unsupported_media_type",
    "422": "idempotency_mismatch: the Idempotency-Key was used for another body",
    "428": "precondition_required: send If-Match with the object's ETag",
    "429": "throttled",
    "500": "server_error: quote the request_id",
}
# Every operation can give these (authentication, scope, format, limits, bugs).
ALWAYS = ["400", "401", "403", "404", "405", "406", "429", "500"]
WITH_BODY = ["413", "415"]
UNSAFE = ["409"]
VERSIONED = ["412", "428"]
IDEMPOTENT = ["422"]

IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "pattern": r'^(W/)?"?[0-9]+"?$'},
    "description": "The ETag of the object as last read (428 without, 412 if "
    "stale, 400 if it is not an ETag).",
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "format": "uuid"},
    "description": "A UUID; the first answer is stored and replayed for the same "
    "key and body (422 for another body, 409 while the first is running).",
}
# A POST to /<collection>/<id>/<verb>/ changes that object (If-Match), except
# these, which add a record beside it and carry no version of it.
ADDS_BESIDE = {"materials", "evaluation", "photos", "events"}
# State changes of records without a version: a 差评整改 follow-up is answered
# once (open → answered on the locked row; a second answer is 409), so there is
# no update to lose and no ETag to send.
UNVERSIONED = {"answer"}
_DETAIL_ACTION = re.compile(r"/\{[^}]+\}/([a-z-]+)/$")
_DETAIL = re.compile(r"/\{[^}]+\}/$")


def _needs_if_match(path: str, method: str) -> bool:
    if method in ("put", "patch", "delete"):
        return True
    if method != "post":
        return False
    action = _DETAIL_ACTION.search(path)
    return bool(action) and action.group(1) not in ADDS_BESIDE | UNVERSIONED


def _creates(path: str, method: str) -> bool:
    if method != "post":
        return False
    action = _DETAIL_ACTION.search(path)
    return not _DETAIL.search(path) and (not action or action.group(1) in ADDS_BESIDE)


def _add_parameter(operation: dict, parameter: dict) -> None:
    parameters = operation.setdefault("parameters", [])
    for existing in parameters:
        if existing.get("in") == "header" and existing.get("name") == parameter["name"]:
            existing.update(required=parameter["required"] or existing.get("required"))
            return
    parameters.append(dict(parameter))


def postprocess(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS)."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            statuses = list(ALWAYS)
            if "requestBody" in operation:
                statuses += WITH_BODY
            if method != "get":
                statuses += UNSAFE
            if _needs_if_match(path, method):
                statuses += VERSIONED
                _add_parameter(operation, IF_MATCH)
            if _creates(path, method):
                statuses += IDEMPOTENT
                _add_parameter(operation, IDEMPOTENCY_KEY)
            for parameter in operation.get("parameters", []):
                # Wherever a view declared it (optional on an annual plan's
                # create), If-Match is an ETag: 400 when it is not.
                if parameter.get("in") == "header" and parameter["name"] == "If-Match":
                    parameter["schema"] = dict(IF_MATCH["schema"])
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True
            responses = operation.setdefault("responses", {})
            for status, response in responses.items():
                if str(status) >= "400" and "content" not in response:
                    response["content"] = {"application/json": {"schema": reference}}
            for status in statuses:
                responses.setdefault(
                    status,
                    {
                        "description": ERROR_DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result

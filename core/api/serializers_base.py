"""Serializer behaviour every register shares."""

import re

from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

# JSON type names, as the schema and its readers call them.
STRING, INTEGER, NUMBER, BOOLEAN, ARRAY, OBJECT = (
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "object",
)
# How a multipart form writes a value that is not text.
_FORM_TEXT = {
    BOOLEAN: r"true|false",
    INTEGER: r"-?[0-9]+",
    NUMBER: r"-?[0-9]+(\.[0-9]+)?",
}


class StrictFieldsMixin:
    """Unknown or read-only fields in a request body are a 400 naming them (API.md),
    not silently dropped: a partner's typo must not pass for success. A value of
    another JSON type than its field's (a number for a text, ``"true"`` or ``1``
    for a boolean, ``"5"`` for an id) is a 400 too, not read loosely as DRF's
    fields would; nested objects and lists are checked the same way."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            errors = {}
            for name in sorted(data.keys()):
                field = self.fields.get(name)
                if field is None:
                    errors[name] = [
                        ErrorDetail(_("Unknown field"), code="unknown_field")
                    ]
                elif field.read_only:
                    errors[name] = [
                        ErrorDetail(
                            _("Read-only field; it cannot be submitted."),
                            code="read_only",
                        )
                    ]
            if errors:
                raise serializers.ValidationError(errors)
            errors = type_errors(self, data)
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class StrictSerializer(StrictFieldsMixin, serializers.Serializer):
    """A plain input serializer that refuses unknown fields."""


def type_errors(serializer, data) -> dict:
    """{field: [error]} for the values of ``data`` whose type is not their field's.

    A multipart form carries text only: there a boolean must read ``true`` or
    ``false`` and a number be written in ASCII digits.
    """
    form = isinstance(data, QueryDict)
    errors = {}
    for name, field in serializer.fields.items():
        if field.read_only or name not in data:
            continue
        values = data.getlist(name) if form else [data[name]]
        for value in values:
            error = _value_error(field, value, form)
            if error:
                errors[name] = error
                break
    return errors


def _value_error(field, value, form: bool):
    if value is None:
        return None  # the field's allow_null decides
    if isinstance(field, serializers.ListSerializer | serializers.ManyRelatedField):
        child = (
            field.child
            if isinstance(field, serializers.ListSerializer)
            else field.child_relation
        )
        limit = getattr(field, "max_length", None)
        if isinstance(value, list) and limit is not None and len(value) > limit:
            return None  # refused whole by the field, before any row is read
        return _list_error(child, value, form)
    if isinstance(field, serializers.ListField | serializers.MultipleChoiceField):
        child = getattr(field, "child", None)
        if isinstance(field, serializers.MultipleChoiceField):
            child = serializers.ChoiceField(choices=field.choices)
        return _list_error(child, value, form)
    if isinstance(field, serializers.BaseSerializer):
        if form:
            return None
        if not isinstance(value, dict):
            return _mismatch(OBJECT, value)
        return type_errors(field, value) or None
    expected = json_type(field)
    if expected is None:
        return None
    if form:
        pattern = _FORM_TEXT.get(expected)
        if pattern and isinstance(value, str) and not re.fullmatch(pattern, value):
            return _mismatch(expected, value)
        return None
    if not _is(value, expected):
        return _mismatch(expected, value)
    return None


def _list_error(child, value, form: bool):
    if form:
        return None if child is None else _value_error(child, value, form)
    if not isinstance(value, list):
        return _mismatch(ARRAY, value)
    if child is None:
        return None
    for item in value:
        error = _value_error(child, item, form)
        if error:
            return error
    return None


def json_type(field) -> str | None:
    """The JSON type the schema gives ``field``'s input, or None to leave it be."""
    if isinstance(field, serializers.FileField | serializers.JSONField):
        return None
    if isinstance(field, serializers.BooleanField):
        return BOOLEAN
    if isinstance(field, serializers.ChoiceField):
        kinds = {type(choice) for choice in field.choices if choice not in ("", None)}
        if kinds and kinds <= {int}:
            return INTEGER
        return STRING if kinds <= {str} else None
    if isinstance(field, serializers.IntegerField):
        return INTEGER
    if isinstance(field, serializers.FloatField):
        return NUMBER
    if isinstance(field, serializers.DecimalField):
        # COERCE_DECIMAL_TO_STRING: money travels as a decimal string (API.md).
        return STRING
    if isinstance(field, serializers.PrimaryKeyRelatedField):
        queryset = field.get_queryset() if field.queryset is not None else None
        pk = queryset.model._meta.pk if queryset is not None else None
        if isinstance(pk, models.AutoField | models.IntegerField):
            return INTEGER
        return None
    if isinstance(
        field,
        serializers.CharField
        | serializers.DateField
        | serializers.DateTimeField
        | serializers.TimeField
        | serializers.DurationField
        | serializers.UUIDField
        | serializers.SlugRelatedField
        | serializers.HyperlinkedRelatedField,
    ):
        return STRING
    if isinstance(field, serializers.DictField):
        return OBJECT
    return None


def _is(value, expected: str) -> bool:
    if expected == BOOLEAN:
        return isinstance(value, bool)
    if expected == INTEGER:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected == STRING:
        return isinstance(value, str)
    if expected == OBJECT:
        return isinstance(value, dict)
    return True


def _json_name(value) -> str:
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, list):
        return ARRAY
    if isinstance(value, dict):
        return OBJECT
    return "null" if value is None else type(value).__name__


def _mismatch(expected: str, value) -> list:
    actual = _json_name(value)
    if actual == expected:  # text that does not read as the type (a form)
        actual = repr(value)
    return [
        ErrorDetail(
            _("Expected %(expected)s, got %(actual)s.")
            % {"expected": expected, "actual": actual},
            code="invalid_type",
        )
    ]

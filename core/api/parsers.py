"""The API's JSON parser: a bounded nesting depth and size, no NUL characters.

Python's json module recurses once per level, so a body nested a thousand levels
deep raised RecursionError (500) on every JSON endpoint; and PostgreSQL refuses a
NUL in text, so a "\\u0000" inside a string failed only when saved (500). Both
are now a 400 before any view runs. The multipart parser of the upload actions
refuses a NUL in a field's name or value too: a 400 that named such a field
could not be stored for an Idempotency-Key replay (500, found by the fuzzing).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def check_shape(data, max_depth: int, max_items: int | None = None) -> None:
    """Raise ParseError when ``data`` nests deeper than ``max_depth``, has an
    array or object of more than ``max_items`` items, or holds a NUL."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                raise ParseError(
                    _("The JSON is nested more than %(depth)d levels deep.")
                    % {"depth": max_depth}
                )
            if max_items is not None and len(value) > max_items:
                raise ParseError(
                    _("A JSON array or object has more than %(count)d items.")
                    % {"count": max_items}
                )
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and "\x00" in key:
                    raise ParseError(_("The request contains a NUL character."))
                stack.append((item, depth + 1))
        elif isinstance(value, str) and "\x00" in value:
            raise ParseError(_("The request contains a NUL character."))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(
                _("The JSON is nested more than %(depth)d levels deep.")
                % {"depth": settings.API_JSON_MAX_DEPTH}
            ) from None
        check_shape(data, settings.API_JSON_MAX_DEPTH, settings.API_JSON_MAX_ITEMS)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        fields = {key: parsed.data.getlist(key) for key in parsed.data}
        files = {
            key: [upload.name or "" for upload in parsed.files.getlist(key)]
            for key in parsed.files
        }
        check_shape([fields, files], settings.API_JSON_MAX_DEPTH)
        return parsed


__all__ = ["JSONParser", "MultiPartParser", "check_shape"]

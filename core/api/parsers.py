"""The API's parsers (JSON, and multipart for uploads): no NUL characters.

PostgreSQL refuses a NUL in text and in jsonb, so a "\\u0000" in a string, a
key or a form field's name failed only when saved (500), or when the 400 that
named it was stored for an Idempotency-Key replay. It is now a 400 before any
view runs.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def check_shape(data) -> None:
    """Raise ParseError when ``data`` holds a NUL, in a key or a string."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise ParseError(_("The request contains a NUL character."))
                stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
        elif isinstance(value, str) and "\x00" in value:
            raise ParseError(_("The request contains a NUL character."))


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        check_shape(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        check_shape({key: parsed.data.getlist(key) for key in parsed.data})
        check_shape(
            {
                key: [f.name or "" for f in parsed.files.getlist(key)]
                for key in parsed.files
            }
        )
        return parsed


__all__ = ["JSONParser", "MultiPartParser", "check_shape"]

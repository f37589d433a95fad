"""The API's JSON parser: no NUL characters.

PostgreSQL refuses a NUL in text and in jsonb, so a "\\u0000" in a string or a
key failed only when saved (500), or when the 400 that named it was stored for
an Idempotency-Key replay. It is now a 400 before any view runs.
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


__all__ = ["JSONParser", "check_shape"]

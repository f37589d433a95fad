"""Cursor pagination for large collections (no COUNT(*)), numbered for small ones.

``page_size`` and ``page`` are whole numbers in ASCII digits (``int()`` also
reads "٣" or "1_0"); anything else is refused, not replaced by the default. Sent
empty, like every optional query parameter, they are as if not sent.
"""

import re

from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.fields import IntegerField

WHOLE_NUMBER = re.compile(r"[0-9]+")


class StrictPageSize:
    """A ``page_size`` that is not a whole number from 1 is refused (400), not
    silently replaced by the default (the schema says it is an integer)."""

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        value = values[-1] if values else ""
        if value:
            if not WHOLE_NUMBER.fullmatch(value) or int(value) < 1 or len(values) > 1:
                raise ValidationError(
                    # DRF's own (translated) message for a bad integer.
                    {
                        self.page_size_query_param: [
                            IntegerField.default_error_messages["invalid"]
                        ]
                    }
                )
            return min(int(value), self.max_page_size)
        return self.page_size


class CursorPagination(StrictPageSize, pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def decode_cursor(self, request):
        if not request.query_params.get(self.cursor_query_param):
            return None  # absent or empty: the first page
        return super().decode_cursor(request)


class NumberedPagination(StrictPageSize, pagination.PageNumberPagination):
    """For small reference lists (districts, categories): pages by number with a count."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        value = request.query_params.get(self.page_query_param) or "1"
        if value in self.last_page_strings:
            return paginator.num_pages
        if not WHOLE_NUMBER.fullmatch(value):
            raise NotFound(self.invalid_page_message)
        return value

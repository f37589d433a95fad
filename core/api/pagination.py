"""Cursor pagination for large collections (no COUNT(*)), numbered for small ones."""

from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.fields import IntegerField


class StrictPageSize:
    """A ``page_size`` that is not a whole number from 1 is refused (400), not
    silently replaced by the default (the schema says it is an integer)."""

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is not None:
            try:
                size = int(value)
            except ValueError:
                size = 0
            if (
                size < 1
                or len(request.query_params.getlist(self.page_size_query_param)) > 1
            ):
                raise ValidationError(
                    # DRF's own (translated) message for a bad integer.
                    {
                        self.page_size_query_param: [
                            IntegerField.default_error_messages["invalid"]
                        ]
                    }
                )
        return super().get_page_size(request)


class CursorPagination(StrictPageSize, pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"


class NumberedPagination(StrictPageSize, pagination.PageNumberPagination):
    """For small reference lists (districts, categories): pages by number with a count."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

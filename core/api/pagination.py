"""Cursor pagination for large collections (no COUNT(*)), numbered for small ones."""

from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"


class NumberedPagination(pagination.PageNumberPagination):
    """For small reference lists (districts, categories): pages by number with a count."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

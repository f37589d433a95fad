"""The API's filter backend: django-filter, plus the rules every list shares."""

from django_filters.rest_framework import DjangoFilterBackend

from core.sensitive import check_search


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend; a search by a full ID, credit code or phone number
    from a caller without the permission is a 400 on that parameter
    (``core.sensitive.check_search``, the same rule as the list pages)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            check_search(filterset)
        return filterset

"""The base every register's API viewset stands on: scope, ETag and If-Match.

- reads go through ``core.scoping.readable``; an unsafe method finds its object
  among the rows the caller may *write* (``core.scoping.writable``), so a
  read-all permission never widens writes and another department's row is 404;
- every response about one versioned object carries its ``ETag``;
- ``self.expected_version()`` reads ``If-Match`` (428 when missing, 400 when
  malformed); actions compare it on the locked row (``core.versioning``).

A viewset names its base queryset (with its joins) in ``get_base_queryset`` or
``queryset``; it does not filter by user itself.
"""

from __future__ import annotations

from django.http import Http404
from rest_framework import mixins, permissions

from core import scoping
from core.api.concurrency import ETagMixin, expected_version
from core.api.idempotency import idempotent


class ScopedViewSetMixin(ETagMixin):
    def get_base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        qs = self.get_base_queryset()
        if self.request.method in permissions.SAFE_METHODS:
            return scoping.readable(qs, self.request.user)
        # Writes see only writable rows; a readable-only row answers 404 too.
        return scoping.writable(qs, self.request.user)

    def get_object(self):
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if lookup is None:
            raise Http404
        pk_field = self.get_queryset().model._meta.pk
        try:
            pk_field.to_python(lookup)
        except Exception:
            raise Http404 from None
        return super().get_object()

    def expected_version(self) -> int:
        return expected_version(self.request)


class ActionCreateMixin(mixins.CreateModelMixin):
    """POST to the collection: the register's create action, with ``Idempotency-Key``.

    A viewset names ``create_action`` (``<entity>_create(*, actor, **fields)``);
    the serializer checks the input's shape, the action the rules. A replay with
    the same key and body returns the first answer and creates nothing.
    """

    create_action = None

    @idempotent
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = type(self).create_action(
            actor=self.request.user, **serializer.validated_data
        )

"""Reads of core's records, scoped by who asks (``core.scopes``)."""

from __future__ import annotations

from django.db.models import QuerySet

from core import scoping
from core.models import Department, District, StaffToken


def district_list(*, user) -> QuerySet[District]:
    """Every district for staff; a partner sees itself and the local district."""
    return scoping.readable(District, user)


def department_list(*, user) -> QuerySet[Department]:
    return scoping.readable(Department.objects.select_related("district"), user)


def staff_token_list(*, user) -> QuerySet[StaffToken]:
    """A user's own API tokens, newest first (nobody sees another's)."""
    if not getattr(user, "pk", None):
        return StaffToken.objects.none()
    return StaffToken.objects.filter(user=user).order_by("-created")

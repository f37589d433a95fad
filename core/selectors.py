"""Reads of core's records, scoped by who asks."""

from __future__ import annotations

from django.db.models import QuerySet

from core.api.authentication import is_partner
from core.models import Department, District, StaffToken


def district_list(*, user) -> QuerySet[District]:
    """Every district for staff; a partner sees itself and the local district."""
    qs = District.objects.all()
    if is_partner(user):
        return qs.filter(pk__in=[user.district.pk]) | qs.filter(kind="local")
    return qs


def department_list(*, user) -> QuerySet[Department]:
    return Department.objects.select_related("district")


def staff_token_list(*, user) -> QuerySet[StaffToken]:
    """A user's own API tokens, newest first (nobody sees another's)."""
    if not getattr(user, "pk", None):
        return StaffToken.objects.none()
    return StaffToken.objects.filter(user=user).order_by("-created")

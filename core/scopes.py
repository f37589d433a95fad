"""Who sees which of core's own records (``core.scoping``).

Districts and departments are reference data every caller reads (the partner
system its own district and ours, as ``core.selectors`` always answered). The
working-day overrides are the local district's. Staff accounts: a local staff
member reads their own account and, with the model permission (区级管理员), the
accounts of the local district; staff of a partner district and partner systems
read none. The history page (``core.views.RecordHistoryView``) and reveals
(``core.sensitive``) ask these scopes as they ask every register's.
"""

from __future__ import annotations

from django.db.models import Q

from core import scoping
from core.choices import DistrictKind
from core.models import CalendarOverride, Department, District, User


class ReferenceScope(scoping.Scope):
    """Read by everyone; changed by the local staff the model permission allows."""

    def public_rows(self) -> Q:
        return scoping.ALL


@scoping.register(District)
class DistrictScope(ReferenceScope):
    def partner_rows(self, district) -> Q:
        return Q(pk=district.pk) | Q(kind=DistrictKind.LOCAL)


@scoping.register(Department)
class DepartmentScope(ReferenceScope):
    def partner_rows(self, district) -> Q:
        return Q(district=district) | Q(district__kind=DistrictKind.LOCAL)


@scoping.register(CalendarOverride)
class CalendarOverrideScope(scoping.Scope):
    """The local district's calendar: its staff read it (default scope)."""


@scoping.register(User)
class UserScope(scoping.Scope):
    def staff_rows(self, user) -> Q:
        return Q(pk=user.pk) | Q(department__district=user.district)

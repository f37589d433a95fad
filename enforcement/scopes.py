"""Scopes of the enforcement register (``core.scoping``).

Interim (branch eng-sensitive): the scopes reveal and media serving need,
following ``selectors``: a department's own records and those of the campaigns
it leads or joins; ``view_all_enforcement`` widens reads. The enforcement
engineer owns this file; on merge, their scopes replace this one.
"""

from django.db.models import Q

from core import scoping
from enforcement.models import Case, Patrol, Subject

VIEW_ALL = "enforcement.view_all_enforcement"


def _own(user, department: str, campaign: str) -> Q:
    from enforcement.selectors import _campaign_ids_for

    if not user.department_id:
        return scoping.NOTHING
    return Q(**{department: user.department_id}) | Q(
        **{f"{campaign}__in": _campaign_ids_for(user)}
    )


@scoping.register(Case)
class CaseScope(scoping.Scope):
    read_all_permission = VIEW_ALL

    def staff_rows(self, user) -> Q:
        return _own(user, "department_id", "campaign_id")


@scoping.register(Patrol)
class PatrolScope(scoping.Scope):
    read_all_permission = VIEW_ALL

    def staff_rows(self, user) -> Q:
        return _own(user, "department_id", "campaign_id")


@scoping.register(Subject)
class SubjectScope(scoping.Scope):
    read_all_permission = VIEW_ALL

    def staff_rows(self, user) -> Q:
        if not user.department_id:
            return scoping.NOTHING
        cases = Case.objects.filter(_own(user, "department_id", "campaign_id"))
        return Q(department_id=user.department_id) | Q(
            pk__in=cases.values("subject_id")
        )

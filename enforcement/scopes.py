"""Who sees and changes which enforcement records (one ``core.scoping`` scope per model).

A local staff member works on the records of their own department and of every
campaign their department leads or joins; that is both what they read and what
they write. ``enforcement.view_all_enforcement`` (区级管理员, 只读) widens reads to
every department, never writes. Staff of a partner district, partner systems
and the public see nothing of this register (the rules shared by every scope
live in ``core.scoping``).

Records that only exist under another (photos, notices, re-inspections, case
steps) are read and written exactly where their parent is.
"""

from __future__ import annotations

from django.db.models import Q

from core import scoping
from enforcement.models import (
    Campaign,
    CampaignJointDepartment,
    Case,
    CaseStep,
    Disposal,
    EvidencePhoto,
    Patrol,
    PatrolJointDepartment,
    PatrolPhoto,
    RectificationNotice,
    Reinspection,
    Subject,
)

VIEW_ALL = "enforcement.view_all_enforcement"


def campaigns_of(user):
    """The campaigns ``user``'s department leads or joins (a subquery of pks)."""
    joined = CampaignJointDepartment.objects.filter(
        department_id=user.department_id
    ).values("campaign_id")
    return Campaign.objects.filter(
        Q(lead_department_id=user.department_id) | Q(pk__in=joined)
    ).values("pk")


def _department_or_campaign(user, *, department: str, campaign: str) -> Q:
    if not user.department_id:
        return scoping.NOTHING
    return Q(**{department: user.department_id}) | Q(
        **{f"{campaign}__in": campaigns_of(user)}
    )


class EnforcementScope(scoping.Scope):
    read_all_permission = VIEW_ALL


@scoping.register(Campaign)
class CampaignScope(EnforcementScope):
    """Campaigns led or joined by the user's department (changing a campaign's
    course is for the lead department: the workflow's guard)."""

    def staff_rows(self, user) -> Q:
        if not user.department_id:
            return scoping.NOTHING
        return Q(pk__in=campaigns_of(user))


@scoping.register(Patrol)
class PatrolScope(EnforcementScope):
    def staff_rows(self, user) -> Q:
        return _department_or_campaign(
            user, department="department_id", campaign="campaign_id"
        )


@scoping.register(Case)
class CaseScope(EnforcementScope):
    def staff_rows(self, user) -> Q:
        return _department_or_campaign(
            user, department="department_id", campaign="campaign_id"
        )


@scoping.register(Subject)
class SubjectScope(EnforcementScope):
    """A department's own 当事人, and those of the cases it works on."""

    def staff_rows(self, user) -> Q:
        if not user.department_id:
            return scoping.NOTHING
        cases = Case.objects.filter(CaseScope().staff_rows(user)).values("subject_id")
        return Q(department_id=user.department_id) | Q(pk__in=cases)


@scoping.register(Disposal)
class DisposalScope(EnforcementScope):
    def staff_rows(self, user) -> Q:
        return _department_or_campaign(
            user, department="department_id", campaign="campaign_id"
        )


@scoping.register(EvidencePhoto)
class EvidencePhotoScope(scoping.ParentScope):
    parent_field = "case"


@scoping.register(CaseStep)
class CaseStepScope(scoping.ParentScope):
    parent_field = "case"


@scoping.register(RectificationNotice)
class RectificationNoticeScope(scoping.ParentScope):
    parent_field = "case"


@scoping.register(Reinspection)
class ReinspectionScope(scoping.ParentScope):
    parent_field = "notice"


@scoping.register(PatrolPhoto)
class PatrolPhotoScope(scoping.ParentScope):
    parent_field = "patrol"


@scoping.register(PatrolJointDepartment)
class PatrolJointDepartmentScope(scoping.ParentScope):
    parent_field = "patrol"


@scoping.register(CampaignJointDepartment)
class CampaignJointDepartmentScope(scoping.ParentScope):
    parent_field = "campaign"

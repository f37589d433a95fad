"""Reads of the enforcement register, scoped by who asks.

A staff member sees the records of their own department and of every campaign
their department leads or joins; holders of ``enforcement.view_all_enforcement``
(区级管理员, 只读) see all. Partners and the public see nothing here.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from core.api.authentication import is_partner
from core.errors import NotFound
from enforcement.choices import CaseStatus, DisposalKind, ReinspectionOutcome
from enforcement.models import (
    Campaign,
    Case,
    Disposal,
    Patrol,
    RectificationNotice,
    Reinspection,
    Subject,
)

VIEW_ALL = "enforcement.view_all_enforcement"
# Notices whose deadline falls within this many days are due for re-inspection.
REINSPECTION_LEAD_DAYS = 3


def _staff(user) -> bool:
    return bool(user and user.is_authenticated and not is_partner(user))


def _sees_all(user) -> bool:
    return user.is_superuser or user.has_perm(VIEW_ALL)


def _campaign_ids_for(user):
    """Campaigns the user's department leads or joins (a subquery)."""
    joined = Campaign.joint_departments.through.objects.filter(
        department_id=user.department_id
    ).values("campaign_id")
    return Campaign.objects.filter(
        Q(lead_department_id=user.department_id) | Q(pk__in=joined)
    ).values("pk")


def _scope(qs: QuerySet, user, *, department: str, campaign: str | None) -> QuerySet:
    if not _staff(user):
        return qs.none()
    if _sees_all(user):
        return qs
    if not user.department_id:
        return qs.none()
    condition = Q(**{department: user.department_id})
    if campaign:
        condition |= Q(**{f"{campaign}__in": _campaign_ids_for(user)})
    return qs.filter(condition)


def campaign_list(*, user) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("lead_department").prefetch_related(
        "joint_departments"
    )
    if not _staff(user):
        return qs.none()
    if _sees_all(user):
        return qs
    return qs.filter(pk__in=_campaign_ids_for(user))


def patrol_list(*, user) -> QuerySet[Patrol]:
    qs = Patrol.objects.select_related(
        "campaign", "department", "leader"
    ).prefetch_related("joint_departments")
    return _scope(qs, user, department="department_id", campaign="campaign_id")


def subject_list(*, user) -> QuerySet[Subject]:
    qs = Subject.objects.all()
    if not _staff(user):
        return qs.none()
    if _sees_all(user):
        return qs
    visible_cases = case_list(user=user).values("subject_id")
    return qs.filter(Q(department_id=user.department_id) | Q(pk__in=visible_cases))


def case_list(*, user) -> QuerySet[Case]:
    qs = Case.objects.select_related(
        "subject", "campaign", "department", "patrol", "notice"
    )
    return _scope(qs, user, department="department_id", campaign="campaign_id")


def notice_list(*, user) -> QuerySet[RectificationNotice]:
    qs = RectificationNotice.objects.select_related(
        "case", "case__subject", "case__campaign", "department", "issued_by"
    )
    return _scope(
        qs, user, department="case__department_id", campaign="case__campaign_id"
    )


def notices_due_for_reinspection(*, user, today: datetime.date):
    """Notices of cases still awaiting a passing re-inspection whose deadline has
    come or comes within ``REINSPECTION_LEAD_DAYS`` days; earliest first."""
    return (
        notice_list(user=user)
        .filter(
            case__status__in=[CaseStatus.NOTICE_ISSUED, CaseStatus.OVERDUE],
            deadline__lte=today + datetime.timedelta(days=REINSPECTION_LEAD_DAYS),
        )
        .order_by("deadline", "pk")
    )


def reinspection_list(*, user) -> QuerySet[Reinspection]:
    qs = Reinspection.objects.select_related("notice", "notice__case", "inspector")
    return _scope(
        qs,
        user,
        department="notice__case__department_id",
        campaign="notice__case__campaign_id",
    )


def disposal_list(*, user) -> QuerySet[Disposal]:
    qs = Disposal.objects.select_related(
        "campaign", "case", "patrol", "department", "recorded_by"
    )
    return _scope(qs, user, department="department_id", campaign="campaign_id")


def get_or_404(qs: QuerySet, pk):
    """One record from a scoped queryset; invisible and missing alike are 404."""
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound(
            _("%(name)s does not exist.") % {"name": qs.model._meta.verbose_name}
        ) from None


@dataclass
class CampaignFigures:
    """The numbers a district publishes about a campaign, for a date range."""

    officer_dispatches: int = 0
    patrols: int = 0
    cases: int = 0
    notices_issued: int = 0
    rectified_on_time: int = 0
    waste_piles_cleared: int = 0
    vehicles_removed_by_owner: int = 0
    vehicles_towed: int = 0

    @property
    def vehicles_cleared(self) -> int:
        return self.vehicles_removed_by_owner + self.vehicles_towed

    def as_dict(self) -> dict:
        return {**asdict(self), "vehicles_cleared": self.vehicles_cleared}


def _range(field: str, date_from, date_to) -> Q:
    q = Q()
    if date_from:
        q &= Q(**{f"{field}__gte": date_from})
    if date_to:
        q &= Q(**{f"{field}__lte": date_to})
    return q


def campaign_figures(
    *,
    campaign_ids,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> dict[int, CampaignFigures]:
    """Figures of several campaigns at once, in four grouped queries whatever their number.

    Patrols count by patrol date, cases by registration, notices by issue date
    (rectified on time = a passing re-inspection on or before the deadline), and
    disposals by their date. ``campaign_ids`` may be a list or a subquery.
    """
    ids = list(campaign_ids)
    figures = {pk: CampaignFigures() for pk in ids}
    if not ids:
        return figures
    for row in (
        Patrol.objects.filter(
            _range("patrol_date", date_from, date_to), campaign_id__in=ids
        )
        .order_by()
        .values("campaign_id")
        .annotate(n=Count("id"), officers=Sum("officers"))
    ):
        f = figures[row["campaign_id"]]
        f.patrols, f.officer_dispatches = row["n"], row["officers"] or 0
    for row in (
        Case.objects.filter(
            _range("registered_on", date_from, date_to), campaign_id__in=ids
        )
        .order_by()
        .values("campaign_id")
        .annotate(n=Count("id"))
    ):
        figures[row["campaign_id"]].cases = row["n"]
    on_time = Q(
        reinspections__outcome=ReinspectionOutcome.PASSED,
        reinspections__inspected_on__lte=F("deadline"),
    )
    for row in (
        RectificationNotice.objects.filter(
            _range("issued_on", date_from, date_to), case__campaign_id__in=ids
        )
        .order_by()
        .values("case__campaign_id")
        .annotate(
            n=Count("id", distinct=True),
            on_time=Count("id", filter=on_time, distinct=True),
        )
    ):
        f = figures[row["case__campaign_id"]]
        f.notices_issued, f.rectified_on_time = row["n"], row["on_time"]
    for row in (
        Disposal.objects.filter(
            _range("disposed_on", date_from, date_to), campaign_id__in=ids
        )
        .order_by()
        .values("campaign_id")
        .annotate(
            waste=Sum("quantity", filter=Q(kind=DisposalKind.WASTE_PILE_CLEARED)),
            owner=Sum("quantity", filter=Q(kind=DisposalKind.VEHICLE_REMOVED_BY_OWNER)),
            towed=Sum("quantity", filter=Q(kind=DisposalKind.VEHICLE_TOWED)),
        )
    ):
        f = figures[row["campaign_id"]]
        f.waste_piles_cleared = row["waste"] or 0
        f.vehicles_removed_by_owner = row["owner"] or 0
        f.vehicles_towed = row["towed"] or 0
    return figures

"""Reads of the enforcement register, scoped by who asks (``enforcement.scopes``).

Each list selector is the model's scope (``core.scoping``) plus the joins its
pages and API need. ``*_workable`` selectors give the rows a user may change or
link new records to: the department's and campaigns' own, never widened by the
read-all permission.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from core import scoping
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

# Notices whose deadline falls within this many days are due for re-inspection.
REINSPECTION_LEAD_DAYS = 3


def campaign_base() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("lead_department").prefetch_related(
        "joint_departments"
    )


def campaign_list(*, user) -> QuerySet[Campaign]:
    return scoping.readable(campaign_base(), user)


def campaign_workable(*, user) -> QuerySet[Campaign]:
    """Campaigns the user's department leads or joins (patrols and cases go there)."""
    return scoping.writable(campaign_base(), user)


def patrol_base() -> QuerySet[Patrol]:
    return Patrol.objects.select_related(
        "campaign", "department", "leader"
    ).prefetch_related("joint_departments")


def patrol_list(*, user) -> QuerySet[Patrol]:
    return scoping.readable(patrol_base(), user)


def patrol_workable(*, user) -> QuerySet[Patrol]:
    return scoping.writable(patrol_base(), user)


def subject_list(*, user) -> QuerySet[Subject]:
    return scoping.readable(Subject, user)


def subject_workable(*, user) -> QuerySet[Subject]:
    return scoping.writable(Subject, user)


def case_base() -> QuerySet[Case]:
    return Case.objects.select_related(
        "subject", "campaign", "department", "patrol", "notice"
    )


def case_list(*, user) -> QuerySet[Case]:
    return scoping.readable(case_base(), user)


def case_workable(*, user) -> QuerySet[Case]:
    return scoping.writable(case_base(), user)


def notice_list(*, user) -> QuerySet[RectificationNotice]:
    qs = RectificationNotice.objects.select_related(
        "case", "case__subject", "case__campaign", "department", "issued_by"
    )
    return scoping.readable(qs, user)


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
    return scoping.readable(qs, user)


def disposal_list(*, user) -> QuerySet[Disposal]:
    qs = Disposal.objects.select_related(
        "campaign", "case", "patrol", "department", "recorded_by"
    )
    return scoping.readable(qs, user)


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

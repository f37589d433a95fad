"""Reads of the volunteer register, scoped by who asks, and its computed reports.

The register belongs to the local district: staff of the local district's
departments see it; anyone else (a partner's staff or system) sees nothing, so
its records are 404 to them. Compliance and totals are aggregated in the
database with a fixed number of queries, whatever the number of teams.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import scoping
from core.i18n import join_list
from volunteers.choices import MIN_PARTY_MEMBERS, ActivityStatus, TeamKind
from volunteers.models import (
    Activity,
    AnnualPlan,
    Certificate,
    Donation,
    Membership,
    Organisation,
    Participation,
    PartyBranch,
    PlanItem,
    ServiceCategory,
    Team,
    Volunteer,
)

MONTHS = list(range(1, 13))


# Each model's rows with the joins its lists need, before scoping; the API's
# viewsets scope these themselves (``core.api.viewsets.ScopedViewSetMixin``).


def branch_queryset() -> QuerySet[PartyBranch]:
    return PartyBranch.objects.all()


def category_queryset() -> QuerySet[ServiceCategory]:
    return ServiceCategory.objects.all()


def organisation_queryset() -> QuerySet[Organisation]:
    return Organisation.objects.all()


def team_queryset() -> QuerySet[Team]:
    return Team.objects.select_related("branch", "leader").prefetch_related(
        "categories"
    )


def volunteer_queryset() -> QuerySet[Volunteer]:
    return Volunteer.objects.select_related("branch")


def membership_queryset() -> QuerySet[Membership]:
    return Membership.objects.select_related("team", "volunteer")


def plan_queryset() -> QuerySet[AnnualPlan]:
    return AnnualPlan.objects.select_related("team").prefetch_related(
        Prefetch("items", queryset=PlanItem.objects.select_related("category"))
    )


def plan_item_queryset() -> QuerySet[PlanItem]:
    return PlanItem.objects.select_related("plan", "category")


def activity_queryset() -> QuerySet[Activity]:
    # ``has_hours`` lets the workflow's buttons be worked out without a query a row.
    return (
        Activity.objects.select_related("team", "team__branch", "category", "plan_item")
        .prefetch_related("co_teams", "co_organisations")
        .annotate(
            has_hours=Exists(Participation.objects.filter(activity=OuterRef("pk")))
        )
    )


def participation_queryset() -> QuerySet[Participation]:
    return Participation.objects.select_related("activity", "volunteer")


def donation_queryset() -> QuerySet[Donation]:
    return Donation.objects.select_related("team", "activity")


def certificate_queryset() -> QuerySet[Certificate]:
    return Certificate.objects.select_related("volunteer", "issued_by")


# What ``user`` may read (``volunteers.scopes``): pages, history and reports.


def branch_list(*, user) -> QuerySet[PartyBranch]:
    return scoping.readable(branch_queryset(), user)


def category_list(*, user) -> QuerySet[ServiceCategory]:
    return scoping.readable(category_queryset(), user)


def organisation_list(*, user) -> QuerySet[Organisation]:
    return scoping.readable(organisation_queryset(), user)


def team_list(*, user) -> QuerySet[Team]:
    return scoping.readable(team_queryset(), user)


def team_get(*, user, pk) -> Team:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(team_list(user=user), pk=pk)


def volunteer_list(*, user) -> QuerySet[Volunteer]:
    return scoping.readable(volunteer_queryset(), user)


def membership_list(*, user) -> QuerySet[Membership]:
    return scoping.readable(membership_queryset(), user)


def plan_list(*, user) -> QuerySet[AnnualPlan]:
    return scoping.readable(plan_queryset(), user)


def plan_item_list(*, user) -> QuerySet[PlanItem]:
    return scoping.readable(plan_item_queryset(), user)


def activity_list(*, user) -> QuerySet[Activity]:
    return scoping.readable(activity_queryset(), user)


def participation_list(*, user) -> QuerySet[Participation]:
    return scoping.readable(participation_queryset(), user)


def donation_list(*, user) -> QuerySet[Donation]:
    return scoping.readable(donation_queryset(), user)


def certificate_list(*, user) -> QuerySet[Certificate]:
    return scoping.readable(certificate_queryset(), user)


def current_memberships(on: datetime.date | None = None) -> QuerySet[Membership]:
    """Memberships in force on ``on`` (default today): joined by then, not yet left."""
    on = on or timezone.localdate()
    return Membership.objects.filter(joined_on__lte=on).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=on)
    )


def volunteer_service(
    volunteer: Volunteer, start: datetime.date, end: datetime.date
) -> QuerySet[Participation]:
    """A volunteer's hours in held activities that started within [start, end]."""
    return (
        Participation.objects.filter(
            volunteer=volunteer,
            activity__status=ActivityStatus.HELD,
            activity__starts_at__date__gte=start,
            activity__starts_at__date__lte=end,
        )
        .select_related("activity", "activity__category", "activity__team")
        .order_by("activity__starts_at", "pk")
    )


# --- compliance -----------------------------------------------------------------


@dataclass
class TeamCompliance:
    team_id: int
    name: str
    kind: str
    kind_display: str
    branch_id: int | None
    branch_name: str
    party_members: int
    has_plan: bool
    planned: dict[int, int]
    held: dict[int, int]
    problems: list[str] = field(default_factory=list)

    @property
    def unplanned_months(self) -> list[int]:
        return [m for m in MONTHS if not self.planned.get(m)]

    @property
    def month_rows(self) -> list[tuple[int, int, int]]:
        return [(m, self.planned.get(m, 0), self.held.get(m, 0)) for m in MONTHS]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class BranchCompliance:
    branch_id: int
    name: str
    sector_display: str
    party_teams: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Compliance:
    year: int
    as_of: datetime.date
    branches: list[BranchCompliance]
    teams: list[TeamCompliance]
    planned_by_month: dict[int, int]
    held_by_month: dict[int, int]

    @property
    def branches_without_party_team(self) -> list[BranchCompliance]:
        return [b for b in self.branches if b.party_teams == 0]

    @property
    def small_party_teams(self) -> list[TeamCompliance]:
        return [
            t
            for t in self.teams
            if t.kind == TeamKind.PARTY and t.party_members < MIN_PARTY_MEMBERS
        ]

    @property
    def teams_without_plan(self) -> list[TeamCompliance]:
        return [t for t in self.teams if not t.has_plan]

    @property
    def teams_with_unplanned_month(self) -> list[TeamCompliance]:
        return [t for t in self.teams if t.has_plan and t.unplanned_months]

    @property
    def failing_teams(self) -> list[TeamCompliance]:
        return [t for t in self.teams if not t.ok]

    @property
    def month_rows(self) -> list[tuple[int, int, int]]:
        return [
            (m, self.planned_by_month.get(m, 0), self.held_by_month.get(m, 0))
            for m in MONTHS
        ]


def compliance_as_of(year: int) -> datetime.date:
    """Membership counts are taken at the year's end, or today for the current year."""
    today = timezone.localdate()
    end = datetime.date(year, 12, 31)
    return min(today, end) if year >= today.year else end


def compliance_report(*, user, year: int) -> Compliance:
    """The rules of the register checked for ``year`` on every active branch and team.

    Five queries whatever the size: branches with their party-team count, teams
    with their current party-member count and plan flag, planned items per team
    and month, held activities per team and month, and nothing else.
    """
    as_of = compliance_as_of(year)
    branches = (
        scoping.readable(PartyBranch, user)
        .filter(active=True)
        .annotate(
            party_teams=Count(
                "teams",
                filter=Q(teams__kind=TeamKind.PARTY, teams__active=True),
            )
        )
        .order_by("name")
    )
    branch_rows = []
    for branch in branches:
        row = BranchCompliance(
            branch.pk, branch.name, branch.get_sector_display(), branch.party_teams
        )
        if branch.party_teams == 0:
            row.problems.append(_("Has no party-member volunteer team"))
        branch_rows.append(row)

    party_count = (
        current_memberships(as_of)
        .filter(team=OuterRef("pk"), volunteer__is_party_member=True)
        .order_by()
        .values("team")
        .annotate(n=Count("volunteer", distinct=True))
        .values("n")
    )
    teams = (
        scoping.readable(Team, user)
        .filter(active=True)
        .select_related("branch")
        .annotate(
            party_members=Coalesce(
                Subquery(party_count, output_field=IntegerField()), Value(0)
            ),
            has_plan=Exists(AnnualPlan.objects.filter(team=OuterRef("pk"), year=year)),
        )
        .order_by("name")
    )
    planned: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        scoping.readable(PlanItem, user)
        .filter(plan__year=year, plan__team__active=True)
        .values("plan__team", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        planned[row["plan__team"]][row["month"]] = row["n"]
    held: dict[int, dict[int, int]] = defaultdict(dict)
    for row in (
        scoping.readable(Activity, user)
        .filter(status=ActivityStatus.HELD, starts_at__year=year, team__active=True)
        .annotate(month=ExtractMonth("starts_at"))
        .values("team", "month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        held[row["team"]][row["month"]] = row["n"]

    team_rows = []
    planned_total: dict[int, int] = defaultdict(int)
    held_total: dict[int, int] = defaultdict(int)
    for team in teams:
        row = TeamCompliance(
            team_id=team.pk,
            name=team.name,
            kind=team.kind,
            kind_display=team.get_kind_display(),
            branch_id=team.branch_id,
            branch_name=team.branch.name if team.branch else "",
            party_members=team.party_members,
            has_plan=team.has_plan,
            planned=planned.get(team.pk, {}),
            held=held.get(team.pk, {}),
        )
        if team.kind == TeamKind.PARTY and team.party_members < MIN_PARTY_MEMBERS:
            row.problems.append(
                ngettext(
                    "Only %(count)s party member, fewer than %(minimum)s",
                    "Only %(count)s party members, fewer than %(minimum)s",
                    team.party_members,
                )
                % {"count": team.party_members, "minimum": MIN_PARTY_MEMBERS}
            )
        if not team.has_plan:
            row.problems.append(_("No annual plan for %(year)s") % {"year": year})
        elif row.unplanned_months:
            months = join_list(
                _("Month %(month)s") % {"month": m} for m in row.unplanned_months
            )
            row.problems.append(
                _("No activity planned in %(months)s") % {"months": months}
            )
        for month, n in row.planned.items():
            planned_total[month] += n
        for month, n in row.held.items():
            held_total[month] += n
        team_rows.append(row)
    return Compliance(
        year, as_of, branch_rows, team_rows, dict(planned_total), dict(held_total)
    )


# --- totals ---------------------------------------------------------------------


@dataclass
class TotalsRow:
    label: str
    teams: int = 0
    members: int = 0
    party_members: int = 0
    activities: int = 0
    hours: Decimal = Decimal("0")
    volunteer_times: int = 0
    donation_value: Decimal = Decimal("0")


@dataclass
class Totals:
    year: int
    overall: TotalsRow
    by_month: list[TotalsRow]
    by_branch: list[TotalsRow]


ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


def totals_report(*, user, year: int) -> Totals:
    """Teams, members, party members, activities, hours and donations for ``year``.

    Counted in the database, by month and by branch, in a fixed number of queries
    (about ten) however many teams and activities there are. Activities, hours and
    donations count held activities starting in the year; members count those in
    force at the year's end (or today).
    """
    as_of = compliance_as_of(year)
    overall = TotalsRow(_("Total"))
    months = [TotalsRow(_("Month %(month)s") % {"month": m}) for m in MONTHS]
    no_branch = _("No party branch")
    branch_names = dict(scoping.readable(PartyBranch, user).values_list("pk", "name"))
    by_branch: dict[int | None, TotalsRow] = {}

    def branch_row(pk) -> TotalsRow:
        if pk not in by_branch:
            by_branch[pk] = TotalsRow(branch_names.get(pk, no_branch))
        return by_branch[pk]

    for row in (
        scoping.readable(Team, user)
        .filter(active=True)
        .values("branch")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        branch_row(row["branch"]).teams = row["n"]
        overall.teams += row["n"]

    members = scoping.readable(current_memberships(as_of), user).filter(
        team__active=True
    )
    for row in (
        members.values("team__branch")
        .annotate(
            n=Count("volunteer", distinct=True),
            p=Count(
                "volunteer", distinct=True, filter=Q(volunteer__is_party_member=True)
            ),
        )
        .order_by()
    ):
        target = branch_row(row["team__branch"])
        target.members, target.party_members = row["n"], row["p"]
    whole = members.aggregate(
        n=Count("volunteer", distinct=True),
        p=Count("volunteer", distinct=True, filter=Q(volunteer__is_party_member=True)),
    )
    overall.members, overall.party_members = whole["n"], whole["p"]

    held = scoping.readable(Activity, user).filter(
        status=ActivityStatus.HELD, starts_at__year=year
    )
    for row in (
        held.annotate(month=ExtractMonth("starts_at"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        months[row["month"] - 1].activities = row["n"]
    for row in held.values("team__branch").annotate(n=Count("pk")).order_by():
        branch_row(row["team__branch"]).activities = row["n"]

    service = scoping.readable(Participation, user).filter(
        activity__status=ActivityStatus.HELD, activity__starts_at__year=year
    )
    for row in (
        service.annotate(month=ExtractMonth("activity__starts_at"))
        .values("month")
        .annotate(h=Sum("hours"), n=Count("pk"))
        .order_by()
    ):
        months[row["month"] - 1].hours = row["h"] or Decimal("0")
        months[row["month"] - 1].volunteer_times = row["n"]
    for row in (
        service.values("activity__team__branch")
        .annotate(h=Sum("hours"), n=Count("pk"))
        .order_by()
    ):
        target = branch_row(row["activity__team__branch"])
        target.hours, target.volunteer_times = row["h"] or Decimal("0"), row["n"]

    donations = scoping.readable(Donation, user).filter(received_on__year=year)
    for row in (
        donations.annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(v=Sum("value"))
        .order_by()
    ):
        months[row["month"] - 1].donation_value = row["v"] or Decimal("0")
    for row in donations.values("team__branch").annotate(v=Sum("value")).order_by():
        branch_row(row["team__branch"]).donation_value = row["v"] or Decimal("0")

    overall.activities = sum(m.activities for m in months)
    overall.hours = sum((m.hours for m in months), Decimal("0"))
    overall.volunteer_times = sum(m.volunteer_times for m in months)
    overall.donation_value = sum((m.donation_value for m in months), Decimal("0"))
    rows = sorted(by_branch.values(), key=lambda r: (r.label == no_branch, r.label))
    return Totals(year, overall, months, rows)


def report_years() -> list[int]:
    """Years for the year picker, newest first: plan years and the activity span.

    The span comes from MIN/MAX of the indexed start time, so no scan of the table.
    """
    years = set(AnnualPlan.objects.values_list("year", flat=True).distinct())
    span = Activity.objects.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    if span["first"] and span["last"]:
        first = timezone.localtime(span["first"]).year
        last = timezone.localtime(span["last"]).year
        years |= set(range(first, last + 1))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def default_report_year() -> int:
    """The latest year with an annual plan, else this year."""
    latest = AnnualPlan.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from volunteers import demo, selectors
from volunteers.choices import ActivityStatus, TeamKind
from volunteers.models import Activity, Participation, PartyBranch, Team

from .factories import (
    ActivityFactory,
    BranchFactory,
    MembershipFactory,
    ParticipationFactory,
    PlanFactory,
    PlanItemFactory,
    TeamFactory,
    VolunteerFactory,
    at,
)

pytestmark = pytest.mark.django_db


def sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def test_compliance_flags_each_rule_on_hand_made_records(manager):
    lonely = BranchFactory(name="无队党支部")
    small = TeamFactory(name="小队")
    for _ in range(4):
        MembershipFactory(team=small)
    MembershipFactory(team=small, volunteer=VolunteerFactory(is_party_member=False))
    MembershipFactory(team=small, left_on=datetime.date(2021, 5, 1))  # left
    plan = PlanFactory(team=small)
    for month in range(1, 12):  # December left unplanned
        PlanItemFactory(plan=plan, month=month)
    ActivityFactory(
        team=small,
        status=ActivityStatus.HELD,
        starts_at=at(datetime.date(2021, 3, 5), 9),
    )
    ActivityFactory(team=small, status=ActivityStatus.CANCELLED)
    unplanned = TeamFactory(name="无计划队", kind=TeamKind.SOCIAL, branch=None)

    report = selectors.compliance_report(user=manager, year=2021)

    assert [b.name for b in report.branches_without_party_team] == [lonely.name]
    assert [(t.name, t.party_members) for t in report.small_party_teams] == [
        ("小队", 4)
    ]
    assert [t.name for t in report.teams_without_plan] == [unplanned.name]
    row = next(t for t in report.teams if t.name == "小队")
    assert row.unplanned_months == [12]
    assert "12月未安排活动" in " ".join(row.problems)
    assert report.planned_by_month[3] == 1 and report.held_by_month == {3: 1}


def test_compliance_counts_members_at_the_years_end(manager):
    team = TeamFactory()
    for _ in range(5):
        MembershipFactory(team=team, joined_on=datetime.date(2022, 2, 1))
    report = selectors.compliance_report(user=manager, year=2021)
    assert report.small_party_teams[0].party_members == 0


def test_reports_are_empty_for_a_partners_staff(partner_manager):
    TeamFactory()
    assert selectors.compliance_report(user=partner_manager, year=2021).teams == []
    assert selectors.totals_report(user=partner_manager, year=2021).by_branch == []
    assert not selectors.team_list(user=partner_manager).exists()


def test_totals_sum_held_activities_only(manager):
    team = TeamFactory()
    held = ActivityFactory(team=team, status=ActivityStatus.HELD)
    ParticipationFactory(activity=held, hours=2)
    ParticipationFactory(activity=held, hours=Decimal("1.5"))
    planned = ActivityFactory(team=team)
    ParticipationFactory(activity=planned, hours=3)
    totals = selectors.totals_report(user=manager, year=2021)
    assert totals.overall.activities == 1
    assert totals.overall.hours == Decimal("3.5")
    assert totals.by_month[2].volunteer_times == 2
    assert totals.by_branch[0].label == team.branch.name


@pytest.fixture
def story(demo_data):
    """The demo story (the whole seed_demo, seeded once per session)."""


def test_demo_story_compliance_matches_independent_counts(
    story, manager, django_assert_num_queries
):
    # 1 for the user's district (scope) + 4 aggregates, whatever the data size.
    with django_assert_num_queries(5):
        report = selectors.compliance_report(user=manager, year=2021)

    lonely = sql(
        """SELECT b.name FROM volunteers_partybranch b WHERE b.active AND NOT EXISTS (
               SELECT 1 FROM volunteers_team t
               WHERE t.branch_id = b.id AND t.kind = 'party' AND t.active)
           ORDER BY b.name"""
    )
    assert [b.name for b in report.branches_without_party_team] == [
        r[0] for r in lonely
    ]
    assert len(lonely) == 2

    small = sql(
        """SELECT t.name, COUNT(DISTINCT m.volunteer_id) FILTER (WHERE v.is_party_member)
           FROM volunteers_team t
           LEFT JOIN volunteers_membership m ON m.team_id = t.id
                AND m.joined_on <= '2021-12-31'
                AND (m.left_on IS NULL OR m.left_on > '2021-12-31')
           LEFT JOIN volunteers_volunteer v ON v.id = m.volunteer_id
           WHERE t.kind = 'party' AND t.active
           GROUP BY t.name
           HAVING COUNT(DISTINCT m.volunteer_id) FILTER (WHERE v.is_party_member) < 5
           ORDER BY t.name"""
    )
    assert sorted((t.name, t.party_members) for t in report.small_party_teams) == small
    assert sorted(n for _, n in small) == [2, 3, 4]

    no_plan = sorted(
        Team.objects.filter(active=True)
        .exclude(plans__year=2021)
        .values_list("name", flat=True)
    )
    assert sorted(t.name for t in report.teams_without_plan) == no_plan
    assert len(no_plan) == 3

    gaps = sql(
        """SELECT t.name, COUNT(DISTINCT i.month) FROM volunteers_team t
           JOIN volunteers_annualplan p ON p.team_id = t.id AND p.year = 2021
           JOIN volunteers_planitem i ON i.plan_id = p.id
           GROUP BY t.name HAVING COUNT(DISTINCT i.month) < 12 ORDER BY t.name"""
    )
    assert (
        sorted(
            (t.name, 12 - len(t.unplanned_months))
            for t in report.teams_with_unplanned_month
        )
        == gaps
    )

    held = dict(
        sql(
            """SELECT EXTRACT(MONTH FROM starts_at AT TIME ZONE 'Asia/Shanghai')::int, COUNT(*)
               FROM volunteers_activity WHERE status = 'held'
               AND EXTRACT(YEAR FROM starts_at AT TIME ZONE 'Asia/Shanghai') = 2021
               GROUP BY 1"""
        )
    )
    planned = dict(
        sql(
            """SELECT i.month, COUNT(*) FROM volunteers_planitem i
               JOIN volunteers_annualplan p ON p.id = i.plan_id WHERE p.year = 2021
               GROUP BY 1"""
        )
    )
    assert report.held_by_month == held
    assert report.planned_by_month == planned
    # A few planned items were not held, so the page has gaps to show.
    assert any(held[m] < planned[m] for m in range(1, 13))


def test_demo_story_totals_match_independent_counts(
    story, manager, django_assert_num_queries
):
    # 1 for the user's district (scope) + 10 aggregates, whatever the data size.
    with django_assert_num_queries(11):
        totals = selectors.totals_report(user=manager, year=2021)

    assert totals.overall.teams == Team.objects.count() == 215
    assert totals.overall.party_members == 4051
    [(members, party)] = sql(
        """SELECT COUNT(DISTINCT m.volunteer_id),
                  COUNT(DISTINCT m.volunteer_id) FILTER (WHERE v.is_party_member)
           FROM volunteers_membership m JOIN volunteers_volunteer v ON v.id = m.volunteer_id
           WHERE m.left_on IS NULL OR m.left_on > '2021-12-31'"""
    )
    assert (totals.overall.members, totals.overall.party_members) == (members, party)

    held = Activity.objects.filter(status=ActivityStatus.HELD, starts_at__year=2021)
    assert totals.overall.activities == held.count()
    [(hours, times)] = sql(
        """SELECT SUM(p.hours), COUNT(*) FROM volunteers_participation p
           JOIN volunteers_activity a ON a.id = p.activity_id WHERE a.status = 'held'"""
    )
    assert totals.overall.hours == hours
    assert totals.overall.volunteer_times == times
    assert totals.overall.donation_value == Decimal("986400.00")
    assert totals.by_month[6].donation_value == Decimal("986400.00")

    by_branch = dict(
        sql(
            """SELECT COALESCE(b.name, '未归属党支部'), SUM(p.hours)
               FROM volunteers_participation p
               JOIN volunteers_activity a ON a.id = p.activity_id
               JOIN volunteers_team t ON t.id = a.team_id
               LEFT JOIN volunteers_partybranch b ON b.id = t.branch_id
               WHERE a.status = 'held' GROUP BY 1"""
        )
    )
    assert {r.label: r.hours for r in totals.by_branch if r.hours} == by_branch
    assert sum(r.teams for r in totals.by_branch) == 215


def test_demo_story_has_the_convoy_and_reseeding_changes_nothing(story):
    convoy = Activity.objects.get(
        starts_at__date=datetime.date(2021, 7, 27), vehicles__gt=0
    )
    assert convoy.team.name == "济宁经开区秋英爱心义工团"
    assert convoy.vehicles == 8
    assert Participation.objects.filter(activity=convoy).count() >= 40
    assert sorted(convoy.co_organisations.values_list("name", flat=True)) == [
        "济宁市巾帼志愿者联盟",
        "济宁市慈善总会",
    ]
    value = sum(d.value for d in convoy.donations.all())
    assert Decimal("900000") < value < Decimal("1000000")
    assert convoy.team.leader.name == "司秋英"
    assert PartyBranch.objects.get(name="疃里镇后赵村党支部").secretary == "赵金平"
    # Seeding again changes nothing.
    counts = (Team.objects.count(), Participation.objects.count())
    summary = demo.seed()
    assert "已存在" in summary
    assert (Team.objects.count(), Participation.objects.count()) == counts

import pytest

from volunteers.choices import ActivityStatus, TeamKind
from volunteers.filters import ActivityFilterSet, TeamFilterSet, VolunteerFilterSet
from volunteers.models import Activity, ServiceCategory, Team, Volunteer

from .factories import ActivityFactory, MembershipFactory, TeamFactory, VolunteerFactory

pytestmark = pytest.mark.django_db


def test_team_filter_by_category():
    clinic = ServiceCategory.objects.get(code="clinic")
    health = TeamFactory()
    health.categories.add(clinic)
    TeamFactory()
    qs = TeamFilterSet({"category": clinic.pk}, queryset=Team.objects.all()).qs
    assert list(qs) == [health]


def test_team_filter_by_kind():
    TeamFactory()
    social = TeamFactory(kind=TeamKind.SOCIAL, branch=None)
    assert list(TeamFilterSet({"kind": "social"}, queryset=Team.objects.all()).qs) == [
        social
    ]


def test_volunteer_search_by_full_id_number_and_team(rf, admin_user, viewer):
    wanted = VolunteerFactory()
    VolunteerFactory()
    request = rf.get("/")
    request.user = admin_user  # holds core.view_sensitive_data
    qs = VolunteerFilterSet(
        {"q": wanted.id_number}, queryset=Volunteer.objects.all(), request=request
    ).qs
    assert list(qs) == [wanted]
    request.user = viewer  # a full-ID search needs that permission
    qs = VolunteerFilterSet(
        {"q": wanted.id_number}, queryset=Volunteer.objects.all(), request=request
    ).qs
    assert list(qs) == []
    membership = MembershipFactory(volunteer=wanted)
    qs = VolunteerFilterSet(
        {"team": membership.team_id}, queryset=Volunteer.objects.all()
    ).qs
    assert list(qs) == [wanted]


def test_activity_filter_by_team_includes_co_organised():
    team = TeamFactory()
    own = ActivityFactory(team=team)
    helped = ActivityFactory()
    helped.co_teams.add(team)
    ActivityFactory()
    qs = ActivityFilterSet({"team": team.pk}, queryset=Activity.objects.all()).qs
    assert set(qs) == {own, helped}


def test_activity_filter_by_status_date_and_planned():
    held = ActivityFactory(status=ActivityStatus.HELD)
    ActivityFactory()
    qs = ActivityFilterSet(
        {
            "status": "held",
            "starts_at_after": "2021-03-01",
            "starts_at_before": "2021-03-31",
        },
        queryset=Activity.objects.all(),
    ).qs
    assert list(qs) == [held]
    qs = ActivityFilterSet({"planned": "false"}, queryset=Activity.objects.all()).qs
    assert qs.count() == 2

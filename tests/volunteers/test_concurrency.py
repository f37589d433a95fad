"""No lost update: two writers with the same If-Match, on real PostgreSQL
transactions in two threads with their own connections; exactly one wins."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from volunteers import actions
from volunteers.models import Activity, Participation, PartyBranch, Team, Volunteer

from .factories import ActivityFactory, BranchFactory, TeamFactory, VolunteerFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _both_inside_the_action(monkeypatch, name):
    """Hold each writer inside the action, after it has read (or locked) the row,
    until the other has got there too or 3 s have passed.

    With the version compared on an unlocked row both writers get there, both
    compare the same old version and both save: the first write is lost. With
    the row locked first the second waits at the lock, so the first goes on
    alone, and the second then finds a newer version (412).
    """
    barrier = threading.Barrier(2)
    original = getattr(actions, name)

    def waiting(*args, **kwargs):
        try:
            barrier.wait(timeout=3)
        except threading.BrokenBarrierError:
            pass
        return original(*args, **kwargs)

    monkeypatch.setattr(actions, name, waiting)


def _race(staff_api, user, send):
    start = threading.Barrier(2)

    def runner(index):
        try:
            client = staff_api(user)
            start.wait()
            return send(client, index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(runner, range(2)))


@pytest.mark.parametrize(
    "path,make,model,field,check",
    [
        ("volunteers", VolunteerFactory, Volunteer, "skills", "_check"),
        ("teams", TeamFactory, Team, "description", "_check_team"),
        ("party-branches", BranchFactory, PartyBranch, "secretary", "_check"),
    ],
)
def test_two_patches_with_the_same_if_match_lose_no_update(
    monkeypatch, staff_api, manager, path, make, model, field, check
):
    obj = make()
    _both_inside_the_action(monkeypatch, check)
    values = ["第一位", "第二位"]

    def patch(client, index):
        response = client.patch(
            f"/api/v1/{path}/{obj.pk}/",
            {field: values[index]},
            format="json",
            HTTP_IF_MATCH='"1"',
        )
        return response.status_code

    codes = _race(staff_api, manager, patch)
    assert sorted(codes) == [200, 412]
    obj = model.objects.get(pk=obj.pk)
    assert obj.version == 2
    # What is stored is the winner's write, and the loser was told (412).
    assert getattr(obj, field) == values[codes.index(200)]


def test_two_hours_sheets_with_the_same_if_match_lose_no_update(staff_api, manager):
    activity = ActivityFactory()
    a, b = VolunteerFactory.create_batch(2)
    sheets = [[a], [b]]

    def send(client, index):
        response = client.post(
            f"/api/v1/activities/{activity.pk}/hours/",
            {"rows": [{"volunteer": v.pk, "hours": "2"} for v in sheets[index]]},
            format="json",
            HTTP_IF_MATCH='"1"',
        )
        return response.status_code

    codes = _race(staff_api, manager, send)
    assert sorted(codes) == [200, 412]
    winner = sheets[codes.index(200)]
    assert list(
        Participation.objects.filter(activity=activity).values_list(
            "volunteer", flat=True
        )
    ) == [v.pk for v in winner]
    activity = Activity.objects.get(pk=activity.pk)
    assert (activity.status, activity.version) == ("held", 2)

"""Real concurrency on the catalogue: threads with their own database connections."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from services.models import Matter
from tests.services.factories_catalogue import MatterFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_edits_from_the_same_version_lose_nothing(staff_api, admin_user):
    matter = MatterFactory()
    barrier = threading.Barrier(2)
    names = ["食品经营许可（甲）", "食品经营许可（乙）"]

    def edit(index):
        try:
            client = staff_api(admin_user)
            barrier.wait()
            response = client.patch(
                f"/api/v1/matters/{matter.pk}/",
                {"name": names[index]},
                format="json",
                HTTP_IF_MATCH='"1"',
            )
            return response.status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(pool.map(edit, range(2)))
    assert sorted(codes) == [200, 412]
    winner = names[codes.index(200)]
    matter = Matter.objects.get(pk=matter.pk)
    assert (matter.name, matter.version) == (winner, 2)


def test_two_publishes_from_the_same_version_take_one_step(staff_api, admin_user):
    from core.models import StateChange

    matter = MatterFactory(status="draft")
    barrier = threading.Barrier(2)

    def publish(index):
        try:
            client = staff_api(admin_user)
            barrier.wait()
            return client.post(
                f"/api/v1/matters/{matter.pk}/publish/", HTTP_IF_MATCH='"1"'
            ).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        codes = list(pool.map(publish, range(2)))
    assert sorted(codes) == [200, 412]
    assert StateChange.objects.filter(object_id=matter.pk, verb="publish").count() == 1
    assert Matter.objects.get(pk=matter.pk).version == 2

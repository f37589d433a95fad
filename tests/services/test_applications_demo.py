import pytest

from services.choices import ApplicationStatus
from services.demo import applications as demo
from services.models import Application, EvaluationFollowUp

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_every_state_and_is_idempotent(demo_data):
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    assert Application.objects.filter(is_overdue=True).exists()
    parent = Application.objects.get(bundle__name__contains="助残", parent=None)
    assert parent.children.count() == 5
    assert EvaluationFollowUp.objects.filter(evaluation__level=2).exists()
    assert Application.objects.filter(home_district__code="370790").exists()
    count = Application.objects.count()
    assert "已存在" in demo.seed()
    assert Application.objects.count() == count

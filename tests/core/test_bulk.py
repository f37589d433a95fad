"""core.bulk: foreign keys checked per statement inside an import, and the bulk
UPDATE that the audit triggers still see."""

import pytest
from django.db import IntegrityError, transaction
from pghistory.models import Events

from core.bulk import bulk_update_values, constraints_immediate
from core.models import Department

pytestmark = pytest.mark.django_db


def test_inside_the_block_a_dangling_key_fails_at_once(local_district):
    with transaction.atomic(), pytest.raises(IntegrityError):
        with constraints_immediate():
            Department.objects.create(district_id=987654, code="X", name="悬空")


def test_after_the_block_keys_are_deferred_again(local_district):
    with transaction.atomic():
        with constraints_immediate():
            pass
        # deferred: a dangling key may exist until the end of the transaction
        department = Department.objects.create(
            district_id=987654, code="X", name="悬空"
        )
        department.district = local_district
        department.save()
    assert Department.objects.filter(code="X", district=local_district).exists()


def test_bulk_update_values_writes_each_row_and_the_audit_sees_it(local_district):
    departments = list(Department.objects.filter(district=local_district)[:3])
    for index, department in enumerate(departments):
        department.short_name = f"简称{index}"
        department.credit_code = ""
    updated = bulk_update_values(
        Department, departments, ["short_name", "credit_code"], batch_size=2
    )
    assert updated == 3
    for index, department in enumerate(departments):
        department.refresh_from_db()
        assert department.short_name == f"简称{index}"
        labels = Events.objects.tracks(department).values_list("pgh_label", flat=True)
        assert "update" in labels

import pytest

from core.choices import Role
from core.masking import can_see_sensitive, mask_id, mask_phone


def test_id_number_keeps_area_and_last_four():
    assert mask_id("370802199001011234") == "370802********1234"


def test_credit_code_is_masked_alike():
    assert mask_id("91350100M000100Y43") == "913501********0Y43"


def test_phone_keeps_prefix_and_last_four():
    assert mask_phone("13812345678") == "138****5678"


def test_empty_values_stay_empty():
    assert mask_id("") == "" and mask_phone(None) == ""


@pytest.mark.django_db
def test_only_the_permission_holder_sees_in_full(staff_factory):
    assert can_see_sensitive(staff_factory(Role.DISTRICT_ADMIN)) is True
    assert can_see_sensitive(staff_factory(Role.CLERK)) is False

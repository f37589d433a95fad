import datetime

import pytest
from django.db import IntegrityError, transaction

from services.models import AgreementMatter
from tests.services.factories_catalogue import (
    AgreementFactory,
    AgreementMatterFactory,
    MatterFactory,
)

pytestmark = pytest.mark.django_db


def test_database_refuses_promised_longer_than_statutory():
    matter = MatterFactory()
    matter.promised_days = matter.statutory_days + 1
    with pytest.raises(IntegrityError), transaction.atomic():
        matter.save()


def test_database_refuses_a_removal_without_reason():
    entry = AgreementMatterFactory()
    entry.effective_to = datetime.date(2021, 11, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        entry.save()


def test_database_refuses_two_open_entries_of_one_matter():
    entry = AgreementMatterFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementMatter.objects.create(
            agreement=entry.agreement,
            matter=entry.matter,
            batch="第二批",
            effective_from=datetime.date(2021, 8, 1),
        )


def test_entry_is_in_force_from_start_until_the_day_before_its_end():
    entry = AgreementMatterFactory(
        effective_to=datetime.date(2021, 11, 1), removal_reason="职能调整"
    )
    assert not entry.in_force_on(datetime.date(2021, 6, 30))
    assert entry.in_force_on(datetime.date(2021, 7, 1))
    assert entry.in_force_on(datetime.date(2021, 10, 31))
    assert not entry.in_force_on(datetime.date(2021, 11, 1))


def test_agreement_modes_are_shown_in_chinese():
    agreement = AgreementFactory(modes=["online", "joint"])
    assert agreement.modes_display() == ["全程网办", "多地联办"]
    assert agreement.get_public_url().endswith(f"/public/agreements/{agreement.pk}/")

import datetime

import pytest

from services.choices import MatterStatus
from services.demo import catalogue as demo
from services.models import Agreement, Bundle, Matter
from services.selectors.catalogue import agreement_list_as_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo_data):
    """The demo data (the whole seed_demo, seeded once per session)."""


def test_demo_has_the_first_batch_of_fifty_and_one_adjustment(seeded):
    agreement = Agreement.objects.get(partner__name="潍坊滨海经济技术开发区")
    first = agreement_list_as_of(agreement=agreement, on=datetime.date(2021, 7, 1))
    before = {e.matter.name for e in first}
    after = {
        e.matter.name
        for e in agreement_list_as_of(
            agreement=agreement, on=datetime.date(2021, 11, 1)
        )
    }
    assert len(before) == 50
    assert before - after == set(demo.REMOVED)
    assert after - before == set(demo.SECOND_BATCH)
    assert agreement.liaisons.count() == 2


def test_demo_bundle_is_the_five_of_the_news_story(seeded):
    bundle = Bundle.objects.get(code=demo.BUNDLE_CODE)
    assert [i.matter.name for i in bundle.items.order_by("position")] == [
        "残疾人证办理",
        "困难残疾人生活补贴",
        "重度残疾人护理补贴",
        "基本养老保险补贴",
        "基本医疗保险补贴",
    ]


def test_demo_catalogue_is_large_published_and_both_code_forms(seeded):
    assert Matter.objects.filter(status=MatterStatus.PUBLISHED).count() >= 50
    assert set(Matter.objects.values_list("code_form", flat=True)) == {
        "national",
        "county",
    }
    assert Matter.objects.filter(materials__isnull=True).count() == 0


def test_demo_is_idempotent(seeded):
    versions = dict(Matter.objects.values_list("code", "version"))
    demo.seed()
    assert dict(Matter.objects.values_list("code", "version")) == versions
    assert Agreement.objects.count() == 1 and Bundle.objects.count() == 1

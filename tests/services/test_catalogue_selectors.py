import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from core.audit import actor_context
from core.choices import Role
from core.models import Department
from services.actions import catalogue as actions
from services.choices import MatterStatus
from services.models import AgreementMatter
from services.selectors import catalogue as selectors
from tests.services.factories_catalogue import (
    AgreementFactory,
    AgreementMatterFactory,
    BundleFactory,
    MatterFactory,
    partner,
)

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2021, 10, 31)
AFTER = datetime.date(2021, 11, 1)


@pytest.fixture
def adjusted():
    agreement = AgreementFactory()
    matters = MatterFactory.create_batch(6)
    for matter in matters[:5]:
        AgreementMatterFactory(agreement=agreement, matter=matter)
    for matter in matters[:2]:
        with actor_context(None):
            AgreementMatter.objects.filter(matter=matter).update(
                effective_to=AFTER, removal_reason="调整"
            )
    AgreementMatterFactory(
        agreement=agreement, matter=matters[5], batch="第二批", effective_from=AFTER
    )
    return agreement, matters


def codes(entries):
    return {entry.matter.code for entry in entries}


def test_list_before_and_after_the_adjustment_differs_by_exactly_the_adjusted(
    adjusted,
):
    agreement, matters = adjusted
    before = codes(selectors.agreement_list_as_of(agreement=agreement, on=BEFORE))
    after = codes(selectors.agreement_list_as_of(agreement=agreement, on=AFTER))
    assert before - after == {matters[0].code, matters[1].code}
    assert after - before == {matters[5].code}
    assert len(before) == 5 and len(after) == 4


def test_list_before_the_agreement_took_effect_is_empty(adjusted):
    agreement, _ = adjusted
    assert not selectors.agreement_list_as_of(
        agreement=agreement, on=datetime.date(2021, 6, 30)
    ).exists()


def test_change_log_lists_additions_and_removals_newest_first(adjusted):
    agreement, matters = adjusted
    changes = selectors.agreement_changes(agreement=agreement, user=None)
    assert [c["date"] for c in changes[:3]] == [AFTER, AFTER, AFTER]
    assert {c["kind"] for c in changes[:3]} == {"added", "removed"}
    assert len(changes) == 6 + 2


def test_public_sees_only_published_matters():
    published = MatterFactory()
    MatterFactory(status=MatterStatus.DRAFT)
    MatterFactory(status=MatterStatus.SUSPENDED)
    assert list(selectors.matter_list(user=AnonymousUser())) == [published]


def test_local_staff_see_drafts_too(staff_factory):
    MatterFactory.create_batch(2)
    MatterFactory(status=MatterStatus.DRAFT)
    viewer = staff_factory(Role.READ_ONLY)
    assert selectors.matter_list(user=viewer).count() == 3


def test_staff_of_a_partner_district_see_only_published(
    staff_factory, partner_district
):
    MatterFactory()
    MatterFactory(status=MatterStatus.DRAFT)
    theirs = Department.objects.create(
        district=partner_district, code="XZSP", name="潍坊滨海区行政审批服务局"
    )
    outsider = staff_factory(Role.READ_ONLY, department=theirs)
    assert selectors.matter_list(user=outsider).count() == 1


def test_partner_sees_only_its_own_agreements(db):
    ours = AgreementFactory()
    AgreementFactory(partner=partner("371002", "威海经济技术开发区"))

    class Principal:
        is_partner = True
        is_authenticated = True
        district = ours.partner

    assert list(selectors.agreement_list(user=Principal())) == [ours]


def test_public_list_leaves_out_a_suspended_matter():
    entry = AgreementMatterFactory()
    actions.matter_suspend(actor=None, matter=entry.matter, expected_version=1)
    on = datetime.date(2021, 8, 1)
    assert selectors.agreement_list_as_of(agreement=entry.agreement, on=on).count() == 1
    assert not selectors.agreement_public_entries(
        agreement=entry.agreement, on=on
    ).exists()


def test_public_bundles_are_the_active_ones():
    BundleFactory(active=False)
    active = BundleFactory()
    assert list(selectors.bundle_list(user=AnonymousUser())) == [active]

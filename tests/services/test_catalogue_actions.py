import datetime
from decimal import Decimal

import pytest

from core.errors import IllegalTransition, StaleVersion, ValidationFailed
from services.actions import catalogue as actions
from services.choices import MatterStatus, OnlineDepth
from services.models import AgreementMatter, Matter
from tests.services.factories_catalogue import (
    AgreementFactory,
    AgreementMatterFactory,
    MatterFactory,
    local_department,
    partner,
)

pytestmark = pytest.mark.django_db

NATIONAL = "511A0138000000-511602000000-000-115113010833722043-1-00"


def matter_data(**changes):
    data = {
        "code": "37087100SP-XK-0101",
        "name": "食品经营许可",
        "kind": "1",
        "department": local_department(),
        "legal_basis": "《中华人民共和国食品安全法》",
        "conditions": "有经营场所",
        "statutory_days": 20,
        "promised_days": 5,
        "online_depth": OnlineDepth.FULL,
    }
    data.update(changes)
    return data


MATERIALS = [{"name": "食品经营许可申请书", "form": "original", "copies": 1}]


def fields_of(error):
    return {item["field"] for item in error.value.errors}


def test_create_makes_a_draft_with_materials_in_order():
    matter = actions.matter_create(
        actor=None,
        data=matter_data(),
        materials=[*MATERIALS, {"name": "营业执照", "form": "electronic"}],
    )
    assert matter.status == MatterStatus.DRAFT
    assert matter.code_form == "county"
    assert [m.name for m in matter.materials.order_by("position")] == [
        "食品经营许可申请书",
        "营业执照",
    ]


def test_create_takes_the_body_code_from_a_national_code():
    matter = actions.matter_create(actor=None, data=matter_data(code=NATIONAL))
    assert matter.body_code == "115113010833722043"
    assert matter.code_form == "national"


def test_create_refuses_promised_longer_than_statutory_and_malformed_code():
    with pytest.raises(ValidationFailed) as caught:
        actions.matter_create(
            actor=None, data=matter_data(code="XK-1", promised_days=30)
        )
    assert fields_of(caught) == {"code", "promised_days"}
    assert not Matter.objects.exists()


def test_create_refuses_a_department_of_a_partner_district(partner_district):
    from core.models import Department

    theirs = Department.objects.create(
        district=partner_district, code="XZSP", name="潍坊滨海区行政审批服务局"
    )
    with pytest.raises(ValidationFailed) as caught:
        actions.matter_create(actor=None, data=matter_data(department=theirs))
    assert fields_of(caught) == {"department"}


def test_create_refuses_a_duplicate_code():
    MatterFactory(code="37087100SP-XK-0101")
    with pytest.raises(ValidationFailed) as caught:
        actions.matter_create(actor=None, data=matter_data())
    assert "已存在" in caught.value.errors[0]["message"]


def test_publish_lists_everything_that_is_wrong():
    matter = actions.matter_create(
        actor=None,
        data=matter_data(
            visits=1,
            online_depth=OnlineDepth.NONE,
            fee=Decimal("10"),
            legal_basis="",
            conditions="",
        ),
    )
    with pytest.raises(ValidationFailed) as caught:
        actions.matter_publish(
            actor=None, matter=matter, expected_version=matter.version
        )
    assert fields_of(caught) == {
        "visits_reason",
        "fee_basis",
        "legal_basis",
        "conditions",
        "materials",
    }
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DRAFT


def test_zero_visits_not_online_needs_postal_application():
    matter = actions.matter_create(
        actor=None,
        data=matter_data(online_depth=OnlineDepth.PRE_REVIEW, mail_supported=False),
        materials=MATERIALS,
    )
    with pytest.raises(ValidationFailed) as caught:
        actions.matter_publish(
            actor=None, matter=matter, expected_version=matter.version
        )
    assert fields_of(caught) == {"mail_supported"}


def test_publish_then_suspend_then_publish_bumps_version_each_time():
    matter = actions.matter_create(actor=None, data=matter_data(), materials=MATERIALS)
    matter = actions.matter_publish(actor=None, matter=matter, expected_version=1)
    assert matter.status == MatterStatus.PUBLISHED and matter.published_at
    matter = actions.matter_suspend(
        actor=None, matter=matter, expected_version=matter.version
    )
    matter = actions.matter_publish(
        actor=None, matter=matter, expected_version=matter.version
    )
    assert matter.version == 4


def test_retired_matter_cannot_be_published_again():
    matter = MatterFactory()
    matter = actions.matter_retire(actor=None, matter=matter, expected_version=1)
    with pytest.raises(IllegalTransition):
        actions.matter_publish(
            actor=None, matter=matter, expected_version=matter.version
        )


def test_stale_version_is_refused():
    matter = MatterFactory()
    with pytest.raises(StaleVersion):
        actions.matter_update(
            actor=None, matter=matter, data={"name": "新名称"}, expected_version=7
        )


def test_update_without_changes_keeps_the_version():
    matter = MatterFactory()
    materials = [
        {n: getattr(m, n) for n in actions.MATERIAL_FIELDS}
        for m in matter.materials.all()
    ]
    same = actions.matter_update(
        actor=None,
        matter=matter,
        data={"name": matter.name},
        materials=materials,
        expected_version=matter.version,
    )
    assert same.version == matter.version


def test_update_of_published_matter_may_not_break_the_publishing_rules():
    matter = MatterFactory()
    with pytest.raises(ValidationFailed) as caught:
        actions.matter_update(
            actor=None, matter=matter, data={"visits": 2}, expected_version=1
        )
    assert fields_of(caught) == {"visits_reason"}


def test_agreement_needs_a_partner_and_a_mode(local_district):
    with pytest.raises(ValidationFailed) as caught:
        actions.agreement_create(
            actor=None,
            data={
                "code": "X-1",
                "title": "协议",
                "partner": local_district,
                "modes": [],
                "signed_on": datetime.date(2021, 7, 1),
                "effective_on": datetime.date(2021, 6, 1),
            },
        )
    assert fields_of(caught) == {"partner", "modes", "effective_on"}


def test_agreement_with_liaison_officers_of_both_sides(db):
    agreement = actions.agreement_create(
        actor=None,
        data={
            "code": "X-1",
            "title": "全省通办合作协议",
            "partner": partner(),
            "modes": ["online", "proxy"],
            "signed_on": datetime.date(2021, 6, 25),
            "effective_on": datetime.date(2021, 7, 1),
        },
        liaisons=[
            {"side": "local", "name": "马玉珠", "department": "审批局", "phone": "1"},
            {"side": "partner", "name": "孙晓东", "department": "审批局", "phone": "2"},
        ],
    )
    assert sorted(agreement.liaisons.values_list("side", flat=True)) == [
        "local",
        "partner",
    ]


def test_draft_matter_cannot_go_on_a_list():
    agreement = AgreementFactory()
    draft = MatterFactory(status=MatterStatus.DRAFT)
    with pytest.raises(ValidationFailed):
        actions.agreement_matter_add(
            actor=None,
            agreement=agreement,
            matter=draft,
            batch="首批",
            effective_from=datetime.date(2021, 7, 1),
        )


def test_matter_already_on_the_list_cannot_be_added_twice():
    entry = AgreementMatterFactory()
    with pytest.raises(ValidationFailed):
        actions.agreement_matter_add(
            actor=None,
            agreement=entry.agreement,
            matter=entry.matter,
            batch="第二批",
            effective_from=datetime.date(2021, 9, 1),
        )
    assert AgreementMatter.objects.count() == 1


def test_removal_needs_a_reason_and_happens_once():
    entry = AgreementMatterFactory()
    with pytest.raises(ValidationFailed):
        actions.agreement_matter_remove(
            actor=None,
            entry=entry,
            effective_to=datetime.date(2021, 11, 1),
            reason="",
            expected_version=1,
        )
    entry = actions.agreement_matter_remove(
        actor=None,
        entry=entry,
        effective_to=datetime.date(2021, 11, 1),
        reason="职能调整",
        expected_version=1,
    )
    assert entry.effective_to == datetime.date(2021, 11, 1)
    with pytest.raises(IllegalTransition):
        actions.agreement_matter_remove(
            actor=None,
            entry=entry,
            effective_to=datetime.date(2021, 12, 1),
            reason="再次调出",
            expected_version=entry.version,
        )


def test_removed_matter_can_come_back_later():
    entry = AgreementMatterFactory()
    actions.agreement_matter_remove(
        actor=None,
        entry=entry,
        effective_to=datetime.date(2021, 11, 1),
        reason="调整",
        expected_version=1,
    )
    back = actions.agreement_matter_add(
        actor=None,
        agreement=entry.agreement,
        matter=entry.matter,
        batch="第三批",
        effective_from=datetime.date(2022, 1, 1),
    )
    assert back.pk != entry.pk


def test_bundle_keeps_its_matters_in_order():
    first, second, third = MatterFactory.create_batch(3)
    bundle = actions.bundle_create(
        actor=None,
        data={"code": "ZC", "name": "助残“一件事”"},
        matters=[third, first, second],
    )
    assert [i.matter for i in bundle.items.order_by("position")] == [
        third,
        first,
        second,
    ]


def test_bundle_refuses_a_repeated_matter():
    matter = MatterFactory()
    with pytest.raises(ValidationFailed):
        actions.bundle_create(
            actor=None,
            data={"code": "ZC", "name": "助残"},
            matters=[matter, matter],
        )

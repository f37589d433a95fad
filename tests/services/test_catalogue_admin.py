"""The admin saves through the actions: materials inline, liaison inline, rules."""

import pytest
from django.urls import reverse

from core.models import User
from services.models import Agreement, Matter
from tests.services.factories_catalogue import MatterFactory, local_department, partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_client(client, department):
    client.force_login(
        User.objects.create_superuser("root", password="x", department=department)
    )
    return client


def matter_form(**changes):
    data = {
        "code": "37087100SP-XK-0301",
        "name": "公共场所卫生许可",
        "kind": "1",
        "department": local_department().pk,
        "body_code": "",
        "legal_basis": "《公共场所卫生管理条例》",
        "conditions": "符合卫生标准",
        "procedure": "",
        "handling_type": "promised",
        "statutory_days": "20",
        "promised_days": "3",
        "visits": "0",
        "visits_reason": "",
        "fee": "0",
        "fee_basis": "",
        "online_depth": "full",
        "mail_supported": "on",
        "result_name": "公共场所卫生许可证",
        "result_type": "certificate",
        "tongban_scope": "none",
        "location": "为民服务中心",
        "contact_phone": "",
        "materials-TOTAL_FORMS": "2",
        "materials-INITIAL_FORMS": "0",
        "materials-MIN_NUM_FORMS": "0",
        "materials-MAX_NUM_FORMS": "1000",
        "materials-0-name": "卫生许可申请表",
        "materials-0-required": "on",
        "materials-0-form": "original",
        "materials-0-copies": "1",
        "materials-1-name": "营业执照",
        "materials-1-required": "on",
        "materials-1-form": "electronic",
        "materials-1-copies": "1",
    }
    data.update(changes)
    return data


def test_admin_adds_a_draft_matter_with_its_materials(root_client):
    response = root_client.post(reverse("admin:services_matter_add"), matter_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    matter = Matter.objects.get()
    assert matter.status == "draft" and matter.code_form == "county"
    assert [m.name for m in matter.materials.order_by("position")] == [
        "卫生许可申请表",
        "营业执照",
    ]


def test_admin_form_refuses_promised_longer_than_statutory(root_client):
    response = root_client.post(
        reverse("admin:services_matter_add"), matter_form(promised_days="30")
    )
    assert response.status_code == 200
    assert "承诺时限不得长于法定时限" in response.content.decode()
    assert not Matter.objects.exists()


def test_admin_refuses_a_malformed_code_and_writes_nothing(root_client):
    response = root_client.post(
        reverse("admin:services_matter_add"), matter_form(code="XK-1"), follow=True
    )
    assert "实施编码应为" in response.content.decode()
    assert not Matter.objects.exists()


def test_admin_publishes_selected_matters(root_client):
    draft = MatterFactory(status="draft")
    root_client.post(
        reverse("admin:services_matter_changelist"),
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == "published" and draft.version == 2


def test_admin_adds_an_agreement_with_liaison_officers(root_client):
    data = {
        "code": "JNJK-WFBH-2021-01",
        "title": "全省通办合作协议",
        "partner": partner().pk,
        "modes": ["online", "proxy"],
        "signed_on": "2021-06-25",
        "effective_on": "2021-07-01",
        "summary": "",
        "active": "on",
        "liaisons-TOTAL_FORMS": "1",
        "liaisons-INITIAL_FORMS": "0",
        "liaisons-MIN_NUM_FORMS": "0",
        "liaisons-MAX_NUM_FORMS": "1000",
        "liaisons-0-side": "local",
        "liaisons-0-name": "马玉珠",
        "liaisons-0-department": "行政审批服务局",
        "liaisons-0-phone": "13905379812",
        "entries-TOTAL_FORMS": "0",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
    }
    response = root_client.post(reverse("admin:services_agreement_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = Agreement.objects.get()
    assert agreement.modes == ["online", "proxy"]
    assert list(agreement.liaisons.values_list("name", flat=True)) == ["马玉珠"]


def test_admin_edit_goes_through_the_action_and_bumps_the_version(root_client):
    root_client.post(reverse("admin:services_matter_add"), matter_form())
    matter = Matter.objects.get()
    first, second = matter.materials.order_by("position")
    data = matter_form(
        name="公共场所卫生许可（新办）",
        expected_version="1",
        **{
            "materials-INITIAL_FORMS": "2",
            "materials-0-id": str(first.pk),
            "materials-0-matter": str(matter.pk),
            "materials-1-id": str(second.pk),
            "materials-1-matter": str(matter.pk),
            "materials-1-DELETE": "on",
        },
    )
    response = root_client.post(
        reverse("admin:services_matter_change", args=[matter.pk]), data
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    matter.refresh_from_db()
    assert matter.name == "公共场所卫生许可（新办）" and matter.version == 2
    assert list(matter.materials.values_list("name", flat=True)) == ["卫生许可申请表"]

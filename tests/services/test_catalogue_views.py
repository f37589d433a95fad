import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.choices import Role
from core.models import Department
from services.choices import MatterStatus
from services.models import AgreementMatter
from tests.services.factories_catalogue import (
    AgreementFactory,
    AgreementMatterFactory,
    BundleFactory,
    MatterFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client(client, staff_factory):
    client.force_login(staff_factory(Role.READ_ONLY))
    return client


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


def test_catalogue_list_filters_and_links_to_detail(viewer_client):
    wanted = MatterFactory(name="残疾人证办理")
    MatterFactory(name="食品经营许可")
    response = viewer_client.get(reverse("services:matter-list"), {"q": "残疾"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "残疾人证办理" in body and "食品经营许可" not in body
    assert wanted.get_absolute_url() in body


def test_catalogue_list_needs_login(client):
    response = client.get(reverse("services:matter-list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Session, user, the user's and groups' permissions, the user's department (header),
# the filter's department choices, one page of rows (department joined).
LIST_PAGE_QUERIES = 9


@pytest.mark.parametrize("rows", [5, 50])
def test_catalogue_list_query_count_does_not_grow_with_rows(
    viewer_client, rows, django_assert_num_queries
):
    MatterFactory.create_batch(rows)
    with django_assert_num_queries(LIST_PAGE_QUERIES):
        response = viewer_client.get(
            reverse("services:matter-list"), {"page_size": rows}
        )
    assert response.content.decode().count("<tr>") == rows + 1


AGREEMENT_PAGE_QUERIES = 12


@pytest.mark.parametrize("rows", [5, 50])
def test_agreement_detail_query_count_does_not_grow_with_rows(
    viewer_client, rows, django_assert_num_queries
):
    agreement = AgreementFactory()
    for matter in MatterFactory.create_batch(rows):
        AgreementMatterFactory(agreement=agreement, matter=matter)
    with django_assert_num_queries(AGREEMENT_PAGE_QUERIES):
        response = viewer_client.get(
            agreement.get_absolute_url(), {"as_of": "2021-08-01"}
        )
    assert f"（{rows} 项）" in response.content.decode()


PUBLIC_LIST_QUERIES = 3


@pytest.mark.parametrize("rows", [5, 50])
def test_public_list_query_count_does_not_grow_with_rows(
    client, rows, django_assert_num_queries
):
    agreement = AgreementFactory(effective_on=datetime.date(2021, 7, 1))
    for matter in MatterFactory.create_batch(rows):
        AgreementMatterFactory(agreement=agreement, matter=matter)
    with django_assert_num_queries(PUBLIC_LIST_QUERIES):
        response = client.get(agreement.get_public_url())
    assert response.content.decode().count('class="card"') == rows


def test_matter_detail_shows_materials_and_history_link(viewer_client):
    matter = MatterFactory(materials=["残疾人证申请表", "居民身份证"])
    body = viewer_client.get(matter.get_absolute_url()).content.decode()
    assert "残疾人证申请表" in body and "居民身份证" in body
    assert f"/core/history/services/matter/{matter.pk}/" in body


def test_a_draft_without_limits_shows_on_the_list_detail_and_bundle(admin_client_):
    draft = MatterFactory(
        status=MatterStatus.DRAFT,
        statutory_days=None,
        promised_days=None,
        guide_url="https://zwfw.example.gov.cn/guide/7",
    )
    body = admin_client_.get(draft.get_absolute_url()).content.decode()
    assert "尚未填写（发布时必填）" in body
    assert 'href="https://zwfw.example.gov.cn/guide/7"' in body
    listing = admin_client_.get(reverse("services:matter-list")).content.decode()
    assert draft.name in listing
    bundle = BundleFactory(matters=[draft, MatterFactory()])
    page = admin_client_.get(reverse("services:bundle-detail", args=[bundle.pk]))
    assert page.status_code == 200 and draft.name in page.content.decode()


def test_matter_of_a_partner_department_is_hidden_from_staff(
    client, staff_factory, partner_district
):
    theirs = Department.objects.create(
        district=partner_district, code="XZSP", name="潍坊滨海区行政审批服务局"
    )
    client.force_login(staff_factory(Role.READ_ONLY, department=theirs))
    draft = MatterFactory(status=MatterStatus.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_viewer_has_no_publish_button_admin_publishes(
    viewer_client, client, admin_user
):
    matter = MatterFactory(status=MatterStatus.DRAFT)
    assert (
        "发布</button>"
        not in viewer_client.get(matter.get_absolute_url()).content.decode()
    )
    url = reverse("services:matter-transition", args=[matter.pk, "publish"])
    assert viewer_client.post(url).status_code == 403
    client.force_login(admin_user)
    response = client.post(url, {"version": matter.version})
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.PUBLISHED


def test_refused_publish_shows_what_is_wrong(admin_client_):
    matter = MatterFactory(status=MatterStatus.DRAFT, conditions="", materials=[])
    url = reverse("services:matter-transition", args=[matter.pk, "publish"])
    response = admin_client_.post(url, {"version": "1"}, follow=True)
    body = response.content.decode()
    assert "受理条件不能为空" in body and "至少应有一项申请材料" in body
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DRAFT


def test_agreement_detail_shows_list_as_of_date_and_change_log(viewer_client):
    agreement = AgreementFactory()
    kept, removed = (
        MatterFactory(name="就业登记"),
        MatterFactory(name="药品零售企业经营许可"),
    )
    AgreementMatterFactory(agreement=agreement, matter=kept)
    AgreementMatterFactory(
        agreement=agreement,
        matter=removed,
        effective_to=datetime.date(2021, 11, 1),
        removal_reason="暂不纳入异地代收代办",
    )
    before = viewer_client.get(agreement.get_absolute_url(), {"as_of": "2021-10-31"})
    after = viewer_client.get(agreement.get_absolute_url(), {"as_of": "2021-11-01"})
    assert "（2 项）" in before.content.decode()
    assert "（1 项）" in after.content.decode()
    assert "暂不纳入异地代收代办" in after.content.decode()  # the change log


def test_agreement_export_downloads_the_list_as_of_the_date(viewer_client):
    entry = AgreementMatterFactory()
    response = viewer_client.get(
        reverse("services:agreement-export", args=[entry.agreement.pk]),
        {"as_of": "2021-08-01"},
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == entry.matter.code


def test_matter_export_download_is_the_import_format(viewer_client):
    matter = MatterFactory()
    response = viewer_client.get(reverse("services:matter-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "实施编码" and sheet["A2"].value == matter.code


def test_public_guide_needs_no_login_and_shows_the_guide(client):
    matter = MatterFactory(materials=["营业执照"], fee=0)
    body = client.get(matter.get_public_url()).content.decode()
    assert "办事指南" in body and "营业执照" in body and "不收费" in body
    assert 'name="viewport"' in body


def test_public_guide_of_a_draft_is_not_found(client):
    draft = MatterFactory(status=MatterStatus.DRAFT)
    assert client.get(draft.get_public_url()).status_code == 404


def test_public_list_of_an_ended_agreement_is_not_found(client):
    agreement = AgreementFactory(active=False)
    assert client.get(agreement.get_public_url()).status_code == 404


def test_bundle_pages_show_matters_in_order(viewer_client, client):
    first, second = (
        MatterFactory(name="残疾人证办理"),
        MatterFactory(name="重度残疾人护理补贴"),
    )
    bundle = BundleFactory(name="助残“一件事”", matters=[second, first])
    body = viewer_client.get(bundle.get_absolute_url()).content.decode()
    assert body.index("重度残疾人护理补贴") < body.index("残疾人证办理")
    assert (
        "助残“一件事”" in client.get(reverse("services:public-index")).content.decode()
    )
    assert viewer_client.get(reverse("services:bundle-list")).status_code == 200
    assert viewer_client.get(reverse("services:agreement-list")).status_code == 200


def test_navigation_links_the_catalogue(viewer_client):
    body = viewer_client.get("/").content.decode()
    assert reverse("services:matter-list") in body


def test_admin_pages_for_catalogue_models_open(client, department):
    from core.models import User

    client.force_login(
        User.objects.create_superuser("root", password="x", department=department)
    )
    admin_client = client
    entry = AgreementMatterFactory()
    BundleFactory(matters=[entry.matter, MatterFactory()])
    for name in ["matter", "agreement", "agreementmatter", "bundle"]:
        assert (
            admin_client.get(reverse(f"admin:services_{name}_changelist")).status_code
            == 200
        )
    assert (
        admin_client.get(
            reverse("admin:services_agreement_change", args=[entry.agreement.pk])
        ).status_code
        == 200
    )
    assert admin_client.get(reverse("admin:services_matter_add")).status_code == 200
    assert AgreementMatter.objects.count() == 1


AGREEMENT_LIST_PAGE_QUERIES = 9  # as the catalogue list: partners of the filter, rows
BUNDLE_LIST_PAGE_QUERIES = 9  # session, user, perms, department, bundles, items


@pytest.mark.parametrize("rows", [5, 50])
def test_agreement_and_bundle_list_pages_query_counts_are_fixed(
    viewer_client, rows, django_assert_num_queries
):
    AgreementFactory.create_batch(rows)
    matters = MatterFactory.create_batch(2)
    for _ in range(rows):
        BundleFactory(matters=matters)
    with django_assert_num_queries(AGREEMENT_LIST_PAGE_QUERIES):
        response = viewer_client.get(
            reverse("services:agreement-list"), {"page_size": rows}
        )
    assert response.content.decode().count("<tr>") == rows + 1
    with django_assert_num_queries(BUNDLE_LIST_PAGE_QUERIES):
        response = viewer_client.get(
            reverse("services:bundle-list"), {"page_size": rows}
        )
    assert response.content.decode().count("<tr>") == rows + 1

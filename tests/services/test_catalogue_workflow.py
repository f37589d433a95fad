"""A matter's status changes only through core.workflow (MATTER_WORKFLOW), and
every catalogue resource carries a version: ETag out, If-Match in."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import InternalError, transaction
from django.urls import reverse

from core.audit import actor_context
from core.choices import Role
from core.errors import PreconditionRequired, StaleVersion
from core.models import StateChange
from services.actions import catalogue as actions
from services.actions import catalogue_import as importing
from services.choices import MatterStatus
from services.models import AgreementMatter, Bundle, LiaisonOfficer, Matter
from tests.services.factories_catalogue import (
    AgreementFactory,
    AgreementMatterFactory,
    BundleFactory,
    MatterFactory,
)

pytestmark = pytest.mark.django_db

MATTERS = "/api/v1/matters/"


def steps_of(matter):
    return list(
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Matter), object_id=matter.pk
        )
        .order_by("id")
        .values_list("verb", "from_status", "to_status")
    )


def test_status_cannot_be_written_outside_the_workflow():
    matter = MatterFactory(status=MatterStatus.DRAFT)
    with pytest.raises(InternalError), transaction.atomic(), actor_context(None):
        Matter.objects.filter(pk=matter.pk).update(status=MatterStatus.PUBLISHED)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.DRAFT


def test_each_step_is_recorded_by_the_engine(admin_user):
    matter = MatterFactory(status=MatterStatus.DRAFT)
    matter = actions.matter_publish(actor=admin_user, matter=matter, expected_version=1)
    matter = actions.matter_retire(actor=admin_user, matter=matter, expected_version=2)
    assert steps_of(matter) == [
        ("publish", "draft", "published"),
        ("retire", "published", "retired"),
    ]
    assert StateChange.objects.filter(actor=admin_user).count() == 2
    assert matter.published_at is not None and matter.version == 3


def test_a_transition_needs_the_version():
    matter = MatterFactory()
    with pytest.raises(PreconditionRequired):
        actions.matter_suspend(actor=None, matter=matter, expected_version=None)
    with pytest.raises(StaleVersion):
        actions.matter_suspend(actor=None, matter=matter, expected_version=5)


def test_api_offers_the_steps_the_engine_would_take(staff_api, admin_user, api_client):
    draft = MatterFactory(status=MatterStatus.DRAFT)
    broken = MatterFactory(status=MatterStatus.DRAFT, conditions="")
    admin = staff_api(admin_user)
    assert admin.get(f"{MATTERS}{draft.pk}/").json()["allowed_transitions"] == [
        "publish",
        "retire",
    ]
    # The publishing rules are the guard: a matter that breaks them is not offered it.
    assert admin.get(f"{MATTERS}{broken.pk}/").json()["allowed_transitions"] == [
        "retire"
    ]
    published = MatterFactory()
    assert (
        api_client.get(f"{MATTERS}{published.pk}/").json()["allowed_transitions"] == []
    )


def test_page_buttons_come_from_the_workflow(client, admin_user):
    matter = MatterFactory()
    client.force_login(admin_user)
    body = client.get(matter.get_absolute_url()).content.decode()
    assert reverse("services:matter-transition", args=[matter.pk, "suspend"]) in body
    assert (
        reverse("services:matter-transition", args=[matter.pk, "publish"]) not in body
    )


def test_page_transition_without_the_version_is_refused(client, admin_user):
    matter = MatterFactory()
    client.force_login(admin_user)
    url = reverse("services:matter-transition", args=[matter.pk, "suspend"])
    client.post(url)
    client.post(url, {"version": "7"})
    matter.refresh_from_db()
    assert (matter.status, matter.version) == (MatterStatus.PUBLISHED, 1)
    client.post(url, {"version": "1"})
    matter.refresh_from_db()
    assert (matter.status, matter.version) == (MatterStatus.SUSPENDED, 2)


def test_import_changes_status_through_the_engine_in_one_transaction(tmp_path):
    matter = MatterFactory()
    path = tmp_path / "matters.csv"
    path.write_text(
        "实施编码,事项名称,事项类型,实施主体,法定办结时限,承诺办结时限,状态\n"
        f"{matter.code},{matter.name},行政许可,XZSP,20,5,暂停\n",
        encoding="utf-8",
    )
    dry = importing.matters_import(actor=None, path=path, dry_run=True, progress=False)
    assert dry.updated == 1
    matter.refresh_from_db()
    assert matter.status == MatterStatus.PUBLISHED and steps_of(matter) == []
    importing.matters_import(actor=None, path=path, progress=False)
    matter.refresh_from_db()
    assert matter.status == MatterStatus.SUSPENDED
    assert steps_of(matter) == [("suspend", "published", "suspended")]


def test_bundle_has_an_etag_and_patch_needs_if_match(staff_api, admin_user):
    bundle = BundleFactory(matters=MatterFactory.create_batch(2))
    client = staff_api(admin_user)
    url = f"/api/v1/bundles/{bundle.pk}/"
    read = client.get(url)
    assert read["ETag"] == '"1"' and read.json()["version"] == 1
    assert client.patch(url, {"name": "新名称"}, format="json").status_code == 428
    stale = client.patch(url, {"name": "新名称"}, format="json", HTTP_IF_MATCH='"9"')
    assert stale.status_code == 412
    done = client.patch(url, {"name": "新名称"}, format="json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200 and done["ETag"] == '"2"'
    assert Bundle.objects.get(pk=bundle.pk).name == "新名称"


def test_agreement_entry_removal_needs_if_match(staff_api, admin_user):
    entry = AgreementMatterFactory()
    client = staff_api(admin_user)
    url = f"/api/v1/agreement-entries/{entry.pk}/remove/"
    body = {"effective_to": "2022-01-01", "reason": "职能调整"}
    assert client.get(f"/api/v1/agreement-entries/{entry.pk}/")["ETag"] == '"1"'
    assert client.post(url, body, format="json").status_code == 428
    assert client.post(url, body, format="json", HTTP_IF_MATCH='"3"').status_code == 412
    entry.refresh_from_db()
    assert entry.effective_to is None
    done = client.post(url, body, format="json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200
    entry.refresh_from_db()
    assert entry.effective_to == datetime.date(2022, 1, 1) and entry.version == 2


def test_agreement_patch_with_liaisons_is_one_versioned_step(staff_api, admin_user):
    agreement = AgreementFactory()
    client = staff_api(admin_user)
    url = f"/api/v1/agreements/{agreement.pk}/"
    liaisons = [
        {
            "side": "local",
            "name": "马玉珠",
            "department": "审批局",
            "phone": "13905379812",
        }
    ]
    assert client.patch(url, {"liaisons": liaisons}, format="json").status_code == 428
    stale = client.patch(
        url, {"liaisons": liaisons}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert stale.status_code == 412 and not LiaisonOfficer.objects.exists()
    done = client.patch(url, {"liaisons": liaisons}, format="json", HTTP_IF_MATCH='"1"')
    assert done.status_code == 200 and done["ETag"] == '"2"'
    assert LiaisonOfficer.objects.get().version == 1


def test_admin_edit_over_a_newer_version_is_refused(client, staff_factory):
    bundle = BundleFactory(matters=MatterFactory.create_batch(2))
    items = list(bundle.items.order_by("position"))
    client.force_login(staff_factory(Role.DISTRICT_ADMIN, is_staff=True))
    form = {
        "code": bundle.code,
        "name": "改过的名称",
        "description": "",
        "window": "",
        "active": "on",
        "expected_version": "1",
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for index, item in enumerate(items):
        form.update(
            {
                f"items-{index}-id": str(item.pk),
                f"items-{index}-bundle": str(bundle.pk),
                f"items-{index}-position": str(item.position),
                f"items-{index}-matter": str(item.matter_id),
            }
        )
    url = reverse("admin:services_bundle_change", args=[bundle.pk])
    # Someone else saved meanwhile: version 2.
    actions.bundle_update(
        actor=None, bundle=bundle, data={"window": "专窗"}, expected_version=1
    )
    refused = client.post(url, form, follow=True)
    assert "记录已被他人修改" in refused.content.decode()
    bundle.refresh_from_db()
    assert (bundle.window, bundle.version) == ("专窗", 2)
    assert bundle.name != "改过的名称"
    form["expected_version"] = "2"
    response = client.post(url, form)
    assert response.status_code == 302
    bundle.refresh_from_db()
    assert (bundle.name, bundle.version) == ("改过的名称", 3)


def test_list_import_updates_entries_as_new_versions(tmp_path):
    entry = AgreementMatterFactory()
    path = tmp_path / "list.csv"
    path.write_text(
        "实施编码,批次,生效日期,停止日期,调出原因\n"
        f"{entry.matter.code},首批,2021-07-01,2022-01-01,职能调整\n",
        encoding="utf-8",
    )
    importing.agreement_list_import(
        actor=None, agreement=entry.agreement, path=path, progress=False
    )
    entry = AgreementMatter.objects.get(pk=entry.pk)
    assert entry.effective_to == datetime.date(2022, 1, 1) and entry.version == 2


def test_viewer_sees_no_buttons(client, staff_factory):
    matter = MatterFactory(status=MatterStatus.DRAFT)
    client.force_login(staff_factory(Role.READ_ONLY))
    body = client.get(matter.get_absolute_url()).content.decode()
    assert "matter-transition" not in body
    assert (
        reverse("services:matter-transition", args=[matter.pk, "publish"]) not in body
    )

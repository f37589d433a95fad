import datetime
import uuid

import pytest

from core.choices import Role
from services.choices import MatterStatus
from services.models import AgreementMatter, Matter
from tests.services.factories_catalogue import (
    AgreementFactory,
    AgreementMatterFactory,
    BundleFactory,
    MatterFactory,
    local_department,
    partner,
)

pytestmark = pytest.mark.django_db

MATTERS = "/api/v1/matters/"


def test_public_reads_published_matters_with_chinese_labels(api_client):
    matter = MatterFactory(fee=0)
    MatterFactory(status=MatterStatus.DRAFT)
    body = api_client.get(MATTERS).json()
    assert [row["id"] for row in body["results"]] == [matter.pk]
    row = body["results"][0]
    assert row["kind_display"] == "行政许可" and row["status"] == "published"
    assert row["fee"] == "0.00"
    assert row["url"].endswith(f"/api/v1/matters/{matter.pk}/")
    assert [m["name"] for m in row["materials"]] == ["申请书", "营业执照"]
    assert "count" not in body and "next" in body


def test_draft_matter_is_not_found_for_the_public(api_client):
    draft = MatterFactory(status=MatterStatus.DRAFT)
    response = api_client.get(f"{MATTERS}{draft.pk}/")
    assert response.status_code == 404
    assert response.json()["type"] == "not_found"


def test_matter_filters_match_the_page_filters(api_client):
    MatterFactory(name="残疾人证办理", kind="7")
    MatterFactory(name="食品经营许可")
    names = [
        r["name"]
        for r in api_client.get(MATTERS, {"q": "残疾", "kind": "7"}).json()["results"]
    ]
    assert names == ["残疾人证办理"]


# Anonymous callers pay one statement to the shared rate limit (core.ratelimit).
PUBLIC_LIMIT = 1
MATTER_LIST_QUERIES = (
    PUBLIC_LIMIT + 2
)  # the page of matters (department joined) + their materials


@pytest.mark.parametrize("rows", [5, 50])
def test_matter_list_query_count_is_fixed(api_client, rows, django_assert_num_queries):
    MatterFactory.create_batch(rows)
    with django_assert_num_queries(MATTER_LIST_QUERIES):
        body = api_client.get(MATTERS, {"page_size": rows}).json()
    assert len(body["results"]) == rows


def test_public_cannot_write(api_client):
    response = api_client.post(MATTERS, {}, format="json")
    assert response.status_code == 401


def matter_body(**changes):
    body = {
        "code": "37087100SP-XK-0201",
        "name": "公共场所卫生许可",
        "kind": "1",
        "department": local_department().pk,
        "legal_basis": "《公共场所卫生管理条例》",
        "conditions": "符合卫生标准",
        "statutory_days": 20,
        "promised_days": 3,
        "online_depth": "full",
        "materials": [{"name": "卫生许可申请表", "form": "original", "copies": 1}],
    }
    body.update(changes)
    return body


def test_admin_creates_then_publishes_with_if_match(staff_api, admin_user):
    client = staff_api(admin_user)
    key = str(uuid.uuid4())
    created = client.post(
        MATTERS, matter_body(), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert created.status_code == 201, created.json()
    assert created["ETag"] == '"1"'
    replay = client.post(
        MATTERS, matter_body(), format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert replay.status_code == 201 and Matter.objects.count() == 1
    url = f"{MATTERS}{created.json()['id']}/publish/"
    assert client.post(url).status_code == 428
    assert client.post(url, HTTP_IF_MATCH='"9"').status_code == 412
    published = client.post(url, HTTP_IF_MATCH='"1"')
    assert published.status_code == 200
    assert published.json()["status_display"] == "已发布"
    again = client.post(url, HTTP_IF_MATCH='"2"')
    assert again.status_code == 409 and again.json()["type"] == "illegal_transition"


def test_a_draft_without_limits_is_created_and_publishing_lists_them(
    staff_api, admin_user
):
    client = staff_api(admin_user)
    body = matter_body(
        statutory_days=None,
        theme="卫生健康",
        guide_url="https://zwfw.example.gov.cn/guide/201",
    )
    del body["promised_days"]
    created = client.post(
        MATTERS, body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["statutory_days"], data["promised_days"]) == (None, None)
    assert (data["theme"], data["guide_url"]) == (body["theme"], body["guide_url"])
    refused = client.post(f"{MATTERS}{data['id']}/publish/", HTTP_IF_MATCH='"1"').json()
    assert {e["field"] for e in refused["errors"]} == {
        "statutory_days",
        "promised_days",
    }


def test_create_with_bad_rules_is_400_with_field_messages(staff_api, admin_user):
    response = staff_api(admin_user).post(
        MATTERS,
        matter_body(code="511A-1", promised_days=30, colour="red"),
        format="json",
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"colour"}
    response = staff_api(admin_user).post(
        MATTERS, matter_body(code="511A-1", promised_days=30), format="json"
    )
    assert {e["field"] for e in response.json()["errors"]} == {"code", "promised_days"}
    assert not Matter.objects.exists()


def test_clerk_may_read_but_not_create(staff_api, staff_factory):
    clerk = staff_api(staff_factory(Role.CLERK))
    MatterFactory(status=MatterStatus.DRAFT)
    assert len(clerk.get(MATTERS).json()["results"]) == 1  # staff see drafts
    assert clerk.post(MATTERS, matter_body(), format="json").status_code == 403


def test_patch_needs_if_match_and_bumps_the_version(staff_api, admin_user):
    matter = MatterFactory()
    client = staff_api(admin_user)
    assert (
        client.patch(
            f"{MATTERS}{matter.pk}/", {"promised_days": 3}, format="json"
        ).status_code
        == 428
    )
    response = client.patch(
        f"{MATTERS}{matter.pk}/",
        {"promised_days": 3},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200
    assert response.json()["version"] == 2 and response["ETag"] == '"2"'


def test_agreement_list_as_of_a_date(api_client):
    agreement = AgreementFactory()
    kept, removed = MatterFactory(), MatterFactory()
    AgreementMatterFactory(agreement=agreement, matter=kept)
    AgreementMatterFactory(
        agreement=agreement,
        matter=removed,
        effective_to=datetime.date(2021, 11, 1),
        removal_reason="调整",
    )
    url = f"/api/v1/agreements/{agreement.pk}/entries/"
    before = api_client.get(url, {"as_of": "2021-10-31"}).json()
    after = api_client.get(url, {"as_of": "2021-11-01"}).json()
    assert {r["matter_code"] for r in before["results"]} == {kept.code, removed.code}
    assert [r["matter_code"] for r in after["results"]] == [kept.code]
    bad = api_client.get(url, {"as_of": "2021-02-30"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "as_of"


@pytest.mark.parametrize("value", ["20211101", "٢٠٢١-١١-٠١"])
def test_agreement_list_as_of_refuses_another_date_spelling(api_client, value):
    url = f"/api/v1/agreements/{AgreementFactory().pk}/entries/"
    response = api_client.get(url, {"as_of": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "as_of"


def test_agreement_list_as_of_empty_is_today(api_client):
    url = f"/api/v1/agreements/{AgreementFactory().pk}/entries/"
    assert api_client.get(url, {"as_of": ""}).status_code == 200


ENTRIES_QUERIES = PUBLIC_LIMIT + (
    4  # agreement, its liaisons, count, one page (matter, department joined)
)


@pytest.mark.parametrize("rows", [5, 50])
def test_agreement_entries_query_count_is_fixed(
    api_client, rows, django_assert_num_queries
):
    agreement = AgreementFactory()
    for matter in MatterFactory.create_batch(rows):
        AgreementMatterFactory(agreement=agreement, matter=matter)
    with django_assert_num_queries(ENTRIES_QUERIES):
        body = api_client.get(
            f"/api/v1/agreements/{agreement.pk}/entries/",
            {"as_of": "2021-08-01", "page_size": rows},
        ).json()
    assert len(body["results"]) == rows


AGREEMENT_LIST_QUERIES = (
    PUBLIC_LIMIT + 3
)  # count, agreements (partner joined), liaisons


@pytest.mark.parametrize("rows", [5, 50])
def test_agreement_list_query_count_is_fixed(
    api_client, rows, django_assert_num_queries
):
    AgreementFactory.create_batch(rows)
    with django_assert_num_queries(AGREEMENT_LIST_QUERIES):
        body = api_client.get("/api/v1/agreements/", {"page_size": rows}).json()
    assert len(body["results"]) == rows


def test_partner_reads_only_its_own_agreements(partner_api):
    ours = AgreementFactory(partner=partner_api.district)
    theirs = AgreementFactory(partner=partner("371002", "威海经济技术开发区"))
    body = partner_api.get("/api/v1/agreements/").json()
    assert [row["id"] for row in body["results"]] == [ours.pk]
    assert partner_api.get(f"/api/v1/agreements/{theirs.pk}/").status_code == 404
    assert (
        partner_api.get(f"/api/v1/agreements/{theirs.pk}/entries/").status_code == 404
    )


def test_liaison_phone_is_masked_for_the_public(api_client):
    agreement = AgreementFactory()
    agreement.liaisons.create(
        side="local", name="马玉珠", department="审批局", phone="13905379812"
    )
    liaison = api_client.get(f"/api/v1/agreements/{agreement.pk}/").json()["liaisons"][
        0
    ]
    assert liaison["phone"] == "139****9812" and liaison["side_display"] == "本区"


def test_admin_adjusts_the_list_through_the_api(staff_api, admin_user):
    agreement = AgreementFactory()
    matter = MatterFactory()
    client = staff_api(admin_user)
    added = client.post(
        f"/api/v1/agreements/{agreement.pk}/add-matter/",
        {"matter": matter.pk, "batch": "第二批", "effective_from": "2021-11-01"},
        format="json",
    )
    assert added.status_code == 201, added.json()
    entry_id = added.json()["id"]
    no_reason = client.post(
        f"/api/v1/agreement-entries/{entry_id}/remove/",
        {"effective_to": "2022-01-01", "reason": ""},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert no_reason.status_code == 400
    removed = client.post(
        f"/api/v1/agreement-entries/{entry_id}/remove/",
        {"effective_to": "2022-01-01", "reason": "职能调整"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert removed.status_code == 200 and removed["ETag"] == '"2"'
    assert AgreementMatter.objects.get().removal_reason == "职能调整"


def test_admin_creates_an_agreement_with_liaisons(staff_api, admin_user):
    response = staff_api(admin_user).post(
        "/api/v1/agreements/",
        {
            "code": "JNJK-WFBH-2021-01",
            "title": "全省通办合作协议",
            "partner": partner().pk,
            "modes": ["online", "proxy"],
            "signed_on": "2021-06-25",
            "effective_on": "2021-07-01",
            "liaisons": [
                {
                    "side": "local",
                    "name": "马玉珠",
                    "department": "审批局",
                    "phone": "13905379812",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["modes_display"] == ["全程网办", "异地代收代办"]


def test_bundles_read_in_order_and_inactive_hidden(api_client):
    first, second = MatterFactory(), MatterFactory()
    bundle = BundleFactory(matters=[second, first])
    hidden = BundleFactory(active=False)
    body = api_client.get("/api/v1/bundles/").json()
    assert [row["id"] for row in body["results"]] == [bundle.pk]
    assert [i["matter"] for i in body["results"][0]["items"]] == [second.pk, first.pk]
    assert api_client.get(f"/api/v1/bundles/{hidden.pk}/").status_code == 404


BUNDLE_LIST_QUERIES = (
    PUBLIC_LIMIT + 3
)  # count, bundles, items (matter and department joined)


@pytest.mark.parametrize("rows", [5, 50])
def test_bundle_list_query_count_is_fixed(api_client, rows, django_assert_num_queries):
    matters = MatterFactory.create_batch(2)
    for _ in range(rows):
        BundleFactory(matters=matters)
    with django_assert_num_queries(BUNDLE_LIST_QUERIES):
        body = api_client.get("/api/v1/bundles/", {"page_size": rows}).json()
    assert len(body["results"]) == rows


def test_admin_creates_a_bundle(staff_api, admin_user):
    first, second = MatterFactory(), MatterFactory()
    response = staff_api(admin_user).post(
        "/api/v1/bundles/",
        {"code": "ZC-YJS", "name": "助残“一件事”", "matters": [first.pk, second.pk]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [i["position"] for i in response.json()["items"]] == [1, 2]


ENTRY_LIST_QUERIES = (
    PUBLIC_LIMIT + 1
)  # one page of entries with agreement, matter, department joined


@pytest.mark.parametrize("rows", [5, 50])
def test_agreement_entry_list_query_count_is_fixed(
    api_client, rows, django_assert_num_queries
):
    agreement = AgreementFactory()
    for matter in MatterFactory.create_batch(rows):
        AgreementMatterFactory(agreement=agreement, matter=matter)
    with django_assert_num_queries(ENTRY_LIST_QUERIES):
        body = api_client.get("/api/v1/agreement-entries/", {"page_size": rows}).json()
    assert len(body["results"]) == rows


def test_partner_cannot_see_entries_of_another_partners_list(partner_api):
    ours = AgreementMatterFactory(
        agreement=AgreementFactory(partner=partner_api.district)
    )
    theirs = AgreementMatterFactory(
        agreement=AgreementFactory(partner=partner("371002", "威海经济技术开发区"))
    )
    ids = [
        r["id"] for r in partner_api.get("/api/v1/agreement-entries/").json()["results"]
    ]
    assert ids == [ours.pk]
    response = partner_api.get(f"/api/v1/agreement-entries/{theirs.pk}/")
    assert response.status_code == 404 and response.json()["type"] == "not_found"


def test_partner_cannot_write(partner_api):
    matter = MatterFactory()
    response = partner_api.post(
        f"/api/v1/matters/{matter.pk}/retire/", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 403

"""An officer's day: patrol, two cases, a notice printed, a failed re-inspection,
the towing, and the campaign's figures moving."""

import datetime
import hashlib

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.actions import reference_data_load
from core.choices import Role
from core.models import Department
from enforcement import actions
from enforcement.models import Case, RectificationNotice
from tests.conftest import make_staff
from tests.enforcement.factories import credit_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def days_ago(n):
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def figure(page, name):
    return int(page.locator(f'[data-figure="{name}"]').first.inner_text())


def test_officer_records_patrol_cases_notice_and_towing(page, login):
    reference_data_load()
    zhzf = Department.objects.get(code="ZHZF", district__kind="local")
    officer = make_staff(Role.OFFICER, zhzf, last_name="张", first_name="伟")
    campaign = actions.campaign_create(
        actor=officer,
        name="吉祥路二手车市场集中整治行动",
        lead_department=zhzf,
        joint_departments=list(
            Department.objects.filter(code__in=["JJ", "SCJG", "SWJ"])
        ),
        area="杨李村及其周边、吉祥路两侧",
        start_date=timezone.localdate() - datetime.timedelta(days=30),
    )
    login(officer)
    page.click("text=综合执法")
    page.click(f"text={campaign.name}")
    assert figure(page, "officer_dispatches") == 0

    # the patrol
    page.click("text=记录巡查")
    page.fill("#id_patrol_date", days_ago(12))
    page.fill("#id_place", "吉祥路杨李村段")
    page.fill("#id_officers", "16")
    page.fill("#id_vehicles", "4")
    page.check("#id_methods_0")  # 车辆广播
    page.check("#id_methods_1")  # 标语条幅
    page.click("button:has-text('保存巡查')")
    expect(page.locator(".messages")).to_contain_text("已记录巡查")
    patrol_url = page.url

    # two cases from it
    codes = [credit_code(), credit_code()]
    for name, code in zip(["鑫源二手车经营部", "顺达二手车行"], codes, strict=True):
        page.goto(patrol_url)
        page.click("text=登记案件")
        page.select_option("#id_subject_kind", "sole_trader")
        page.fill("#id_subject_name", name)
        page.fill("#id_credit_code", code)
        page.fill("#id_representative", "孙某某")
        page.select_option("#id_violation_type", "illegal_parking")
        page.fill("#id_facts", "将待售车辆停放于吉祥路人行道")
        page.fill("#id_latitude", "35.391000")
        page.fill("#id_longitude", "116.623000")
        with page.expect_navigation():
            page.click("button:has-text('立案')")
        expect(page.locator(".messages")).to_contain_text("已立案")
    assert Case.objects.count() == 2
    case = Case.objects.get(subject__name="顺达二手车行")
    # the credit code is masked for an officer without the sensitive-data permission
    assert codes[1] not in page.content()
    assert "uri.amap.com" in page.locator("text=在地图中查看").get_attribute("href")

    # the notice
    form = page.locator("#verb-issue_notice")
    form.locator("[name=issued_on]").fill(days_ago(10))
    form.locator("[name=deadline]").fill(days_ago(3))
    form.locator("[name=served_to]").fill("孙某某")
    form.locator("button").click()
    expect(page.locator("#case-status")).to_have_text("已下达整改通知")
    notice = RectificationNotice.objects.get(case=case)
    assert notice.number in page.locator("#notice").inner_text()

    # print it
    href = page.locator("#print-notice").get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.body()).hexdigest() == notice.pdf_sha256

    # a failed re-inspection after the deadline
    form = page.locator("#verb-reinspect")
    form.locator("[name=inspected_on]").fill(days_ago(0))
    form.locator("[name=outcome]").select_option("failed")
    form.locator("[name=note]").fill("车辆仍停放在人行道")
    form.locator("button").click()
    expect(page.locator("#case-status")).to_have_text("逾期未整改")

    # the towing
    form = page.locator("#verb-dispose")
    form.locator("[name=kind]").select_option("vehicle_towed")
    form.locator("[name=quantity]").fill("3")
    form.locator("[name=plates]").fill("鲁H·无牌×3")
    form.locator("button").click()
    expect(page.locator("#case-status")).to_have_text("已强制清除")
    expect(page.locator(".timeline")).to_contain_text("已强制清除")

    # the campaign's figures moved
    page.goto(campaign.get_absolute_url())
    assert figure(page, "officer_dispatches") == 16
    assert figure(page, "patrols") == 1
    assert figure(page, "cases") == 2
    assert figure(page, "notices_issued") == 1
    assert figure(page, "rectified_on_time") == 0
    assert figure(page, "vehicles_towed") == 3
    assert figure(page, "vehicles_cleared") == 3

import pytest

from core.choices import Role
from tests.services.factories_catalogue import (
    AgreementFactory,
    AgreementMatterFactory,
    MatterFactory,
    local_department,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_filter_the_catalogue_and_open_a_matter(page, login, staff_factory):
    MatterFactory(
        name="残疾人证办理",
        kind="7",
        department=local_department("CJR"),
        materials=["《中华人民共和国残疾人证申请表》", "近期二寸免冠照片"],
    )
    MatterFactory(name="食品经营许可")
    login(staff_factory(Role.READ_ONLY))
    page.goto("/services/matters/")
    assert page.locator("table.matters tbody tr").count() == 2
    page.select_option("#id_kind", "7")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**kind=7**")
    rows = page.locator("table.matters tbody tr")
    assert rows.count() == 1
    rows.first.locator("a").click()
    assert page.locator("h1").inner_text().startswith("残疾人证办理")
    materials = page.locator("table.materials").inner_text()
    assert "残疾人证申请表" in materials and "近期二寸免冠照片" in materials


def test_public_guide_reads_on_a_phone_without_login(browser, live_server):
    agreement = AgreementFactory(title="全省通办合作协议")
    entry = AgreementMatterFactory(
        agreement=agreement,
        matter=MatterFactory(name="困难残疾人生活补贴", materials=["申请审批表"]),
    )
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 375, "height": 740},
        is_mobile=True,
        locale="zh-CN",
    )
    page = context.new_page()
    try:
        page.goto(agreement.get_public_url())
        assert "全省通办合作协议" in page.locator("h1").inner_text()
        page.click(f"text={entry.matter.name}")
        assert "办事指南" in page.locator("h1").inner_text()
        assert "申请审批表" in page.locator("ol.guide-materials").inner_text()
        # nothing wider than the phone's screen
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375
    finally:
        context.close()

"""A person takes an application at the window and carries it to the end."""

import pytest

from core.choices import Role
from services.models import Application
from tests.services.factories_applications import PDF_BYTES, make_matter, person_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def step(page, verb, **fields):
    form = page.locator(f"form[data-verb={verb}]")
    for name, value in fields.items():
        if name == "delivery_method":
            form.locator(f"select[name={name}]").select_option(value)
        else:
            form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_window_application_from_intake_to_closed(
    page, login, staff_factory, department
):
    matter = make_matter(
        department,
        name="残疾人证办理",
        materials=(("居民身份证", True), ("近期免冠照片", False)),
    )
    clerk = staff_factory(Role.CLERK)
    reviewer = staff_factory(Role.REVIEWER)

    login(clerk)
    page.click("text=办件")
    page.click("text=窗口收件")
    page.select_option("#id_matter", str(matter.pk))
    page.fill("#id_applicant_name", "张秀英")
    page.fill("#id_applicant_id_number", person_id("19620415", "224"))
    page.fill("#id_applicant_phone", "13805371024")
    page.fill("#id_applicant_address", "济宁市经开区疃里镇张庄村")
    page.select_option("#id_delivery_method", "mail")
    page.fill("#id_delivery_address", "济宁市经开区疃里镇张庄村")
    page.click("button:has-text('收件')")
    assert "已收件" in page.locator(".messages").inner_text()
    app = Application.objects.get()

    # 补正: tick the missing photo, then the applicant brings it.
    form = page.locator("form[data-verb=request_correction]")
    form.locator("label:has-text('缺少：近期免冠照片') input").check()
    step(page, "request_correction", note="照片须为近期免冠")
    assert page.locator(".badge.status").inner_text() == "待补正"
    page.set_input_files(
        "form.upload input[type=file]",
        {"name": "身份证.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES},
    )
    page.select_option("form.upload select", label=f"{matter.name}：居民身份证")
    page.click("form.upload button")
    assert "已上传：居民身份证" in page.locator(".messages").inner_text()
    step(page, "resubmit")
    step(page, "accept")
    assert page.locator(".badge.status").inner_text() == "已受理"
    pdf = page.request.get(f"/services/applications/{app.pk}/documents/acceptance/")
    assert pdf.headers["content-type"] == "application/pdf"
    page.click("button:has-text('退出')")

    login(reviewer)
    page.goto(f"/services/applications/{app.pk}/")
    step(page, "start_review")
    step(page, "approve", result="准予核发残疾人证")
    step(page, "issue_certificate", certificate_number="鲁残证37080220260001")
    assert page.locator(".badge.status").inner_text() == "已制证"
    page.click("button:has-text('退出')")

    login(clerk)
    page.goto(f"/services/applications/{app.pk}/")
    step(
        page,
        "deliver",
        delivery_method="mail",
        carrier="中国邮政EMS",
        tracking_number="1180123456789",
    )
    step(page, "close")
    assert page.locator(".badge.status").inner_text() == "已办结"
    timeline = page.locator("ol.timeline > li")
    verbs = [
        timeline.nth(i).get_attribute("data-verb") for i in range(timeline.count())
    ]
    assert verbs == [
        "create",
        "request_correction",
        "resubmit",
        "accept",
        "start_review",
        "approve",
        "issue_certificate",
        "deliver",
        "close",
    ]
    text = page.locator("ol.timeline").inner_text()
    assert "1180123456789" in text and "鲁残证37080220260001" in text
    assert "近期免冠照片" in text

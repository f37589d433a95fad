"""A volunteer manager's day, in the browser: team with flag → members → plan →
an activity with 30 participants' hours in one form → a volunteer's certificate."""

from __future__ import annotations

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from core.choices import Role
from core.models import Department
from volunteers.actions import categories_load
from volunteers.models import Certificate, Participation, PartyBranch, Team, Volunteer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_volunteers(n: int) -> list[Volunteer]:
    from tests.volunteers.factories import VolunteerFactory

    return VolunteerFactory.create_batch(n)


def test_manager_sets_up_a_team_and_prints_a_certificate(
    page, login, staff_factory, local_district, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    categories_load()
    from tests.volunteers.factories import png_bytes

    department = Department.objects.get(district=local_district, code="DGB")
    manager = staff_factory(
        Role.VOLUNTEER_MANAGER, department=department, last_name="刘", first_name="洋"
    )
    branch = PartyBranch.objects.create(name="疃里镇后赵村党支部", sector="rural")
    volunteers = make_volunteers(30)
    flag = tmp_path / "flag.png"
    flag.write_bytes(png_bytes((150, 100)))
    year = timezone.localdate().year
    today = timezone.localdate().isoformat()

    login(manager)
    page.click("text=志愿服务")
    page.click("text=新建服务队")
    page.fill("#id_name", "疃里镇后赵村党员志愿者服务队")
    page.select_option("#id_kind", "party")
    page.select_option("#id_branch", str(branch.pk))
    page.check("text=义务劳动")
    page.set_input_files("#id_flag", str(flag))
    page.click("button:has-text('保存')")
    page.wait_for_selector("#team-flag")
    team = Team.objects.get(name="疃里镇后赵村党员志愿者服务队")
    assert page.get_attribute("#team-flag", "src").startswith(
        "/media/volunteers/flags/"
    )
    assert team.flag

    # five members, the first as 队长
    for index, volunteer in enumerate(volunteers[:5]):
        page.fill("#add-member input[name=volunteer]", volunteer.id_number)
        page.select_option(
            "#add-member select[name=role]", "leader" if index == 0 else "member"
        )
        page.click("#add-member button[type=submit]")
        page.wait_for_selector(f"text={volunteer.name}已加入本队")
    assert page.locator("#members tbody tr").count() == 5
    assert volunteers[0].id_number not in page.content()  # shown masked

    # the year's plan: one item a month
    page.click(f"a:has-text('制定{year}年度计划')")
    for i in range(12):
        page.select_option(f"#id_items-{i}-category", label="义务劳动")
        page.fill(f"#id_items-{i}-title", f"{i + 1}月清理卫生死角")
    page.click("text=保存计划")
    page.wait_for_selector("#plan")
    assert page.locator("#plan tbody tr").count() == 12

    # an activity of today, three hours, for this month's plan item
    page.click("text=登记活动")
    page.fill("#id_title", "清理村庄公共地带卫生死角")
    page.select_option("#id_category", label="义务劳动")
    page.select_option("#id_plan_item", index=timezone.localdate().month)
    page.fill("#id_starts_at", f"{today}T08:00")
    page.fill("#id_ends_at", f"{today}T11:00")
    page.fill("#id_place", "疃里镇后赵村")
    page.click("button:has-text('保存')")
    page.wait_for_selector("#activity-status")

    # thirty participants' hours in one form
    page.click("text=登记服务时长")
    assert page.locator("#hours-form tbody tr").count() == 30
    for i, volunteer in enumerate(volunteers):
        page.fill(f"#id_rows-{i}-volunteer", volunteer.id_number)
        page.fill(f"#id_rows-{i}-hours", "3" if i else "2.5")
    page.click("text=保存全部")
    page.wait_for_selector("text=已登记30名志愿者的服务时长")
    assert "参与志愿者（30人，共89.5小时）" in page.content()
    assert page.inner_text("#activity-status") == "已开展"
    assert Participation.objects.filter(activity__team=team).count() == 30

    # a volunteer's certificate
    page.click(f"#participants >> text={volunteers[1].name}")
    page.wait_for_selector("#certificate-form")
    with page.expect_response(re.compile(r"/certificates/\d+\.pdf$")) as info:
        page.click("text=出具志愿服务证明（PDF）")
    response = info.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    certificate = Certificate.objects.get(volunteer=volunteers[1])
    fetched = page.request.get(response.url)
    body = fetched.body()
    assert body.startswith(b"%PDF")
    assert fetched.headers["x-content-sha256"] == certificate.sha256
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert volunteers[1].name in text
    assert "3.0小时" in text
    assert certificate.serial in text

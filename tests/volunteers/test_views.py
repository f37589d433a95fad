import datetime
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from volunteers.choices import ActivityStatus, TeamKind
from volunteers.models import (
    AnnualPlan,
    Certificate,
    Membership,
    Participation,
    ServiceCategory,
    Team,
)

from .factories import (
    ActivityFactory,
    BranchFactory,
    MembershipFactory,
    ParticipationFactory,
    TeamFactory,
    VolunteerFactory,
    png_bytes,
)

pytestmark = pytest.mark.django_db

# Queries per list page (session, user, perms, nav, page rows, prefetches):
# the same at page size 5 and 50.
PINNED = {"team-list": 11, "volunteer-list": 9, "activity-list": 12}


@pytest.fixture
def browser(client, manager):
    client.force_login(manager)
    return client


def test_team_list_query_count_does_not_grow_with_page_size(browser):
    labour = ServiceCategory.objects.get(code="labour")
    for _ in range(60):
        team = TeamFactory(leader=VolunteerFactory())
        team.categories.add(labour)
    url = reverse("volunteers:team-list")
    browser.get(url)  # warm the session and permission caches
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as context:
            response = browser.get(url, {"page_size": size})
        assert response.status_code == 200
        assert len(response.context["object_list"]) == size
        counts.append(len(context))
    assert counts == [PINNED["team-list"]] * 2


@pytest.mark.parametrize(
    "url_name,make",
    [
        ("volunteers:volunteer-list", lambda: VolunteerFactory(branch=BranchFactory())),
        ("volunteers:activity-list", lambda: ActivityFactory()),
    ],
)
def test_lists_issue_a_fixed_number_of_queries(browser, url_name, make):
    for _ in range(55):
        make()
    url = reverse(url_name)
    browser.get(url)
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as context:
            response = browser.get(url, {"page_size": size})
        assert len(response.context["object_list"]) == size
        counts.append(len(context))
    assert counts == [PINNED[url_name.split(":")[1]]] * 2


def test_team_list_filters_by_kind_and_branch(browser):
    party = TeamFactory()
    TeamFactory(kind=TeamKind.SOCIAL, branch=None)
    response = browser.get(
        reverse("volunteers:team-list"), {"kind": "party", "branch": party.branch_id}
    )
    assert [t.pk for t in response.context["object_list"]] == [party.pk]


def test_manager_sets_up_a_team_with_its_flag(browser, media_root):
    branch = BranchFactory()
    response = browser.post(
        reverse("volunteers:team-create"),
        {
            "name": "疃里镇后赵村党员志愿者服务队",
            "kind": "party",
            "branch": branch.pk,
            "categories": [ServiceCategory.objects.get(code="labour").pk],
            "flag": SimpleUploadedFile("flag.png", png_bytes(), "image/png"),
            "active": "on",
        },
    )
    team = Team.objects.get(name="疃里镇后赵村党员志愿者服务队")
    assert (
        response.status_code == 302 and response["Location"] == team.get_absolute_url()
    )
    assert (media_root / team.flag.name).is_file()
    page = browser.get(team.get_absolute_url()).content.decode()
    assert team.flag.url in page


def test_team_form_refuses_a_90_megapixel_flag(browser):
    from tests.factories import huge_png

    response = browser.post(
        reverse("volunteers:team-create"),
        {
            "name": "巨幅队旗",
            "kind": "social",
            "flag": SimpleUploadedFile("flag.png", huge_png(), "image/png"),
        },
    )
    assert response.status_code == 200
    assert "9500 × 9500" in " ".join(response.context["form"].errors["flag"])
    assert not Team.objects.filter(name="巨幅队旗").exists()


def test_team_form_shows_the_error_for_a_bad_flag(browser):
    response = browser.post(
        reverse("volunteers:team-create"),
        {
            "name": "坏队旗",
            "kind": "social",
            "flag": SimpleUploadedFile("flag.png", b"text", "image/png"),
        },
    )
    assert response.status_code == 200
    assert "flag" in response.context["form"].errors
    assert not Team.objects.filter(name="坏队旗").exists()


def test_member_added_by_id_number_and_shown_masked(browser):
    team = TeamFactory()
    volunteer = VolunteerFactory()
    browser.post(
        reverse("volunteers:membership-add", args=[team.pk]),
        {"volunteer": volunteer.id_number, "role": "member", "joined_on": "2021-01-04"},
    )
    assert Membership.objects.filter(team=team, volunteer=volunteer).exists()
    page = browser.get(team.get_absolute_url()).content.decode()
    assert volunteer.id_number not in page
    assert volunteer.id_number[:6] + "********" in page


def test_plan_page_saves_twelve_months(browser):
    team = TeamFactory()
    url = reverse("volunteers:plan-edit", args=[team.pk, 2021])
    response = browser.get(url)
    assert response.context["formset"].total_form_count() == 15
    labour = ServiceCategory.objects.get(code="labour").pk
    data = {
        "made_on": "2021-01-08",
        "note": "",
        "items-TOTAL_FORMS": "12",
        "items-INITIAL_FORMS": "0",
    }
    for i in range(12):
        data |= {
            f"items-{i}-month": str(i + 1),
            f"items-{i}-category": labour,
            f"items-{i}-title": f"{i + 1}月义务劳动",
            f"items-{i}-expected_participants": "10",
        }
    response = browser.post(url, data)
    assert response.status_code == 302
    plan = AnnualPlan.objects.get(team=team, year=2021)
    assert plan.items.count() == 12


def hours_post(rows, version=1):
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": "0",
        "version": str(version),
    }
    for i, (volunteer, hours) in enumerate(rows):
        data[f"rows-{i}-volunteer"] = volunteer
        data[f"rows-{i}-hours"] = hours
    return data


def test_hours_page_takes_thirty_participants_in_one_form(browser):
    activity = ActivityFactory()
    url = reverse("volunteers:activity-hours", args=[activity.pk])
    assert browser.get(url).context["formset"].total_form_count() == 30
    volunteers = VolunteerFactory.create_batch(30)
    response = browser.post(url, hours_post([(v.id_number, "3") for v in volunteers]))
    assert response.status_code == 302
    assert Participation.objects.filter(activity=activity).count() == 30
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.HELD


def test_hours_page_refuses_more_rows_than_the_cap_without_reading_them(browser):
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    activity = ActivityFactory()
    volunteer = VolunteerFactory()
    rows = [(volunteer.id_number, "1")] * (settings.BULK_MAX_ROWS + 1)
    with CaptureQueriesContext(connection) as counted:
        response = browser.post(
            reverse("volunteers:activity-hours", args=[activity.pk]), hours_post(rows)
        )
    assert response.status_code == 400
    assert str(settings.BULK_MAX_ROWS) in response.content.decode()
    lookups = [
        q for q in counted.captured_queries if "volunteers_volunteer" in q["sql"]
    ]
    assert len(lookups) <= settings.BULK_MAX_ROWS
    assert not Participation.objects.exists()


def test_hours_page_shows_row_errors_and_stores_nothing(browser):
    activity = ActivityFactory()
    a, b = VolunteerFactory.create_batch(2)
    response = browser.post(
        reverse("volunteers:activity-hours", args=[activity.pk]),
        hours_post(
            [(a.id_number, "2"), (b.id_number, "5"), ("370871000000000000", "1")]
        ),
    )
    assert response.status_code == 400
    forms = response.context["formset"].forms
    assert "未找到该志愿者" in forms[2].errors["volunteer"][0]
    assert not Participation.objects.exists()
    response = browser.post(
        reverse("volunteers:activity-hours", args=[activity.pk]),
        hours_post([(a.id_number, "2"), (b.id_number, "5")]),
    )
    assert response.status_code == 400
    assert "超过活动时长" in response.context["formset"].forms[1].errors["hours"][0]
    assert not Participation.objects.exists()


def test_certificate_is_printed_as_a_pdf(browser):
    participation = ParticipationFactory(
        hours=3,
        activity=ActivityFactory(status=ActivityStatus.HELD),
    )
    volunteer = participation.volunteer
    response = browser.post(
        reverse("volunteers:certificate-issue", args=[volunteer.pk]),
        {"period_start": "2021-01-01", "period_end": "2021-12-31"},
    )
    certificate = Certificate.objects.get(volunteer=volunteer)
    assert response["Location"] == certificate.get_absolute_url()
    pdf = browser.get(certificate.get_absolute_url())
    body = b"".join(pdf.streaming_content)
    assert pdf["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF")
    assert (
        hashlib.sha256(body).hexdigest()
        == certificate.sha256
        == pdf["X-Content-SHA256"]
    )


def test_certificate_for_an_empty_period_shows_the_error(browser):
    volunteer = VolunteerFactory()
    response = browser.post(
        reverse("volunteers:certificate-issue", args=[volunteer.pk]),
        {"period_start": "2021-01-01", "period_end": "2021-12-31"},
    )
    assert response.status_code == 400
    assert "没有已登记的服务时长" in response.content.decode()


def test_activity_transition_from_the_page(browser):
    activity = ActivityFactory()
    page = browser.get(activity.get_absolute_url()).content.decode()
    assert 'name="version" value="1"' in page
    browser.post(
        reverse("volunteers:activity-transition", args=[activity.pk, "cancel"]),
        {"version": "1"},
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED


def test_read_only_staff_may_look_but_not_create(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("volunteers:team-list")).status_code == 200
    assert (
        client.post(reverse("volunteers:team-create"), {"name": "x"}).status_code == 403
    )


@pytest.mark.parametrize(
    "make,url_name,method",
    [
        (lambda: TeamFactory(), "volunteers:team-detail", "get"),
        (lambda: VolunteerFactory(), "volunteers:volunteer-detail", "get"),
        (lambda: ActivityFactory(), "volunteers:activity-detail", "get"),
        (lambda: ActivityFactory(), "volunteers:activity-hours", "get"),
        (lambda: MembershipFactory(), "volunteers:membership-end", "post"),
        (lambda: TeamFactory(), "volunteers:plan-edit", "get"),
    ],
)
def test_partners_staff_get_404(client, partner_manager, make, url_name, method):
    obj = make()
    args = [obj.pk, 2021] if url_name == "volunteers:plan-edit" else [obj.pk]
    client.force_login(partner_manager)
    response = getattr(client, method)(reverse(url_name, args=args))
    assert response.status_code == 404


def test_compliance_page_lists_the_rule_breakers(browser):
    BranchFactory(name="无队党支部")
    TeamFactory(name="人少的队")
    page = browser.get(
        reverse("volunteers:compliance"), {"year": 2021}
    ).content.decode()
    assert "无队党支部" in page
    assert "人少的队" in page and "党员仅0名" in page


def test_totals_page_on_the_full_demo_data_has_a_bounded_query_count(
    demo_data, browser, django_assert_max_num_queries
):
    browser.get(reverse("volunteers:totals"))
    with django_assert_max_num_queries(20):
        response = browser.get(reverse("volunteers:totals"), {"year": 2021})
    page = response.content.decode()
    assert re.search(r'id="t-teams">215<', page)
    assert re.search(r'id="t-party">4051<', page)
    assert "¥986400.00" in page
    with django_assert_max_num_queries(15):
        response = browser.get(reverse("volunteers:compliance"), {"year": 2021})
    assert response.context["report"].teams_without_plan


def test_home_links_to_the_team_list(browser):
    page = browser.get(reverse("home")).content.decode()
    assert reverse("volunteers:team-list") in page


def test_membership_end_from_the_page_keeps_history(browser):
    membership = MembershipFactory()
    browser.post(
        reverse("volunteers:membership-end", args=[membership.pk]),
        {"left_on": datetime.date.today().isoformat(), "version": "1"},
    )
    membership.refresh_from_db()
    assert membership.left_on == datetime.date.today()


def test_hours_page_prefills_volunteer_numbers_not_id_numbers(browser):
    participation = ParticipationFactory()
    page = browser.get(
        reverse("volunteers:activity-hours", args=[participation.activity_id])
    ).content.decode()
    assert participation.volunteer.number in page
    assert participation.volunteer.id_number not in page


def test_donation_and_photo_added_on_the_activity_page(browser):
    activity = ActivityFactory()
    browser.post(
        reverse("volunteers:donation-add", args=[activity.pk]),
        {
            "donor": "济宁市慈善总会",
            "items": "饮用水",
            "quantity": "100",
            "unit": "箱",
            "value": "3000.00",
            "received_on": "2021-07-26",
        },
    )
    browser.post(
        reverse("volunteers:photo-add", args=[activity.pk]),
        {
            "image": SimpleUploadedFile("p.png", png_bytes(), "image/png"),
            "caption": "装车",
        },
    )
    assert activity.donations.get().value == 3000
    assert activity.photos.get().caption == "装车"
    page = browser.get(activity.get_absolute_url()).content.decode()
    assert "¥3000.00" in page and "装车" in page


@pytest.fixture
def superuser_client(client, local_district):
    from core.models import User

    client.force_login(User.objects.create_superuser("root", "root@example.com", "x"))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "partybranch",
        "team",
        "volunteer",
        "membership",
        "annualplan",
        "activity",
        "participation",
        "donation",
        "certificate",
    ],
)
def test_admin_lists_render(superuser_client, model):
    response = superuser_client.get(f"/admin/volunteers/{model}/")
    assert response.status_code == 200


def test_admin_creates_a_branch_through_the_action(superuser_client):
    response = superuser_client.post(
        "/admin/volunteers/partybranch/add/",
        {
            "name": "马集镇杨李村党支部",
            "sector": "rural",
            "secretary": "",
            "active": "on",
        },
    )
    assert response.status_code == 302
    from volunteers.models import PartyBranch

    assert PartyBranch.objects.filter(name="马集镇杨李村党支部").exists()


def test_team_page_shows_the_latest_plan_year_by_default(browser):
    from .factories import PlanItemFactory

    item = PlanItemFactory(title="2021年1月清理卫生死角")
    response = browser.get(item.plan.team.get_absolute_url())
    assert response.context["year"] == 2021
    assert "2021年1月清理卫生死角" in response.content.decode()


# --- issue 11: the pages send the version they were made from -------------------


def test_volunteer_page_carries_the_version_and_a_stale_save_is_refused(
    browser, client, manager
):
    volunteer = VolunteerFactory(skills="")
    url = reverse("volunteers:volunteer-update", args=[volunteer.pk])
    assert 'name="version" value="1"' in browser.get(url).content.decode()
    data = {
        "name": volunteer.name,
        "id_number": volunteer.id_number,
        "phone": volunteer.phone,
        "is_party_member": "on",
        "skills": "驾驶",
        "interests": "",
        "version": "1",
    }
    assert browser.post(url, data).status_code == 302
    # A second editor still holding version 1 is told, and nothing is overwritten.
    response = browser.post(url, data | {"skills": "急救"})
    assert response.status_code == 200
    assert "记录已被他人修改" in response.content.decode()
    volunteer.refresh_from_db()
    assert (volunteer.skills, volunteer.version) == ("驾驶", 2)


def test_hours_page_without_the_activitys_version_changes_nothing(browser):
    activity = ActivityFactory()
    volunteer = VolunteerFactory()
    data = hours_post([(volunteer.id_number, "2")])
    del data["version"]
    response = browser.post(
        reverse("volunteers:activity-hours", args=[activity.pk]), data
    )
    assert response.status_code == 400
    activity.refresh_from_db()
    assert (activity.status, activity.version) == ("planned", 1)
    assert not Participation.objects.exists()


def test_activity_page_offers_only_the_steps_the_workflow_allows(
    browser, client, viewer
):
    activity = ParticipationFactory().activity
    page = browser.get(activity.get_absolute_url()).content.decode()
    assert reverse("volunteers:activity-transition", args=[activity.pk, "hold"]) in page
    assert (
        reverse("volunteers:activity-transition", args=[activity.pk, "cancel"])
        not in page
    )
    client.force_login(viewer)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert (
        reverse("volunteers:activity-transition", args=[activity.pk, "hold"])
        not in page
    )


def test_admin_change_carries_the_version_and_refuses_a_stale_one(superuser_client):
    from volunteers.models import PartyBranch

    branch = BranchFactory(secretary="")
    url = f"/admin/volunteers/partybranch/{branch.pk}/change/"
    assert 'name="version_seen" value="1"' in superuser_client.get(url).content.decode()
    data = {"name": branch.name, "sector": "rural", "active": "on"}
    saved = superuser_client.post(
        url, data | {"secretary": "赵金平", "version_seen": 1}
    )
    assert saved.status_code == 302
    stale = superuser_client.post(url, data | {"secretary": "李四", "version_seen": 1})
    assert stale.status_code == 302
    branch = PartyBranch.objects.get(pk=branch.pk)
    assert (branch.secretary, branch.version) == ("赵金平", 2)

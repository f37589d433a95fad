"""The demo campaign reproduces the published figures, counted independently."""

import pytest
from django.core.management import call_command

from enforcement.demo import CAMPAIGN_NAME
from enforcement.models import Campaign, Case, Disposal, Patrol, RectificationNotice
from enforcement.selectors import campaign_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_data):
    return Campaign.objects.get(name=CAMPAIGN_NAME)


def test_demo_figures_equal_independent_counts(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        figures = campaign_figures(campaign_ids=[demo.pk])[demo.pk]
    patrols = list(Patrol.objects.filter(campaign=demo))
    disposals = list(Disposal.objects.filter(campaign=demo))
    notices = list(RectificationNotice.objects.filter(case__campaign=demo))
    on_time = [
        n
        for n in notices
        if any(
            r.outcome == "passed" and r.inspected_on <= n.deadline
            for r in n.reinspections.all()
        )
    ]

    def qty(kind):
        return sum(d.quantity for d in disposals if d.kind == kind)

    assert figures.officer_dispatches == sum(p.officers for p in patrols)
    assert figures.patrols == len(patrols)
    assert figures.cases == Case.objects.filter(campaign=demo).count()
    assert figures.notices_issued == len(notices)
    assert figures.rectified_on_time == len(on_time)
    assert figures.waste_piles_cleared == qty("waste_pile_cleared")
    assert figures.vehicles_removed_by_owner == qty("vehicle_removed_by_owner")
    assert figures.vehicles_towed == qty("vehicle_towed")


def test_demo_matches_the_published_story(demo):
    figures = campaign_figures(campaign_ids=[demo.pk])[demo.pk]
    assert figures.officer_dispatches > 300  # 出动执法人员300余人次
    assert 10 < figures.notices_issued < 20  # 下达整改通知书10余份
    assert figures.waste_piles_cleared > 80  # 清理堆放拆解车辆废弃物80余处
    assert figures.vehicles_cleared > 50  # 清理违规车辆50余辆
    assert 0 < figures.rectified_on_time < figures.notices_issued
    assert Case.objects.filter(campaign=demo, status="enforced").exists()
    assert Case.objects.filter(campaign=demo, steps__verb="mark_overdue").exists()
    assert sorted(demo.joint_departments.values_list("code", flat=True)) == [
        "JJ",
        "SCJG",
        "SWJ",
    ]
    first = RectificationNotice.objects.get(year=2021, serial=1)
    assert first.number == "济经执整字〔2021〕第001号"
    assert len(first.pdf_sha256) == 64


def test_seed_is_idempotent(demo):
    counts = (Patrol.objects.count(), Case.objects.count(), Disposal.objects.count())
    call_command("seed_demo")
    assert (
        Patrol.objects.count(),
        Case.objects.count(),
        Disposal.objects.count(),
    ) == counts


def test_figures_for_a_date_range_count_only_records_in_it(demo):
    import datetime

    start = datetime.date(2021, 6, 1)
    end = datetime.date(2021, 6, 10)
    figures = campaign_figures(campaign_ids=[demo.pk], date_from=start, date_to=end)[
        demo.pk
    ]
    in_range = Patrol.objects.filter(campaign=demo, patrol_date__range=(start, end))
    assert figures.patrols == in_range.count() > 0
    assert figures.officer_dispatches == sum(p.officers for p in in_range)
    assert (
        figures.notices_issued
        == RectificationNotice.objects.filter(
            case__campaign=demo, issued_on__range=(start, end)
        ).count()
    )

"""factory_boy factories of the volunteer register."""

from __future__ import annotations

import datetime
import itertools

import factory
from django.utils import timezone

from core.validators import id_check_char
from volunteers.choices import ActivityStatus, Sector, TeamKind
from volunteers.models import (
    Activity,
    AnnualPlan,
    Membership,
    Participation,
    PartyBranch,
    PlanItem,
    ServiceCategory,
    Team,
    Volunteer,
)

_serial = itertools.count(1)


def make_id_number(n: int | None = None) -> str:
    """A valid 身份证号, different for each call."""
    n = next(_serial) if n is None else n
    birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=n % 12000)
    first17 = f"370871{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + id_check_char(first17)


def category(code: str = "labour") -> ServiceCategory:
    return ServiceCategory.objects.get(code=code)


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyBranch

    name = factory.Sequence(lambda n: f"测试村{n}党支部")
    sector = Sector.RURAL


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    name = factory.Sequence(lambda n: f"志愿者{n}")
    id_number = factory.LazyFunction(make_id_number)
    phone = "13812345678"
    is_party_member = True


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"测试党员志愿服务队{n}")
    kind = TeamKind.PARTY
    branch = factory.SubFactory(BranchFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    joined_on = datetime.date(2021, 1, 4)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualPlan

    team = factory.SubFactory(TeamFactory)
    year = 2021


class PlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanItem

    plan = factory.SubFactory(PlanFactory)
    month = 1
    category = factory.LazyFunction(category)
    title = "清理卫生死角"


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    team = factory.SubFactory(TeamFactory)
    category = factory.LazyFunction(category)
    title = "义务劳动"
    starts_at = factory.LazyFunction(lambda: at(datetime.date(2021, 3, 5), 9))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=3))
    status = ActivityStatus.PLANNED


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    activity = factory.SubFactory(ActivityFactory)
    volunteer = factory.SubFactory(VolunteerFactory)
    hours = 2


def png_bytes(size=(60, 40), color=(200, 20, 20)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()

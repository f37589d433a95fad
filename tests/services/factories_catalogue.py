"""Factories of the catalogue: matters (published, of the local 审批局 by default),
materials, agreements with a partner, list entries, bundles.

Other parts of the services tests (applications) build on ``MatterFactory``.
"""

from __future__ import annotations

import datetime

import factory

from core.actions import reference_data_load
from core.choices import DistrictKind
from core.models import Department, District
from services.choices import (
    AgreementMode,
    MaterialForm,
    MatterKind,
    MatterStatus,
    OnlineDepth,
    TongbanScope,
)
from services.models import (
    Agreement,
    AgreementMatter,
    Bundle,
    BundleMatter,
    Matter,
    MatterMaterial,
)


def local_department(code: str = "XZSP") -> Department:
    """A department of the local district (the reference data is loaded if missing)."""
    found = Department.objects.filter(
        district__kind=DistrictKind.LOCAL, code=code
    ).first()
    if found is None:
        reference_data_load()
        found = Department.objects.get(district__kind=DistrictKind.LOCAL, code=code)
    return found


def partner(code: str = "370790", name: str = "潍坊滨海经济技术开发区") -> District:
    found, _ = District.objects.get_or_create(
        code=code, defaults={"name": name, "kind": DistrictKind.PARTNER}
    )
    return found


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Matter
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"37087100SP-XK-{n + 1:04d}")
    code_form = "county"
    name = factory.Sequence(lambda n: f"食品经营许可{n}")
    kind = MatterKind.LICENSING
    department = factory.LazyFunction(local_department)
    legal_basis = "《中华人民共和国食品安全法》第三十五条"
    conditions = "具有与经营的食品品种、数量相适应的经营场所。"
    statutory_days = 20
    promised_days = 5
    visits = 0
    online_depth = OnlineDepth.FULL
    mail_supported = True
    result_name = "食品经营许可证"
    tongban_scope = TongbanScope.NONE
    location = "济宁经开区为民服务中心"
    status = MatterStatus.PUBLISHED

    @factory.post_generation
    def materials(self, create, extracted, **kwargs):
        if not create:
            return
        names = extracted if extracted is not None else ["申请书", "营业执照"]
        for position, name in enumerate(names, start=1):
            MatterMaterial.objects.create(
                matter=self,
                position=position,
                name=name,
                form=MaterialForm.ORIGINAL,
            )


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    code = factory.Sequence(lambda n: f"TB-{n + 1:03d}")
    title = factory.Sequence(lambda n: f"全省通办合作协议{n}")
    partner = factory.LazyFunction(partner)
    modes = factory.LazyFunction(lambda: [AgreementMode.ONLINE, AgreementMode.PROXY])
    signed_on = datetime.date(2021, 6, 25)
    effective_on = datetime.date(2021, 7, 1)


class AgreementMatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementMatter

    agreement = factory.SubFactory(AgreementFactory)
    matter = factory.SubFactory(MatterFactory)
    batch = "首批"
    effective_from = datetime.date(2021, 7, 1)


class BundleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bundle
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"YJS-{n + 1:03d}")
    name = factory.Sequence(lambda n: f"一件事{n}")
    window = "一件事专窗"

    @factory.post_generation
    def matters(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for position, matter in enumerate(extracted, start=1):
            BundleMatter.objects.create(bundle=self, matter=matter, position=position)

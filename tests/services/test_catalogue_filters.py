import pytest

from core.models import Department
from services.choices import MatterKind, MatterStatus, TongbanScope
from services.filters.catalogue import AgreementMatterFilterSet, MatterFilterSet
from services.models import AgreementMatter, Matter
from tests.services.factories_catalogue import (
    AgreementMatterFactory,
    MatterFactory,
    local_department,
)

pytestmark = pytest.mark.django_db


def filtered(**params):
    filterset = MatterFilterSet(params, queryset=Matter.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("name", flat=True))


@pytest.fixture
def catalogue():
    MatterFactory(
        name="残疾人证办理",
        code="37087100CL-QR-0001",
        kind=MatterKind.CONFIRMATION,
        department=local_department("CJR"),
        tongban_scope=TongbanScope.PROVINCE,
    )
    MatterFactory(
        name="困难残疾人生活补贴",
        kind=MatterKind.PAYMENT,
        department=local_department("MZ"),
    )
    MatterFactory(name="食品经营许可", status=MatterStatus.DRAFT)


def test_text_search_matches_name_or_code_prefix(catalogue):
    assert filtered(q="残疾人") == {"残疾人证办理", "困难残疾人生活补贴"}
    assert filtered(q="37087100cl") == {"残疾人证办理"}


def test_kind_department_status_and_tongban_filters(catalogue):
    assert filtered(kind="5") == {"困难残疾人生活补贴"}
    cjr = Department.objects.get(code="CJR", district__kind="local")
    assert filtered(department=str(cjr.pk)) == {"残疾人证办理"}
    assert filtered(status="draft") == {"食品经营许可"}
    assert filtered(tongban="true") == {"残疾人证办理"}
    assert filtered(tongban="false") == {"困难残疾人生活补贴", "食品经营许可"}


def test_unknown_kind_is_a_form_error(catalogue):
    filterset = MatterFilterSet({"kind": "99"}, queryset=Matter.objects.all())
    assert not filterset.is_valid()
    assert "kind" in filterset.errors


def test_list_entries_filter_by_batch_and_kind():
    AgreementMatterFactory(batch="首批", matter=MatterFactory(name="甲"))
    AgreementMatterFactory(
        batch="第二批", matter=MatterFactory(name="乙", kind=MatterKind.PAYMENT)
    )
    qs = AgreementMatter.objects.all()
    assert {
        e.matter.name
        for e in AgreementMatterFilterSet({"batch": "第二批"}, queryset=qs).qs
    } == {"乙"}
    assert {
        e.matter.name for e in AgreementMatterFilterSet({"kind": "1"}, queryset=qs).qs
    } == {"甲"}

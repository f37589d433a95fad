"""Forms of the staff pages: input shape only; rules live in actions."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from core.models import Department
from enforcement.choices import (
    DisposalKind,
    PatrolMethod,
    ReinspectionOutcome,
    ServiceMethod,
    SubjectKind,
    ViolationType,
)

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _today():
    return timezone.localdate()


class PatrolForm(forms.Form):
    patrol_date = forms.DateField(label="巡查日期", initial=_today, widget=DATE)
    place = forms.CharField(label="巡查地点", max_length=200)
    officers = forms.IntegerField(label="出动执法人员（人次）", min_value=1)
    vehicles = forms.IntegerField(label="出动车辆（台次）", min_value=0, initial=0)
    methods = forms.MultipleChoiceField(
        label="方式",
        choices=PatrolMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joint_departments = forms.ModelMultipleChoiceField(
        label="联合执法部门",
        queryset=Department.objects.filter(district__kind="local"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(label="巡查发现", widget=forms.Textarea, required=False)


class CaseForm(forms.Form):
    subject_kind = forms.ChoiceField(label="当事人类别", choices=SubjectKind.choices)
    subject_name = forms.CharField(label="当事人名称/姓名", max_length=200)
    credit_code = forms.CharField(
        label="统一社会信用代码", max_length=18, required=False
    )
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    representative = forms.CharField(
        label="经营者/法定代表人", max_length=50, required=False
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    violation_type = forms.ChoiceField(label="违法类型", choices=ViolationType.choices)
    facts = forms.CharField(label="违法事实", widget=forms.Textarea)
    address = forms.CharField(label="地点", max_length=300)
    latitude = forms.DecimalField(
        label="纬度", max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label="经度", max_digits=9, decimal_places=6, required=False
    )
    registered_on = forms.DateField(label="立案日期", initial=_today, widget=DATE)


class NoticeIssueForm(forms.Form):
    issued_on = forms.DateField(label="下达日期", initial=_today, widget=DATE)
    deadline = forms.DateField(label="整改期限", widget=DATE)
    requirements = forms.CharField(
        label="整改要求",
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="立即停止占道经营，将停放于人行道、道路两侧的车辆移入经营场所内。",
    )
    legal_basis = forms.CharField(label="依据", required=False)
    served_how = forms.ChoiceField(label="送达方式", choices=ServiceMethod.choices)
    served_to = forms.CharField(label="受送达人", max_length=100)


class ReinspectForm(forms.Form):
    inspected_on = forms.DateField(label="复查日期", initial=_today, widget=DATE)
    outcome = forms.ChoiceField(label="复查结果", choices=ReinspectionOutcome.choices)
    note = forms.CharField(label="复查情况", required=False)


class DisposeForm(forms.Form):
    kind = forms.ChoiceField(label="处置类别", choices=DisposalKind.choices)
    quantity = forms.IntegerField(label="数量", min_value=1, initial=1)
    disposed_on = forms.DateField(label="处置日期", initial=_today, widget=DATE)
    plates = forms.CharField(label="车牌号", required=False)
    note = forms.CharField(label="说明", required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label="结案说明", required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label="撤销理由")


class EvidencePhotoForm(forms.Form):
    image = forms.ImageField(label="证据照片")
    caption = forms.CharField(label="说明", max_length=200, required=False)

    def clean_image(self):
        from django.conf import settings

        image = self.cleaned_data["image"]
        if image.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError("照片过大")
        return image


class FiguresRangeForm(forms.Form):
    date_after = forms.DateField(label="自", required=False, widget=DATE)
    date_before = forms.DateField(label="至", required=False, widget=DATE)


VERB_FORMS = {
    "issue_notice": NoticeIssueForm,
    "reinspect": ReinspectForm,
    "dispose": DisposeForm,
    "close": CloseForm,
    "cancel": CancelForm,
}

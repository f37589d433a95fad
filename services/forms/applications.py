"""Forms of the application pages: input shape only; rules live in the actions."""

from django import forms

from core.models import District
from services.choices import (
    ApplicantKind,
    ApplicationChannel,
    DeliveryMethod,
    EvaluationLevel,
    FollowUpOutcome,
)
from services.models import Bundle, Matter


class IntakeForm(forms.Form):
    matter = forms.ModelChoiceField(
        queryset=Matter.objects.filter(status="published"), required=False, label="事项"
    )
    bundle = forms.ModelChoiceField(
        queryset=Bundle.objects.filter(active=True), required=False, label="一件事"
    )
    applicant_kind = forms.ChoiceField(
        choices=ApplicantKind.choices, label="申请人类型"
    )
    applicant_name = forms.CharField(max_length=200, label="申请人")
    applicant_id_number = forms.CharField(
        max_length=18, label="身份证号/统一社会信用代码"
    )
    applicant_phone = forms.CharField(max_length=20, label="联系电话")
    applicant_address = forms.CharField(
        max_length=300, required=False, label="联系地址"
    )
    channel = forms.ChoiceField(choices=ApplicationChannel.choices, label="申请渠道")
    home_district = forms.ModelChoiceField(
        queryset=District.objects.filter(active=True),
        required=False,
        label="属地（默认本区）",
    )
    delivery_method = forms.ChoiceField(
        choices=DeliveryMethod.choices, label="送达方式"
    )
    delivery_address = forms.CharField(max_length=300, required=False, label="邮寄地址")
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="备注"
    )


class MaterialForm(forms.Form):
    requirement = forms.TypedChoiceField(coerce=int, required=False, label="对应材料")
    file = forms.FileField(label="文件（PDF/JPEG/PNG）")

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [("", "其他材料")] + [
            (r.pk, f"{r.matter.name}：{r.name}" if hasattr(r, "matter") else r.name)
            for r in requirements
        ]


class EvaluationForm(forms.Form):
    level = forms.TypedChoiceField(
        coerce=int, choices=EvaluationLevel.choices, label="评价"
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="评价内容"
    )


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(choices=FollowUpOutcome.choices, label="处理方式")
    answer = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="回复内容")


class ProgressForm(forms.Form):
    number = forms.CharField(max_length=40, label="办件编号")
    phone_last4 = forms.RegexField(
        regex=r"^\d{4}$",
        label="手机号后四位",
        error_messages={"invalid": "请输入4位数字"},
    )

"""Forms of the volunteer register's pages: input shape only, rules live in actions."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from volunteers.choices import MemberRole
from volunteers.models import (
    Activity,
    Donation,
    Organisation,
    PlanItem,
    ServiceCategory,
    Team,
    Volunteer,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)
IMAGE_ACCEPT = {"accept": "image/png,image/jpeg,image/webp"}


def find_volunteer(text: str) -> Volunteer | None:
    """A volunteer by 身份证号 or 志愿者编号 (JK0000123)."""
    text = (text or "").strip().upper()
    if not text:
        return None
    if text.startswith("JK") and text[2:].isdigit():
        return Volunteer.objects.filter(pk=int(text[2:])).first()
    return Volunteer.objects.filter(id_number=text).first()


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = [
            "name",
            "kind",
            "branch",
            "categories",
            "founded_on",
            "flag",
            "logo",
            "description",
            "active",
        ]
        widgets = {
            "founded_on": DATE,
            "categories": forms.CheckboxSelectMultiple,
            "flag": forms.ClearableFileInput(attrs=IMAGE_ACCEPT),
            "logo": forms.ClearableFileInput(attrs=IMAGE_ACCEPT),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class VolunteerForm(forms.ModelForm):
    class Meta:
        model = Volunteer
        fields = [
            "name",
            "id_number",
            "phone",
            "is_party_member",
            "branch",
            "skills",
            "interests",
        ]


class MembershipForm(forms.Form):
    volunteer = forms.CharField(label="志愿者（身份证号或志愿者编号）", max_length=18)
    role = forms.ChoiceField(label="职务", choices=MemberRole.choices)
    joined_on = forms.DateField(
        label="加入日期", widget=DATE, initial=timezone.localdate
    )

    def clean_volunteer(self):
        volunteer = find_volunteer(self.cleaned_data["volunteer"])
        if volunteer is None:
            raise forms.ValidationError("未找到该志愿者，请先登记志愿者")
        return volunteer


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="离队日期", widget=DATE, initial=timezone.localdate)


class PlanForm(forms.Form):
    made_on = forms.DateField(label="制定日期", widget=DATE, required=False)
    note = forms.CharField(
        label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    month = forms.TypedChoiceField(
        label="月份",
        coerce=int,
        choices=[("", "—")] + [(m, f"{m}月") for m in range(1, 13)],
    )
    category = forms.ModelChoiceField(
        label="服务类别", queryset=ServiceCategory.objects.all()
    )
    title = forms.CharField(label="活动内容", max_length=200)
    expected_participants = forms.IntegerField(
        label="预计人数", min_value=0, required=False, initial=0
    )


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=0, can_delete=True)


class ActivityForm(forms.ModelForm):
    co_organisations = forms.ModelMultipleChoiceField(
        label="协办组织",
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    co_teams = forms.ModelMultipleChoiceField(
        label="协办队伍", queryset=Team.objects.filter(active=True), required=False
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "category",
            "plan_item",
            "starts_at",
            "ends_at",
            "place",
            "vehicles",
            "content",
            "co_teams",
            "co_organisations",
        ]
        widgets = {
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "content": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.fields["plan_item"].queryset = PlanItem.objects.filter(
            plan__team=team
        ).select_related("plan")
        self.fields["plan_item"].label_from_instance = lambda item: (
            f"{item.plan.year}年{item.month}月 {item.title}"
        )
        self.fields["plan_item"].empty_label = "计划外活动"
        self.fields["co_teams"].queryset = Team.objects.filter(active=True).exclude(
            pk=team.pk
        )
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class HoursRowForm(forms.Form):
    volunteer = forms.CharField(
        label="身份证号或志愿者编号", max_length=18, required=False
    )
    hours = forms.DecimalField(
        label="时长（小时）", max_digits=5, decimal_places=1, required=False
    )
    note = forms.CharField(label="备注", max_length=200, required=False)
    remove = forms.BooleanField(label="删除", required=False)

    def clean(self):
        data = super().clean()
        text = (data.get("volunteer") or "").strip()
        data["volunteer_obj"] = None
        if not text:
            if data.get("hours") is not None:
                self.add_error("volunteer", "请填写志愿者")
            return data
        volunteer = find_volunteer(text)
        if volunteer is None:
            self.add_error("volunteer", "未找到该志愿者")
        elif data.get("hours") is None and not data.get("remove"):
            self.add_error("hours", "请填写服务时长")
        data["volunteer_obj"] = volunteer
        return data


HOURS_ROWS = 30
HoursFormSet = forms.formset_factory(HoursRowForm, extra=0, max_num=500)


class DonationForm(forms.ModelForm):
    class Meta:
        model = Donation
        fields = ["donor", "items", "quantity", "unit", "value", "received_on"]
        widgets = {"received_on": DATE}


class PhotoForm(forms.Form):
    image = forms.ImageField(
        label="照片", widget=forms.ClearableFileInput(attrs=IMAGE_ACCEPT)
    )
    caption = forms.CharField(label="说明", max_length=200, required=False)


class CertificateForm(forms.Form):
    period_start = forms.DateField(label="服务期间起", widget=DATE)
    period_end = forms.DateField(label="服务期间止", widget=DATE)
    issuer = forms.CharField(
        label="出具单位", max_length=120, required=False, help_text="留空为本部门"
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

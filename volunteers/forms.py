"""Forms of the volunteer register's pages: input shape only, rules live in actions."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.sensitive import SensitiveFormMixin
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


class VolunteerForm(SensitiveFormMixin, forms.ModelForm):
    """ID and phone shown masked to users without the permission (kept if unchanged)."""

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
    volunteer = forms.CharField(
        label=_("Volunteer (ID number or volunteer number)"), max_length=18
    )
    role = forms.ChoiceField(
        label=pgettext_lazy("team membership", "Position"), choices=MemberRole.choices
    )
    joined_on = forms.DateField(
        label=_("Date joined"), widget=DATE, initial=timezone.localdate
    )

    def clean_volunteer(self):
        volunteer = find_volunteer(self.cleaned_data["volunteer"])
        if volunteer is None:
            raise forms.ValidationError(
                _("Volunteer not found; please register the volunteer first.")
            )
        return volunteer


class LeaveForm(forms.Form):
    left_on = forms.DateField(
        label=_("Date left"), widget=DATE, initial=timezone.localdate
    )


class PlanForm(forms.Form):
    made_on = forms.DateField(label=_("Date made"), widget=DATE, required=False)
    note = forms.CharField(
        label=_("Plan notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def month_choices() -> list[tuple]:
    """1月 … 12月, in the language of the page being drawn."""
    return [("", "—")] + [
        (m, gettext("Month %(month)s") % {"month": m}) for m in range(1, 13)
    ]


class PlanItemForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        choices=month_choices,
    )
    category = forms.ModelChoiceField(
        label=_("Service category"), queryset=ServiceCategory.objects.all()
    )
    title = forms.CharField(label=_("Activity content"), max_length=200)
    expected_participants = forms.IntegerField(
        label=_("Expected headcount"), min_value=0, required=False, initial=0
    )


PlanItemFormSet = forms.formset_factory(PlanItemForm, extra=0, can_delete=True)


class ActivityForm(forms.ModelForm):
    co_organisations = forms.ModelMultipleChoiceField(
        label=_("Co-organising organisations"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    co_teams = forms.ModelMultipleChoiceField(
        label=_("Co-organising teams"),
        queryset=Team.objects.filter(active=True),
        required=False,
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
            gettext("Month %(month)s of %(year)s: %(title)s")
            % {"year": item.plan.year, "month": item.month, "title": item.title}
        )
        self.fields["plan_item"].empty_label = _("Unplanned activity")
        self.fields["co_teams"].queryset = Team.objects.filter(active=True).exclude(
            pk=team.pk
        )
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class HoursRowForm(forms.Form):
    volunteer = forms.CharField(
        label=_("ID number or volunteer number"), max_length=18, required=False
    )
    hours = forms.DecimalField(
        label=_("Duration (hours)"), max_digits=5, decimal_places=1, required=False
    )
    note = forms.CharField(
        label=pgettext_lazy("service hours", "Note"), max_length=200, required=False
    )
    remove = forms.BooleanField(label=_("Delete"), required=False)

    def clean(self):
        data = super().clean()
        text = (data.get("volunteer") or "").strip()
        data["volunteer_obj"] = None
        if not text:
            if data.get("hours") is not None:
                self.add_error("volunteer", _("Please enter the volunteer."))
            return data
        volunteer = find_volunteer(text)
        if volunteer is None:
            self.add_error("volunteer", _("Volunteer not found."))
        elif data.get("hours") is None and not data.get("remove"):
            self.add_error("hours", _("Please enter the service hours."))
        data["volunteer_obj"] = volunteer
        return data


HOURS_ROWS = 30
# At most BULK_MAX_ROWS rows: more are neither built nor checked (each row looks
# a volunteer up) and the sheet is refused with a message.
HoursFormSet = forms.formset_factory(
    HoursRowForm,
    extra=0,
    max_num=settings.BULK_MAX_ROWS,
    absolute_max=settings.BULK_MAX_ROWS,
    validate_max=True,
)


class DonationForm(forms.ModelForm):
    class Meta:
        model = Donation
        fields = ["donor", "items", "quantity", "unit", "value", "received_on"]
        widgets = {"received_on": DATE}


class PhotoForm(forms.Form):
    image = forms.ImageField(
        label=_("Photo"), widget=forms.ClearableFileInput(attrs=IMAGE_ACCEPT)
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class CertificateForm(forms.Form):
    period_start = forms.DateField(label=_("Service period from"), widget=DATE)
    period_end = forms.DateField(label=_("Service period to"), widget=DATE)
    issuer = forms.CharField(
        label=_("Issuing body"),
        max_length=120,
        required=False,
        help_text=_("Leave blank for your own department"),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

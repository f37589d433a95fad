"""Forms of the staff pages: input shape only; rules live in actions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.i18n import district_text
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
    patrol_date = forms.DateField(label=_("Patrol date"), initial=_today, widget=DATE)
    place = forms.CharField(label=_("Patrol place"), max_length=200)
    officers = forms.IntegerField(
        label=_("Officers dispatched (person-times)"), min_value=1
    )
    vehicles = forms.IntegerField(
        label=_("Vehicles dispatched (vehicle-times)"), min_value=0, initial=0
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods"),
        choices=PatrolMethod.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    joint_departments = forms.ModelMultipleChoiceField(
        label=_("Joint enforcement departments"),
        queryset=Department.objects.filter(district__kind="local"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea, required=False
    )


class CaseForm(forms.Form):
    subject_kind = forms.ChoiceField(
        label=_("Subject kind"), choices=SubjectKind.choices
    )
    subject_name = forms.CharField(
        label=_("Subject name (business or person)"), max_length=200
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False
    )
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    representative = forms.CharField(
        label=_("Operator or legal representative"), max_length=50, required=False
    )
    phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    violation_type = forms.ChoiceField(
        label=_("Violation type"), choices=ViolationType.choices
    )
    facts = forms.CharField(label=_("Facts of the violation"), widget=forms.Textarea)
    address = forms.CharField(label=_("Place"), max_length=300)
    latitude = forms.DecimalField(
        label=_("Latitude"), max_digits=9, decimal_places=6, required=False
    )
    longitude = forms.DecimalField(
        label=_("Longitude"), max_digits=9, decimal_places=6, required=False
    )
    registered_on = forms.DateField(
        label=_("Registered on"), initial=_today, widget=DATE
    )


def _suggested_requirements() -> str:
    """The usual requirements, in the district's language: they are printed on
    the notice, which is always in that language."""
    return district_text(
        _(
            "Stop occupying the road for business at once and move the vehicles "
            "parked on the pavement and along both sides of the road into the "
            "business premises."
        )
    )


class NoticeIssueForm(forms.Form):
    issued_on = forms.DateField(label=_("Issued on"), initial=_today, widget=DATE)
    deadline = forms.DateField(label=_("Rectification deadline"), widget=DATE)
    requirements = forms.CharField(
        label=_("Rectification requirements"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=_suggested_requirements,
    )
    legal_basis = forms.CharField(
        label=pgettext_lazy("rectification notice", "Legal basis"), required=False
    )
    served_how = forms.ChoiceField(
        label=_("Delivery method"), choices=ServiceMethod.choices
    )
    served_to = forms.CharField(label=_("Person served"), max_length=100)


class ReinspectForm(forms.Form):
    inspected_on = forms.DateField(
        label=_("Re-inspection date"), initial=_today, widget=DATE
    )
    outcome = forms.ChoiceField(
        label=_("Re-inspection outcome"), choices=ReinspectionOutcome.choices
    )
    note = forms.CharField(label=_("Re-inspection findings"), required=False)


class DisposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Disposal kind"), choices=DisposalKind.choices)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    disposed_on = forms.DateField(label=_("Disposal date"), initial=_today, widget=DATE)
    plates = forms.CharField(label=_("Number plates"), required=False)
    note = forms.CharField(label=_("Note"), required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancellation"))


class EvidencePhotoForm(forms.Form):
    image = forms.ImageField(label=_("Evidence photo"))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)

    def clean_image(self):
        from django.conf import settings

        image = self.cleaned_data["image"]
        if image.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The photo is too large."))
        return image


class CampaignStepForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class FiguresRangeForm(forms.Form):
    date_after = forms.DateField(label=_("From date"), required=False, widget=DATE)
    date_before = forms.DateField(label=_("To date"), required=False, widget=DATE)


VERB_FORMS = {
    "issue_notice": NoticeIssueForm,
    "reinspect": ReinspectForm,
    "dispose": DisposeForm,
    "close": CloseForm,
    "cancel": CancelForm,
}

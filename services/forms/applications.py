"""Forms of the application pages: input shape only; rules live in the actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

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
        queryset=Matter.objects.filter(status="published"),
        required=False,
        label=_("Matter"),
    )
    bundle = forms.ModelChoiceField(
        queryset=Bundle.objects.filter(active=True),
        required=False,
        label=_("One-thing bundle"),
    )
    applicant_kind = forms.ChoiceField(
        choices=ApplicantKind.choices, label=_("Applicant type")
    )
    applicant_name = forms.CharField(max_length=200, label=_("Applicant"))
    applicant_id_number = forms.CharField(
        max_length=18, label=_("ID number or unified social credit code")
    )
    applicant_phone = forms.CharField(max_length=20, label=_("Contact phone"))
    applicant_address = forms.CharField(
        max_length=300, required=False, label=_("Contact address")
    )
    channel = forms.ChoiceField(
        choices=ApplicationChannel.choices, label=_("Application channel")
    )
    home_district = forms.ModelChoiceField(
        queryset=District.objects.filter(active=True),
        required=False,
        label=_("Home district (our district if empty)"),
    )
    delivery_method = forms.ChoiceField(
        choices=DeliveryMethod.choices, label=_("Delivery method")
    )
    delivery_address = forms.CharField(
        max_length=300, required=False, label=_("Mailing address")
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=_("Remarks")
    )


class MaterialForm(forms.Form):
    requirement = forms.TypedChoiceField(
        coerce=int, required=False, label=_("Corresponding material")
    )
    file = forms.FileField(label=_("File (PDF/JPEG/PNG)"))

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [("", _("Other material"))] + [
            (
                r.pk,
                _("%(matter)s: %(material)s")
                % {"matter": r.matter.name, "material": r.name}
                if hasattr(r, "matter")
                else r.name,
            )
            for r in requirements
        ]


class EvaluationForm(forms.Form):
    level = forms.TypedChoiceField(
        coerce=int, choices=EvaluationLevel.choices, label=_("Rating")
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label=_("Evaluation comment"),
    )


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(choices=FollowUpOutcome.choices, label=_("Outcome"))
    answer = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), label=_("Answer")
    )


class ProgressForm(forms.Form):
    number = forms.CharField(max_length=40, label=_("Application number"))
    phone_last4 = forms.RegexField(
        regex=r"^\d{4}$",
        label=_("Last four digits of the mobile number"),
        error_messages={"invalid": _("Enter 4 digits")},
    )

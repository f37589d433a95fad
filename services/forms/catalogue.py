"""Forms of the catalogue pages (input shape only; rules live in the actions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from services.choices import AgreementMode


class AsOfForm(forms.Form):
    """Which day's 通办清单 to show."""

    as_of = forms.DateField(
        label=_("List date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AgreementAdminForm(forms.ModelForm):
    """The admin form: modes as checkboxes instead of a comma-separated text."""

    modes = forms.MultipleChoiceField(
        label=_("Cross-region modes"),
        choices=AgreementMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )

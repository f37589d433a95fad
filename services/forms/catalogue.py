"""Forms of the catalogue pages (input shape only; rules live in the actions)."""

from django import forms

from services.choices import AgreementMode


class AsOfForm(forms.Form):
    """Which day's 通办清单 to show."""

    as_of = forms.DateField(
        label="清单日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AgreementAdminForm(forms.ModelForm):
    """The admin form: modes as checkboxes instead of a comma-separated text."""

    modes = forms.MultipleChoiceField(
        label="通办模式",
        choices=AgreementMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )

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


class VersionedAdminForm(forms.ModelForm):
    """An admin change form that carries the version it was shown with, so the
    action compares it on the locked row (an edit over a newer one is refused)."""

    expected_version = forms.IntegerField(
        label=_("Version shown"), widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version


class AgreementAdminForm(VersionedAdminForm):
    """The admin form: modes as checkboxes instead of a comma-separated text."""

    modes = forms.MultipleChoiceField(
        label=_("Cross-region modes"),
        choices=AgreementMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )

"""Admin of the volunteer register: reading and small corrections through actions.

Every model's admin is a ``ScopedAdmin``: it lists what the register's scopes
(``volunteers.scopes``) let the user read, and changes only what they may write.
"""

from django import forms
from django.contrib import admin

from core.admin import ScopedAdmin
from core.sensitive import SensitiveAdminMixin
from volunteers import actions
from volunteers.models import (
    Activity,
    AnnualPlan,
    Certificate,
    Donation,
    Membership,
    Organisation,
    Participation,
    PartyBranch,
    ServiceCategory,
    Team,
    Volunteer,
)


class VersionedAdminForm(forms.ModelForm):
    """Carries the version the change form was opened at, as the pages do."""

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version_seen"].initial = self.instance.version


class ActionSavedAdmin(ScopedAdmin):
    """Saves go through the register's actions (the version checked on the locked
    row); deleting is left to them too."""

    form = VersionedAdminForm
    create_action = None
    update_action = None
    instance_name = ""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in (form.changed_data if change else form.cleaned_data)
            if name in form.cleaned_data
            and name not in self.m2m_names()
            and name != "version_seen"
        }
        if change:
            type(self).update_action(
                actor=request.user,
                expected_version=form.cleaned_data.get("version_seen"),
                **{self.instance_name: obj},
                **fields,
            )
        else:
            created = type(self).create_action(actor=request.user, **fields)
            obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        pass

    def m2m_names(self):
        return {f.name for f in self.model._meta.many_to_many}


@admin.register(PartyBranch)
class PartyBranchAdmin(ActionSavedAdmin):
    list_display = ["name", "sector", "secretary", "active"]
    list_filter = ["sector", "active"]
    search_fields = ["name"]
    fields = ["name", "sector", "secretary", "active", "version_seen"]
    create_action = staticmethod(actions.branch_create)
    update_action = staticmethod(actions.branch_update)
    instance_name = "branch"


@admin.register(Volunteer)
class VolunteerAdmin(SensitiveAdminMixin, ActionSavedAdmin):
    list_display = ["name", "is_party_member", "branch"]
    list_filter = ["is_party_member"]
    search_fields = ["name", "=id_number"]
    list_select_related = ["branch"]
    fields = [*actions.VOLUNTEER_FIELDS, "version_seen"]
    create_action = staticmethod(actions.volunteer_create)
    update_action = staticmethod(actions.volunteer_update)
    instance_name = "volunteer"


class ReadOnlyAdmin(ScopedAdmin):
    """Records written by the staff pages and API; the admin only reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "contact"]


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "branch", "leader", "founded_on", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    list_select_related = ["branch", "leader"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["team", "volunteer", "role", "joined_on", "left_on"]
    list_select_related = ["team", "volunteer"]
    raw_id_fields = ["team", "volunteer"]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ReadOnlyAdmin):
    list_display = ["team", "year", "made_on"]
    list_filter = ["year"]
    list_select_related = ["team"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "category", "starts_at", "status", "vehicles"]
    list_filter = ["status", "category"]
    search_fields = ["title"]
    list_select_related = ["team", "category"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["activity", "volunteer", "hours"]
    list_select_related = ["activity", "volunteer"]


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["donor", "items", "value", "received_on", "team"]
    list_select_related = ["team"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["serial", "volunteer", "hours", "issued_on", "sha256"]
    list_select_related = ["volunteer"]

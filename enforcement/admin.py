"""Admin: each list and record within the user's scope (``core.admin.ScopedAdmin``
over ``enforcement.scopes``); writes go through actions (save_model calls them)
under the version the form was opened with; statuses move only by the workflow."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin
from core.errors import DomainError
from core.models import Department
from enforcement import actions
from enforcement.models import (
    Campaign,
    Case,
    CaseStep,
    Disposal,
    Patrol,
    RectificationNotice,
    Reinspection,
    Subject,
)


class ReadOnlyAdmin(ScopedAdmin):
    """Records that only change through the workflow: viewable, not editable here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CampaignAdminForm(forms.ModelForm):
    joint = forms.ModelMultipleChoiceField(
        label=_("Joint departments"),
        queryset=Department.objects.filter(district__kind="local"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version the form was opened with: a save over a newer one is refused.
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Campaign
        fields = [
            "name",
            "lead_department",
            "area",
            "description",
            "start_date",
            "end_date",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["joint"].initial = list(self.instance.joint_departments.all())
            self.fields["seen_version"].initial = self.instance.version


@admin.register(Campaign)
class CampaignAdmin(ScopedAdmin):
    form = CampaignAdminForm
    list_display = ["name", "lead_department", "start_date", "end_date", "status"]
    list_filter = ["status"]
    search_fields = ["name", "area"]
    readonly_fields = ["status", "version"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        joint = data.pop("joint", [])
        seen_version = data.pop("seen_version", None)
        try:
            if change:
                actions.campaign_update(
                    actor=request.user,
                    campaign=obj,
                    expected_version=seen_version,
                    joint_departments=joint,
                    **data,
                )
            else:
                created = actions.campaign_create(
                    actor=request.user, joint_departments=joint, **data
                )
                # the admin logs and redirects with the object it built
                obj.pk, obj.created_at = created.pk, created.created_at
        except DomainError as error:
            messages.error(request, error.message)

    def save_related(self, request, form, formsets, change):
        """Joint departments are set by the action."""


@admin.register(Patrol)
class PatrolAdmin(ReadOnlyAdmin):
    list_display = ["patrol_date", "place", "campaign", "officers", "vehicles"]
    list_filter = [("campaign", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["campaign"]
    date_hierarchy = "patrol_date"


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "department"]
    list_filter = ["kind"]
    search_fields = ["name"]
    exclude = ["id_number", "credit_code", "phone"]


class CaseStepInline(admin.TabularInline):
    model = CaseStep
    extra = 0
    can_delete = False
    readonly_fields = ["verb", "from_status", "to_status", "actor", "at", "note"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "subject", "violation_type", "status", "registered_on"]
    list_filter = [
        "status",
        "violation_type",
        ("campaign", admin.RelatedOnlyFieldListFilter),
        "decision_flag",
    ]
    list_select_related = ["subject"]
    search_fields = ["number", "subject__name"]
    inlines = [CaseStepInline]


@admin.register(RectificationNotice)
class RectificationNoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "case", "issued_on", "deadline", "served_how"]
    list_select_related = ["case"]
    search_fields = ["number"]


@admin.register(Reinspection)
class ReinspectionAdmin(ReadOnlyAdmin):
    list_display = ["notice", "inspected_on", "outcome"]
    list_select_related = ["notice"]


@admin.register(Disposal)
class DisposalAdmin(ReadOnlyAdmin):
    list_display = ["disposed_on", "kind", "quantity", "campaign", "case", "patrol"]
    list_filter = ["kind", ("campaign", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["campaign", "case", "patrol"]

"""Admin of applications and the outbox: read-only, within the user's scope
(``services.scopes``: the same rows as the pages and the API); changes go
through the actions."""

from django.contrib import admin

from core.admin import ScopedAdmin
from services.models import (
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Evaluation,
    EvaluationFollowUp,
    OutboxMessage,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = [
        "sequence",
        "verb",
        "from_status",
        "to_status",
        "actor_name",
        "note",
        "created_at",
    ]
    readonly_fields = fields


class MaterialInline(ReadOnlyInline):
    model = ApplicationMaterial
    fields = ["name", "content_type", "size", "sha256", "status"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ScopedAdmin):
    """Applications are written only by the workflow actions (staff pages and API)."""

    list_display = [
        "number",
        "applicant_name",
        "status",
        "due_date",
        "is_overdue",
        "accepting_district",
    ]
    list_filter = ["status", "channel", "is_overdue", "accepting_district"]
    search_fields = ["number", "applicant_name"]
    list_select_related = ["accepting_district"]
    show_full_result_count = False
    inlines = [EventInline, MaterialInline]
    exclude = ["applicant_id_number", "applicant_phone"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdmin):
    list_display = ["application", "level", "created_at"]
    list_filter = ["level"]
    list_select_related = ["application"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvaluationFollowUp)
class EvaluationFollowUpAdmin(EvaluationAdmin):
    list_display = ["evaluation", "department", "due_date", "status", "is_overdue"]
    list_filter = ["status", "is_overdue"]
    list_select_related = ["evaluation__application", "department"]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ScopedAdmin):
    """Messages are written by the steps they report and changed by the worker and
    the outbox page's "retry"; their payload is shown masked on that page only."""

    list_display = ["id", "kind", "destination", "status", "attempts", "created_at"]
    list_filter = ["status", "kind", "destination"]
    list_select_related = ["destination"]
    show_full_result_count = False
    exclude = ["payload"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

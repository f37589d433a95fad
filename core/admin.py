from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework_api_key.admin import APIKeyModelAdmin

from core import scoping
from core.audit import history_for
from core.models import CalendarOverride, Department, District, PartnerAPIKey, User
from core.sensitive import SensitiveAdminMixin

admin.site.site_header = gettext_lazy(
    "Development Zone Service Matters Registry administration"
)
admin.site.site_title = gettext_lazy("Registry administration")
admin.site.index_title = gettext_lazy("Data management")


class AuditedAdmin(admin.ModelAdmin):
    """Admin whose "历史" page shows the audit trail (before/after of every change)."""

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            return super().history_view(request, object_id, extra_context)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history of %(object)s") % {"object": obj},
            "object": obj,
            "opts": self.model._meta,
            "events": history_for(obj, user=request.user),
        }
        return TemplateResponse(request, "admin/audit_history.html", context)


@admin.register(District)
class DistrictAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "api_base_url", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["code", "name", "short_name", "district"]
    list_filter = ["district"]
    search_fields = ["code", "name"]
    list_select_related = ["district"]


@admin.register(User)
class UserAdmin(SensitiveAdminMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "department", "is_active"]
    list_select_related = ["department"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (gettext_lazy("Department assignment"), {"fields": ("department", "phone")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (gettext_lazy("Department assignment"), {"fields": ("department",)}),
    )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(APIKeyModelAdmin):
    list_display = [*APIKeyModelAdmin.list_display, "district"]
    list_filter = ["district", "revoked"]


class ScopedAdmin(AuditedAdmin):
    """Admin of a register's model: the same scope as pages and API.

    The change list holds what the user may read; a row they may not write opens
    read-only, and deleting needs write scope too.
    """

    def get_queryset(self, request):
        return scoping.readable(super().get_queryset(request), request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return scoping.can_write(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        return scoping.can_write(request.user, obj)

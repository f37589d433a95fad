from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
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


class PermissionBeforeLookup:
    """The history page refuses a caller without the model's permission before
    looking the row up, as the change and delete pages do.

    Django's own history view looks first: a missing row redirects, an existing
    one answers 403, so anyone signed in to the admin could tell which ids exist.
    """

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


class AuditedAdmin(PermissionBeforeLookup, admin.ModelAdmin):
    """Admin whose "历史" page shows the audit trail (before/after of every change)."""

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
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


class Scoped:
    """The model's scope (``core.scoping``) in the admin, as on pages and API.

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


class ScopedAdmin(Scoped, AuditedAdmin):
    """Admin of a scoped model: its scope, and the audit trail as its history."""


@admin.register(District)
class DistrictAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind", "api_base_url", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ["code", "name", "short_name", "district"]
    list_filter = ["district"]
    search_fields = ["code", "name"]
    list_select_related = ["district"]


@admin.register(User)
class UserAdmin(PermissionBeforeLookup, Scoped, SensitiveAdminMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "department", "is_active"]
    list_select_related = ["department"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (gettext_lazy("Department assignment"), {"fields": ("department", "phone")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        (gettext_lazy("Department assignment"), {"fields": ("department",)}),
    )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(ScopedAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(PermissionBeforeLookup, APIKeyModelAdmin):
    list_display = [*APIKeyModelAdmin.list_display, "district"]
    list_filter = ["district", "revoked"]


def history_permission_first(site=admin.site) -> None:
    """Give every registered admin the same order of checks on its history page
    (groups, tokens, keys and audit events are registered by other apps).
    Called from ``CoreConfig.ready`` once every app has registered its admins."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, PermissionBeforeLookup):
            continue
        cls = type(model_admin)
        site.unregister(model)
        site.register(
            model,
            type(
                cls.__name__,
                (PermissionBeforeLookup, cls),
                {"__module__": cls.__module__},
            ),
        )


# Admin pages of other libraries' records that belong to the running of the
# system, not to a register: the audit events' raw table (pghistory) and the
# login lockout's attempts and logs (django-axes, once installed). They carry no
# department and no scope, so only superusers open them, whatever permissions a
# staff member has been given. Our own apps' models are never listed here: each
# has a scope (``core.scoping``) and the access gates probe it.
SUPERUSER_ONLY_ADMIN = frozenset(
    {
        "pghistory.Events",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
    }
)


class SuperuserOnly:
    """A ModelAdmin that only superusers see, open or change."""

    def _superuser(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and user.is_superuser)

    def has_module_permission(self, request):
        return self._superuser(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args, **kwargs):
        return self._superuser(request) and super().has_add_permission(
            request, *args, **kwargs
        )

    def has_change_permission(self, request, obj=None):
        return self._superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request) and super().has_delete_permission(request, obj)


def superuser_only_admin(site=admin.site, labels=SUPERUSER_ONLY_ADMIN) -> None:
    """Restrict the admins of ``labels`` (those installed) to superusers. Called
    from ``CoreConfig.ready`` once every app has registered its admins."""
    for model, model_admin in list(site._registry.items()):
        if model._meta.label not in labels or isinstance(model_admin, SuperuserOnly):
            continue
        cls = type(model_admin)
        site.unregister(model)
        site.register(
            model,
            type(cls.__name__, (SuperuserOnly, cls), {"__module__": cls.__module__}),
        )

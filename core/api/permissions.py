"""Who may call: staff by model permission, partners by key, the public read-only."""

from rest_framework import permissions

from core.api.authentication import is_partner


def is_staff_user(user) -> bool:
    return bool(user and user.is_authenticated and not is_partner(user))


class StaffModelPermissions(permissions.DjangoModelPermissions):
    """Staff only; reads need the model's view permission, writes the matching one."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if not is_staff_user(request.user):
            return False
        return super().has_permission(request, view)


class IsPartner(permissions.BasePermission):
    """A partner district's system, authenticated by its API key."""

    def has_permission(self, request, view):
        return is_partner(request.user)


class ReadOnlyOrStaffModelPermissions(StaffModelPermissions):
    """Anyone (public, partners) reads; staff with permission write."""

    # core.api.schema: these operations are documented as open to anonymous callers.
    anonymous_methods = permissions.SAFE_METHODS

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().has_permission(request, view)

"""Who sees which rows: one scope per model, used by every way in.

Pages, API viewsets, the admin, media serving, history and outbox pages,
lookups by natural key (ID number, credit code) and the workflow engine all ask
this module; none filters by department on its own. A row a user may not see is
missing for them (404), never "forbidden".

A register declares one ``Scope`` subclass per model and registers it::

    @scoping.register(Case)
    class CaseScope(scoping.Scope):
        read_all_permission = "enforcement.view_all_enforcement"

        def staff_rows(self, user):
            return Q(department_id=user.department_id) | Q(campaign__in=...)

The rules every scope shares live here, so no register can forget them:

- the system (``user is None``: commands, workers) sees and writes everything;
- anonymous callers see ``public_rows()`` (nothing by default) and write nothing;
- partner systems (API key) see ``partner_rows(district)`` (nothing by default);
- staff of a partner district see nothing of our registers beyond what the
  public sees (``public_rows()``): what they need reaches them through the
  federation protocol;
- superusers see and write everything;
- a read-all permission (区级管理员, 只读) widens reads only; writes need
  ``write_all_permission`` or fall back to ``staff_rows``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from core.errors import NotFound

M = TypeVar("M", bound=models.Model)

# A Q that matches every row, and one that matches none.
ALL = Q()
NOTHING = Q(pk__in=[])


def is_partner(user) -> bool:
    return getattr(user, "is_partner", False)


def is_local_staff(user) -> bool:
    """A signed-in staff member of this instance's own district (or a superuser)."""
    if user is None or not user.is_authenticated or is_partner(user):
        return False
    if user.is_superuser:
        return True
    district = getattr(user, "district", None)
    return district is not None and district.is_local


class Scope:
    """Which rows of one model a user may read and write. Subclass per model."""

    model: type[models.Model]
    # Holders see every row (reads only).
    read_all_permission: str | None = None
    # Holders may write every row.
    write_all_permission: str | None = None

    def staff_rows(self, user) -> Q:
        """The rows a local staff member works on. Default: all of them."""
        return ALL

    def staff_writable_rows(self, user) -> Q:
        """The rows a local staff member may change. Default: ``staff_rows``.

        Narrower when staff read more than they own (the published catalogue is
        read by every department, changed only by the matter's own).
        """
        return self.staff_rows(user)

    def partner_rows(self, district) -> Q:
        """What a partner district's system may read. Default: nothing."""
        return NOTHING

    def partner_writable_rows(self, district) -> Q:
        """What a partner district's system may change. Default: nothing."""
        return NOTHING

    def public_rows(self) -> Q:
        """What anyone may read without signing in. Default: nothing."""
        return NOTHING

    def readable(self, user) -> Q:
        if user is None:
            return ALL
        if not user.is_authenticated:
            return self.public_rows()
        if is_partner(user):
            return self.partner_rows(user.district)
        if not is_local_staff(user):
            # Signed in elsewhere: no more than anyone may read.
            return self.public_rows()
        if user.is_superuser:
            return ALL
        if self.read_all_permission and user.has_perm(self.read_all_permission):
            return ALL
        if self.write_all_permission and user.has_perm(self.write_all_permission):
            return ALL
        return self.staff_rows(user)

    def writable(self, user) -> Q:
        if user is None:
            return ALL
        if not user.is_authenticated:
            return NOTHING
        if is_partner(user):
            return self.partner_writable_rows(user.district)
        if not is_local_staff(user):
            return NOTHING
        if user.is_superuser:
            return ALL
        if self.write_all_permission and user.has_perm(self.write_all_permission):
            return ALL
        return self.staff_writable_rows(user)


class ParentScope(Scope):
    """A row read and changed with its parent (a matter's materials, an
    agreement's liaison officers, a case's photos): whoever may read or write
    the parent may read or write the row, by the parent's scope.
    ``parent_field`` is a foreign key, or a ``__`` path of them
    (``evaluation__application``)."""

    parent_field: str

    def _parent(self) -> type[models.Model]:
        model = self.model
        for name in self.parent_field.split("__"):
            model = model._meta.get_field(name).related_model
        return model

    def readable(self, user) -> Q:
        if user is None:
            return ALL
        parents = readable(self._parent(), user).values("pk")
        return Q(**{f"{self.parent_field}__in": parents})

    def writable(self, user) -> Q:
        if user is None:
            return ALL
        parents = writable(self._parent(), user).values("pk")
        return Q(**{f"{self.parent_field}__in": parents})


_scopes: dict[type[models.Model], Scope] = {}


def register(model: type[models.Model]) -> Callable[[type[Scope]], type[Scope]]:
    """Class decorator: ``scope_class`` is how ``model`` is scoped."""

    def decorate(scope_class: type[Scope]) -> type[Scope]:
        if model in _scopes:
            raise RuntimeError(f"{model.__name__} already has a scope")
        scope = scope_class()
        scope.model = model
        _scopes[model] = scope
        return scope_class

    return decorate


def scope_for(model: type[models.Model]) -> Scope:
    try:
        return _scopes[model]
    except KeyError:
        raise LookupError(
            f"{model._meta.label} has no registered scope; declare one in "
            f"{model._meta.app_label}/scopes.py"
        ) from None


def registered_models() -> list[type[models.Model]]:
    """Every scoped model (the access gates iterate these)."""
    return list(_scopes)


def _queryset(model_or_qs) -> QuerySet:
    if isinstance(model_or_qs, QuerySet):
        return model_or_qs
    return model_or_qs._default_manager.all()


def readable(model_or_qs: type[M] | QuerySet[M], user) -> QuerySet[M]:
    """The rows ``user`` may see (a queryset, so callers add joins and filters)."""
    qs = _queryset(model_or_qs)
    return qs.filter(scope_for(qs.model).readable(user))


def writable(model_or_qs: type[M] | QuerySet[M], user) -> QuerySet[M]:
    """The rows ``user`` may change: never more than the rows they may read."""
    qs = _queryset(model_or_qs)
    scope = scope_for(qs.model)
    return qs.filter(scope.readable(user)).filter(scope.writable(user))


def get_readable(model_or_qs, user, **lookup):
    """One row ``user`` may see; missing and invisible alike raise ``NotFound``."""
    obj = readable(model_or_qs, user).filter(**lookup).first()
    if obj is None:
        raise NotFound()
    return obj


def get_writable(model_or_qs, user, **lookup):
    """One row ``user`` may change; otherwise ``NotFound`` (it is not theirs)."""
    obj = writable(model_or_qs, user).filter(**lookup).first()
    if obj is None:
        raise NotFound()
    return obj


def can_read(user, obj: models.Model) -> bool:
    return readable(type(obj), user).filter(pk=obj.pk).exists()


def can_write(user, obj: models.Model) -> bool:
    return writable(type(obj), user).filter(pk=obj.pk).exists()


def flag_writable(qs: QuerySet[M], user, name: str = "user_may_write") -> QuerySet[M]:
    """Annotate each row with whether ``user`` may change it, in the same query
    (buttons on lists and ``allowed_transitions`` without a query per row)."""
    from django.db.models import BooleanField, Value, When
    from django.db.models import Case as CaseWhen

    scope = scope_for(qs.model)
    condition = scope.readable(user) & scope.writable(user)
    if not condition:  # every row
        return qs.annotate(**{name: Value(True)})
    return qs.annotate(
        **{
            name: CaseWhen(
                When(condition, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        }
    )


def may_write(user, obj: models.Model, name: str = "user_may_write") -> bool:
    """``can_write``, answered from a ``flag_writable`` annotation when there is one."""
    flag = getattr(obj, name, None)
    if flag is not None:
        return bool(flag)
    return can_write(user, obj)

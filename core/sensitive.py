"""People's ID, credit-code and phone numbers: who sees them, and how.

The rule (issue 11): such a number is never rendered in full into a form, an
admin page, an export, a log or an error for a user without
``core.view_sensitive_data``. Staff who serve the person on one record may
reveal the full number there with one click; every reveal is logged and shown
in the record's history. This module is the one mechanism:

- ``register(Model, fields={...}, serves=...)``: a model's sensitive fields
  (``"id"`` for ID numbers and credit codes, ``"phone"`` for phones) and who
  serves one of its records (``serves(user, obj) -> bool``). Each register
  declares its models in ``<app>/sensitive.py``, imported from its ``ready()``;
- ``reveal(user=, obj=, field=, reason=)``: the full value, for a reader of the
  record who holds the permission or serves it, logged as ``SensitiveReveal``;
- ``SensitiveFormMixin`` and ``SensitiveAdminMixin``: forms and admin pages show
  the fields masked to users without the permission, and keep the stored value
  when the masked text comes back unchanged (editing a volunteer's skills does
  not overwrite the ID with stars);
- ``check_search(filterset)``: list filters (pages and API) refuse a query that
  is a full ID, credit code or phone number from a user without the permission,
  so a masked number cannot be recovered by searching for it.

Masking itself stays in ``core.masking``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import scoping
from core.errors import Forbidden, NotFound, ValidationFailed
from core.logs import security_event
from core.masking import can_see_sensitive, mask_id, mask_phone

ID = "id"
PHONE = "phone"

Serves = Callable[[object, models.Model], bool]


@dataclass
class SensitiveModel:
    """The sensitive fields of one model and who serves one of its records."""

    model: type[models.Model]
    fields: dict[str, str]
    serves: Serves | None = None


_registry: dict[type[models.Model], SensitiveModel] = {}


def register(
    model: type[models.Model], *, fields: dict[str, str], serves: Serves | None = None
) -> SensitiveModel:
    """Declare ``model``'s sensitive fields (name → ``ID``/``PHONE``) and, when its
    records may be revealed, ``serves(user, obj)``: does ``user`` serve the person
    on ``obj`` (took the application, handles the case, runs the team)?"""
    for kind in fields.values():
        if kind not in (ID, PHONE):
            raise ValueError(f"unknown sensitive kind {kind!r}")
    if model in _registry:
        raise RuntimeError(f"{model.__name__} already has sensitive fields")
    entry = SensitiveModel(model=model, fields=dict(fields), serves=serves)
    _registry[model] = entry
    return entry


def fields_of(model: type[models.Model]) -> dict[str, str]:
    """``{field name: kind}`` of ``model`` (empty when it holds none)."""
    entry = _registry.get(model)
    return dict(entry.fields) if entry else {}


def registered_models() -> list[type[models.Model]]:
    return list(_registry)


def mask(kind: str, value: str | None) -> str:
    return mask_phone(value) if kind == PHONE else mask_id(value)


def shown(user, obj: models.Model, name: str) -> str:
    """``obj.<name>`` as ``user`` may see it: in full with the permission, else
    masked (by the field's registered kind; unregistered fields as they are)."""
    value = getattr(obj, name, "") or ""
    kind = fields_of(type(obj)).get(name)
    if kind is None or can_see_sensitive(user):
        return value
    return mask(kind, value)


# --- reveal -------------------------------------------------------------------


def serves(user, obj: models.Model) -> bool:
    """Does ``user`` serve the person on ``obj`` (as registered for its model)?"""
    entry = _registry.get(type(obj))
    if entry is None or entry.serves is None or user is None:
        return False
    if not scoping.is_local_staff(user):
        return False
    return bool(entry.serves(user, obj))


def can_reveal(user, obj: models.Model) -> bool:
    """May ``user`` reveal ``obj``'s sensitive fields (the button is shown)? They
    need the model's view permission and the sensitive-data permission or to
    serve the record; the caller has already found ``obj`` among the rows
    ``user`` may read."""
    if not fields_of(type(obj)) or user is None or not user.is_authenticated:
        return False
    opts = type(obj)._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        return False
    return can_see_sensitive(user) or serves(user, obj)


def revealable(*, user, label: str, pk) -> models.Model:
    """The record ``label`` (``app_label.model_name``) with id ``pk`` whose number
    ``user`` asks to reveal, found the way every record is (pages and API alike).

    Checked in the order that tells nothing about rows the caller may not see: a
    model with sensitive fields (else ``NotFound``), the model's view permission
    (else ``Forbidden``, whether or not the id exists), a row the caller may read
    by its scope (else ``NotFound``, as for a missing one).
    """
    model = model_for_label(label)
    if model is None or user is None or not user.is_authenticated:
        raise NotFound()
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        raise Forbidden()
    return scoping.get_readable(model, user, pk=pk)


def reveal(*, user, obj: models.Model, field: str, reason: str) -> str:
    """The full value of ``obj.<field>`` for ``user``, logged (查看完整号码).

    Rule: only a reader of the record (``core.scoping``; otherwise 404) who holds
    ``core.view_sensitive_data`` or serves the record (otherwise 403) may see it,
    and only with a reason; each reveal is recorded (who, which record and field,
    when, why) and appears in the record's history.
    """
    from django.contrib.contenttypes.models import ContentType

    from core.models import SensitiveReveal

    if user is None or not user.is_authenticated or not scoping.can_read(user, obj):
        raise NotFound()
    kinds = fields_of(type(obj))
    if field not in kinds:
        raise ValidationFailed.for_fields(
            {"field": _("This field cannot be revealed.")}
        )
    if not can_reveal(user, obj):
        raise Forbidden(
            _(
                "Only staff who serve this person on this record may view the "
                "full number."
            )
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.for_fields(
            {"reason": _("Give the reason for viewing the full number.")}
        )
    max_length = SensitiveReveal._meta.get_field("reason").max_length
    if len(reason) > max_length:
        raise ValidationFailed.for_fields(
            {"reason": _("At most %(count)s characters.") % {"count": max_length}}
        )
    with transaction.atomic():
        SensitiveReveal.objects.create(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            field_name=field,
            user=user,
            reason=reason,
        )
    security_event(
        "reveal",
        level=logging.INFO,
        user=user.get_username(),
        user_id=user.pk,
        record=f"{obj._meta.label_lower}:{obj.pk}",
        field=field,
    )
    return getattr(obj, field) or ""


def reveals_for(obj: models.Model, limit: int = 200):
    """The reveals logged on ``obj``, newest first."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import SensitiveReveal

    return (
        SensitiveReveal.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
        )
        .select_related("user")
        .order_by("-created_at", "-pk")[:limit]
    )


def model_for_label(label: str) -> type[models.Model] | None:
    """A registered model by ``app_label.model_name`` (case-insensitive)."""
    label = (label or "").lower()
    for model in _registry:
        if model._meta.label_lower == label:
            return model
    return None


# --- forms --------------------------------------------------------------------


class SensitiveFormMixin:
    """A ModelForm whose sensitive fields are masked for users without the
    permission: the form shows ``370802********1234``; when that same text comes
    back, the stored number is kept; a new full number replaces it.

    Pass ``user=`` to the form (``VolunteerForm(instance=v, user=request.user)``);
    the fields are those registered for the form's model, or ``sensitive_fields``.
    """

    sensitive_fields: dict[str, str] | None = None
    sensitive_user = None

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.sensitive_user = user
        if can_see_sensitive(self.sensitive_user):
            return
        instance = getattr(self, "instance", None)
        kinds = self.sensitive_fields
        if kinds is None:
            kinds = fields_of(self._meta.model)
        for name, kind in kinds.items():
            if name not in self.fields:
                continue
            stored = getattr(instance, name, "") if instance is not None else ""
            keep_masked(self, name, kind, stored or "")


def keep_masked(form, name: str, kind: str, stored: str) -> None:
    """Show ``form``'s field ``name`` masked; a submitted masked text means
    "unchanged" and cleans to ``stored``."""
    field = form.fields[name]
    masked = mask(kind, stored)
    form.initial[name] = masked
    if not stored:
        return
    original_clean = field.clean

    def clean(value, _clean=original_clean):
        if isinstance(value, str) and value.strip() == masked:
            value = stored
        return _clean(value)

    # Form fields are deep copies per form instance: patching this one is local.
    field.clean = clean


class SensitiveAdminMixin:
    """For ``ModelAdmin`` and inlines: sensitive fields masked for users without
    the permission, in change forms (kept when unchanged), read-only views and
    search (the admin does not search sensitive fields for them)."""

    masked_prefix = "masked__"

    def _masks(self, request) -> bool:
        return bool(fields_of(self.model)) and not can_see_sensitive(request.user)

    def _with_user(self, form_class, request):
        return type(
            form_class.__name__,
            (SensitiveFormMixin, form_class),
            {"sensitive_user": request.user},
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return self._with_user(form, request) if self._masks(request) else form

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if self._masks(request):
            formset.form = self._with_user(formset.form, request)
        return formset

    def _read_only_view(self, request, obj) -> bool:
        return not self.has_change_permission(request, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._masks(request) or not self._read_only_view(request, obj):
            return fieldsets
        # A view-only page renders every field read-only from the record itself:
        # show a masked stand-in instead.
        kinds = fields_of(self.model)
        return [
            (
                title,
                {
                    **options,
                    "fields": [
                        self._masked_name(name) if name in kinds else name
                        for name in options.get("fields", ())
                    ],
                },
            )
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._masks(request):
            kinds = fields_of(self.model)
            readonly = [
                self._masked_name(name) if name in kinds else name for name in readonly
            ]
            if self._read_only_view(request, obj):
                readonly += [
                    self._masked_name(name)
                    for name in kinds
                    if self._masked_name(name) not in readonly
                ]
        return readonly

    def _masked_name(self, name: str) -> str:
        return f"{self.masked_prefix}{name}"

    def __getattr__(self, name: str):
        prefix = type(self).masked_prefix
        if name.startswith(prefix):
            field_name = name[len(prefix) :]
            kind = fields_of(self.model).get(field_name)
            if kind is not None:

                def show(obj, _name=field_name, _kind=kind):
                    return mask(_kind, getattr(obj, _name, "") or "")

                show.short_description = self.model._meta.get_field(
                    field_name
                ).verbose_name
                return show
        raise AttributeError(name)

    def get_search_fields(self, request):
        fields = list(super().get_search_fields(request))
        if not self._masks(request):
            return fields
        kinds = fields_of(self.model)
        return [f for f in fields if f.lstrip("=^@").split("__")[0] not in kinds]

    def get_list_display(self, request):
        fields = list(super().get_list_display(request))
        if not self._masks(request):
            return fields
        kinds = fields_of(self.model)
        return [self._masked_name(f) if f in kinds else f for f in fields]


# --- search -------------------------------------------------------------------

# A whole query that is a person's number: 18/15-digit ID, 18-character credit
# code, mobile (optionally +86) or landline with its area code.
_SENSITIVE_QUERY = re.compile(
    r"\d{17}[\dX]|\d{15}"
    r"|[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}"
    r"|(?:\+?86)?1[3-9]\d{9}"
    r"|0\d{2,3}-?\d{7,8}"
)

SEARCH_PARAMETERS = ("q", "id_number", "credit_code", "phone", "search")

SEARCH_REFUSED = gettext_lazy(
    "Searching by a full ID number, credit code or phone number needs the "
    "permission to view them."
)


def looks_sensitive(value) -> bool:
    """Is ``value`` a full ID number, credit code or phone number?"""
    if not isinstance(value, str):
        return False
    text = re.sub(r"\s+", "", value).upper()
    return bool(_SENSITIVE_QUERY.fullmatch(text))


def may_search_sensitive(request) -> bool:
    return can_see_sensitive(getattr(request, "user", None))


def check_search(filterset) -> None:
    """Refuse (a field error on the filter form: 400 in the API, a form error on
    pages) a search by a full ID, credit code or phone number from a user without
    the permission. Every list page and API list calls this on its FilterSet."""
    if not filterset.is_bound or may_search_sensitive(filterset.request):
        return
    form = filterset.form
    refused = [
        name
        for name in SEARCH_PARAMETERS
        if name in form.fields
        and looks_sensitive(filterset.data.get(form.add_prefix(name)))
    ]
    if not refused:
        return
    form.errors  # noqa: B018 (cleans the form, so errors can be added)
    for name in refused:
        form.add_error(name, str(SEARCH_REFUSED))

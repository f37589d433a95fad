"""Admin of the catalogue: matters (with materials), agreements (with liaison
officers and list entries), bundles (with their matters).

Every save goes through services.actions.catalogue: ``save_model`` and
``save_formset`` translate the admin's forms into action calls, and a domain
error becomes a message instead of a partial write. Lists and forms follow the
catalogue's scope (``ScopedAdmin``); each change form carries the version it
showed (``expected_version``), so an edit over someone else's is refused, not
lost.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import models, transaction
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.admin import ScopedAdmin
from core.errors import DomainError
from core.middleware import domain_error_text
from core.sensitive import SensitiveAdminMixin
from services.actions import catalogue as actions
from services.forms.catalogue import AgreementAdminForm, VersionedAdminForm
from services.models import (
    Agreement,
    AgreementMatter,
    Bundle,
    BundleMatter,
    LiaisonOfficer,
    Matter,
    MatterMaterial,
)


class ActionAdminMixin:
    """Run the whole admin save in one transaction; a DomainError rolls it back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with transaction.atomic():
                return super().changeform_view(
                    request, object_id, form_url, extra_context
                )
        except DomainError as error:
            self.message_user(request, domain_error_text(error), messages.ERROR)
            from django.shortcuts import redirect

            return redirect(request.get_full_path())

    @staticmethod
    def mark_saved(formset) -> None:
        """The admin's change message reads what formset.save() would have set."""
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )

    def delete_model(self, request, obj):
        raise DomainError(
            gettext(
                "Catalogue records cannot be deleted; retire the matter or take it "
                "off the list instead."
            )
        )

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)
        return found


def _seen(form) -> int | None:
    """The version the change form was shown with (None on an add form)."""
    return form.cleaned_data.get("expected_version")


class MatterMaterialInline(admin.TabularInline):
    model = MatterMaterial
    extra = 1
    fields = ["name", "required", "form", "copies", "source", "notes"]


@admin.register(Matter)
class MatterAdmin(ActionAdminMixin, ScopedAdmin):
    form = VersionedAdminForm
    list_display = [
        "code",
        "name",
        "kind",
        "department",
        "promised_days",
        "statutory_days",
        "tongban_scope",
        "status",
    ]
    list_filter = ["status", "kind", "tongban_scope", "department"]
    search_fields = ["code", "name"]
    list_select_related = ["department"]
    inlines = [MatterMaterialInline]
    readonly_fields = ["status", "version", "published_at", "code_form"]
    actions = ["publish_selected", "suspend_selected"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # Saved together with the materials in save_related.
        request._matter_data = {
            name: form.cleaned_data.get(name, getattr(obj, name))
            for name in actions.MATTER_FIELDS
        }

    def save_related(self, request, form, formsets, change):
        materials = []
        for formset in formsets:
            self.mark_saved(formset)
            for inline_form in formset.forms:
                data = getattr(inline_form, "cleaned_data", None)
                if not data or data.get("DELETE"):
                    continue
                materials.append({name: data[name] for name in actions.MATERIAL_FIELDS})
        data = request._matter_data
        if change:
            matter = actions.matter_update(
                actor=request.user,
                matter=form.instance,
                data=data,
                materials=materials,
                expected_version=_seen(form),
            )
        else:
            matter = actions.matter_create(
                actor=request.user, data=data, materials=materials
            )
        # The admin logs and redirects with the object it built; give it the id.
        form.instance.pk = matter.pk
        form.instance.version = matter.version

    @admin.action(description=_("Publish selected matters"))
    def publish_selected(self, request, queryset):
        done = self._transition(request, queryset, "publish")
        self.message_user(
            request,
            ngettext(
                "Published %(count)s matter.", "Published %(count)s matters.", done
            )
            % {"count": done},
        )

    @admin.action(description=_("Suspend selected matters"))
    def suspend_selected(self, request, queryset):
        done = self._transition(request, queryset, "suspend")
        self.message_user(
            request,
            ngettext(
                "Suspended %(count)s matter.", "Suspended %(count)s matters.", done
            )
            % {"count": done},
        )

    def _transition(self, request, queryset, verb: str) -> int:
        """Take step ``verb`` on each matter (from the version just listed); report
        each refusal; return how many moved."""
        done = 0
        for matter in queryset:
            try:
                actions.matter_transition(
                    actor=request.user,
                    matter=matter,
                    verb=verb,
                    expected_version=matter.version,
                )
                done += 1
            except DomainError as error:
                self.message_user(
                    request,
                    gettext("%(name)s: %(error)s")
                    % {"name": matter.name, "error": domain_error_text(error)},
                    messages.ERROR,
                )
        return done


class LiaisonInline(SensitiveAdminMixin, admin.TabularInline):
    model = LiaisonOfficer
    form = VersionedAdminForm
    extra = 1
    fields = ["side", "name", "department", "phone", "expected_version"]


class AgreementMatterInline(admin.TabularInline):
    """The list's entries, read here; adjustments go through the actions below."""

    model = AgreementMatter
    extra = 0
    fields = ["matter", "batch", "effective_from", "effective_to", "removal_reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(ActionAdminMixin, ScopedAdmin):
    form = AgreementAdminForm
    list_display = ["code", "title", "partner", "signed_on", "effective_on", "active"]
    list_filter = ["partner", "active"]
    search_fields = ["code", "title"]
    list_select_related = ["partner"]
    inlines = [LiaisonInline, AgreementMatterInline]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in actions.AGREEMENT_FIELDS}
        if change:
            saved = actions.agreement_update(
                actor=request.user,
                agreement=obj,
                data=data,
                expected_version=_seen(form),
            )
        else:
            saved = actions.agreement_create(actor=request.user, data=data)
        obj.pk = saved.pk
        obj.version = saved.version

    def save_formset(self, request, form, formset, change):
        self.mark_saved(formset)
        if formset.model is not LiaisonOfficer:
            return
        for inline_form in formset.forms:
            data = getattr(inline_form, "cleaned_data", None)
            if not data:
                continue
            instance = data.get("id")
            fields = {n: data[n] for n in ["side", "name", "department", "phone"]}
            if data.get("DELETE"):
                if instance is not None:
                    actions.liaison_delete(
                        actor=request.user,
                        liaison=instance,
                        expected_version=_seen(inline_form),
                    )
                continue
            if instance is None:
                if inline_form.has_changed():
                    actions.liaison_add(
                        actor=request.user, agreement=form.instance, data=fields
                    )
                continue
            if inline_form.has_changed():
                actions.liaison_update(
                    actor=request.user,
                    liaison=instance,
                    data=fields,
                    expected_version=_seen(inline_form),
                )


@admin.register(AgreementMatter)
class AgreementMatterAdmin(ActionAdminMixin, ScopedAdmin):
    form = VersionedAdminForm
    list_display = [
        "agreement",
        "matter",
        "batch",
        "effective_from",
        "effective_to",
        "removal_reason",
    ]
    list_filter = ["agreement", "batch"]
    search_fields = ["matter__name", "matter__code"]
    list_select_related = ["agreement", "matter"]
    autocomplete_fields = ["matter"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["effective_to", "removal_reason", "version"]
        return ["agreement", "matter", "batch", "effective_from", "version"]

    def save_model(self, request, obj, form, change):
        if change:
            saved = actions.agreement_matter_remove(
                actor=request.user,
                entry=obj,
                effective_to=form.cleaned_data["effective_to"],
                reason=form.cleaned_data["removal_reason"],
                expected_version=_seen(form),
            )
        else:
            saved = actions.agreement_matter_add(
                actor=request.user,
                agreement=form.cleaned_data["agreement"],
                matter=form.cleaned_data["matter"],
                batch=form.cleaned_data["batch"],
                effective_from=form.cleaned_data["effective_from"],
            )
        obj.pk = saved.pk


class BundleMatterInline(admin.TabularInline):
    model = BundleMatter
    extra = 1
    fields = ["position", "matter"]
    autocomplete_fields = ["matter"]


@admin.register(Bundle)
class BundleAdmin(ActionAdminMixin, ScopedAdmin):
    form = VersionedAdminForm
    list_display = ["code", "name", "window", "active"]
    search_fields = ["code", "name"]
    inlines = [BundleMatterInline]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        request._bundle_data = {
            n: form.cleaned_data[n]
            for n in ["code", "name", "description", "window", "active"]
        }

    def save_related(self, request, form, formsets, change):
        items = []
        for formset in formsets:
            self.mark_saved(formset)
            for inline_form in formset.forms:
                data = getattr(inline_form, "cleaned_data", None)
                if data and not data.get("DELETE") and data.get("matter"):
                    items.append((data.get("position") or 0, data["matter"]))
        items.sort(key=lambda pair: pair[0])
        matters = [matter for _position, matter in items]
        if change:
            bundle = actions.bundle_update(
                actor=request.user,
                bundle=form.instance,
                data=request._bundle_data,
                matters=matters,
                expected_version=_seen(form),
            )
        else:
            bundle = actions.bundle_create(
                actor=request.user, data=request._bundle_data, matters=matters
            )
        form.instance.pk = bundle.pk
        form.instance.version = bundle.version

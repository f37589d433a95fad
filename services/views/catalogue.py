"""Staff and public pages of the catalogue.

Staff: the catalogue list (shared FilterSet), a matter's detail with materials
and history, agreements with their list as of a date and its change log,
一件事 bundles. Public (no login): each agreement's current list and each
matter's guide (办事指南), laid out for a phone.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from core import scoping
from core.errors import DomainError, NotFound
from core.middleware import domain_error_text
from core.tabular import write_rows
from core.views import FilteredListView
from services.actions import catalogue as actions
from services.catalogue_files import agreement_list_table, matter_table
from services.choices import MATTER_WORKFLOW
from services.filters.catalogue import (
    AgreementFilterSet,
    AgreementMatterFilterSet,
    BundleFilterSet,
    MatterFilterSet,
)
from services.forms.catalogue import AsOfForm
from services.models import Agreement, Matter
from services.selectors import catalogue as selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def xlsx_response(filename: str, header, rows) -> HttpResponse:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.xlsx"
        write_rows(path, header, rows)
        response = HttpResponse(path.read_bytes(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


class MatterListView(FilteredListView):
    selector = staticmethod(selectors.matter_list)
    filterset_class = MatterFilterSet
    template_name = "services/matter_list.html"
    permission_required = "services.view_matter"


class MatterExportView(LoginRequiredMixin, View):
    """The filtered catalogue as the xlsx that import_matters reads back."""

    def get(self, request):
        _need(request.user, "services.view_matter")
        filterset = MatterFilterSet(
            request.GET, queryset=selectors.matter_export_rows(user=request.user)
        )
        if not filterset.is_valid():
            raise Http404
        header, rows = matter_table(filterset.qs)
        return xlsx_response("matters.xlsx", header, rows)


# What the page says when a step is done, by verb of MATTER_WORKFLOW.
MATTER_DONE = {
    "publish": _("Published: %(name)s"),
    "suspend": _("Suspended: %(name)s"),
    "retire": _("Retired: %(name)s"),
}


class MatterDetailView(LoginRequiredMixin, TemplateView):
    template_name = "services/matter_detail.html"

    def get_context_data(self, **kwargs):
        _need(self.request.user, "services.view_matter")
        context = super().get_context_data(**kwargs)
        user = self.request.user
        try:
            matter = selectors.matter_get(user=user, pk=kwargs["pk"])
        except Matter.DoesNotExist:
            raise Http404 from None
        # The buttons are the steps the engine would take for this user.
        steps = (
            MATTER_WORKFLOW.allowed(matter, user)
            if scoping.can_write(user, matter)
            else []
        )
        context.update(
            matter=matter,
            materials=list(matter.materials.all()),
            bundles=list(selectors.bundle_list(user=user).filter(matters=matter)),
            entries=list(
                selectors.agreement_entry_list(user=user)
                .filter(matter=matter)
                .order_by("-effective_from")
            ),
            verbs=[(step.verb, step.label) for step in steps],
        )
        return context


class MatterTransitionView(LoginRequiredMixin, View):
    """POST a state change (发布/暂停/废止); refusals come back as messages."""

    def post(self, request, pk, verb):
        _need(request.user, "services.change_matter")
        if verb not in MATTER_WORKFLOW:
            raise Http404
        try:
            matter = selectors.matter_get(user=request.user, pk=pk)
        except Matter.DoesNotExist:
            raise Http404 from None
        try:
            actions.matter_transition(
                actor=request.user,
                matter=matter,
                verb=verb,
                expected_version=request.POST.get("version") or None,
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, MATTER_DONE[verb] % {"name": matter.name})
        return redirect(matter.get_absolute_url())


class AgreementListView(FilteredListView):
    selector = staticmethod(selectors.agreement_list)
    filterset_class = AgreementFilterSet
    template_name = "services/agreement_list.html"
    permission_required = "services.view_agreement"


def _as_of(request):
    form = AsOfForm(request.GET)
    on = form.cleaned_data.get("as_of") if form.is_valid() else None
    return form, on or timezone.localdate()


class AgreementDetailView(LoginRequiredMixin, TemplateView):
    template_name = "services/agreement_detail.html"

    def get_context_data(self, **kwargs):
        _need(self.request.user, "services.view_agreement")
        context = super().get_context_data(**kwargs)
        try:
            agreement = selectors.agreement_get(user=self.request.user, pk=kwargs["pk"])
        except Agreement.DoesNotExist:
            raise Http404 from None
        form, on = _as_of(self.request)
        entries = selectors.agreement_list_as_of(
            agreement=agreement, on=on, user=self.request.user
        )
        filterset = AgreementMatterFilterSet(self.request.GET, queryset=entries)
        context.update(
            agreement=agreement,
            as_of_form=form,
            on=on,
            filter=filterset,
            entries=list(filterset.qs if filterset.is_valid() else entries.none()),
            changes=selectors.agreement_changes(
                agreement=agreement, user=self.request.user
            ),
            liaisons=list(agreement.liaisons.all()),
        )
        return context


class AgreementExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        _need(request.user, "services.view_agreement")
        try:
            agreement = selectors.agreement_get(user=request.user, pk=pk)
        except Agreement.DoesNotExist:
            raise Http404 from None
        _form, on = _as_of(request)
        header, rows = agreement_list_table(
            selectors.agreement_list_as_of(
                agreement=agreement, on=on, user=request.user
            )
        )
        return xlsx_response(f"{agreement.code}-{on}.xlsx", header, rows)


class BundleListView(FilteredListView):
    selector = staticmethod(selectors.bundle_list)
    filterset_class = BundleFilterSet
    template_name = "services/bundle_list.html"
    permission_required = "services.view_bundle"


class BundleDetailView(LoginRequiredMixin, TemplateView):
    template_name = "services/bundle_detail.html"

    def get_context_data(self, **kwargs):
        _need(self.request.user, "services.view_bundle")
        context = super().get_context_data(**kwargs)
        bundle = selectors.bundle_list(user=self.request.user).filter(pk=kwargs["pk"])
        bundle = bundle.first()
        if bundle is None:
            raise Http404
        context["bundle"] = bundle
        return context


# ------------------------------------------------------------------ public


class PublicIndexView(TemplateView):
    """政务服务公开: the agreements' lists and the 一件事 bundles, no login."""

    template_name = "services/public_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            agreements=list(selectors.agreement_list(user=selectors.PUBLIC)),
            bundles=list(selectors.bundle_list(user=selectors.PUBLIC)),
        )
        return context


class PublicAgreementListView(TemplateView):
    template_name = "services/public_agreement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = (
            selectors.agreement_list(user=selectors.PUBLIC)
            .filter(pk=kwargs["pk"])
            .first()
        )
        if agreement is None:
            raise Http404
        on = timezone.localdate()
        filterset = AgreementMatterFilterSet(
            self.request.GET,
            queryset=selectors.agreement_public_entries(agreement=agreement, on=on),
        )
        context.update(
            agreement=agreement,
            on=on,
            filter=filterset,
            entries=list(filterset.qs) if filterset.is_valid() else [],
        )
        return context


class PublicMatterGuideView(TemplateView):
    """办事指南: conditions, materials, limits, fees, visits, where to go."""

    template_name = "services/public_matter_guide.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            matter = selectors.matter_get(user=selectors.PUBLIC, pk=kwargs["pk"])
        except Matter.DoesNotExist:
            raise Http404 from None
        context.update(matter=matter, materials=list(matter.materials.all()))
        return context

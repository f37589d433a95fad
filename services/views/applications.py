"""Staff pages of applications (queue, lists, detail, intake, transitions) and the
public progress look-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from core.api.throttling import ProgressLookupThrottle
from core.documents import pdf_response
from core.errors import DomainError, NotFound, ValidationFailed
from core.middleware import domain_error_text
from core.views import FilteredListView, show_domain_error
from services.actions import applications as actions
from services.choices import APPLICATION_WORKFLOW, DeliveryMethod, DocumentKind
from services.filters.applications import ApplicationFilterSet
from services.forms.applications import (
    EvaluationForm,
    FollowUpForm,
    IntakeForm,
    MaterialForm,
    ProgressForm,
)
from services.models import ApplicationMaterial, MatterMaterial
from services.selectors import applications as selectors


class ApplicationQueueView(FilteredListView):
    """我的待办: the statuses my roles work on."""

    template_name = "services/application_list.html"
    filterset_class = ApplicationFilterSet
    permission_required = "services.view_application"
    heading = gettext_lazy("My queue")

    def get_queryset(self):
        return selectors.application_queue(
            user=self.request.user, queue=self.request.GET.get("queue") or None
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.heading,
            queues=selectors.user_queues(self.request.user),
            current_queue=self.request.GET.get("queue", ""),
            show_queues=True,
        )
        return context


class ApplicationListView(ApplicationQueueView):
    heading = gettext_lazy("All applications")

    def get_queryset(self):
        return selectors.application_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_queues"] = False
        return context


class NearDueListView(ApplicationListView):
    heading = gettext_lazy("Applications near due")

    def get_queryset(self):
        return selectors.application_list(user=self.request.user).filter(
            is_near_due=True
        )


class OverdueListView(ApplicationListView):
    heading = gettext_lazy("Overdue applications")

    def get_queryset(self):
        return selectors.application_list(user=self.request.user).filter(
            is_overdue=True
        )


def _get_visible(request, pk):
    if not request.user.has_perm("services.view_application"):
        raise PermissionDenied
    try:
        return selectors.application_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None


class ApplicationDetailView(LoginRequiredMixin, TemplateView):
    template_name = "services/application_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = _get_visible(self.request, kwargs["pk"])
        requirements = list(
            actions._requirements_for(application).select_related("matter")
        )
        materials = list(application.materials.all())
        uploaded = {m.requirement_id for m in materials if m.status == "valid"}
        context.update(
            application=application,
            events=list(application.events.all()),
            materials=materials,
            requirements=requirements,
            uploaded_requirement_ids=uploaded,
            missing=actions.missing_requirements(application),
            transitions=actions.allowed_transitions(application, self.request.user),
            material_form=MaterialForm(requirements=requirements),
            can_upload=application.status in ("submitted", "needs_correction")
            and self.request.user.has_perm("services.add_applicationmaterial"),
            evaluation=getattr(application, "evaluation", None)
            if hasattr(application, "evaluation")
            else None,
            evaluation_form=EvaluationForm(),
            documents=[
                (kind, label)
                for kind, label in DocumentKind.choices
                if any(
                    e.verb == actions.DOCUMENT_STATUSES[kind]
                    for e in application.events.all()
                )
            ],
            delivery_methods=DeliveryMethod.choices,
            children=list(application.children.all()),
            form_errors=kwargs.get("form_errors"),
        )
        return context


class ApplicationTransitionView(LoginRequiredMixin, View):
    """POST one transition from the detail page; the hidden version guards it."""

    def post(self, request, pk, verb):
        if verb not in APPLICATION_WORKFLOW or APPLICATION_WORKFLOW[verb].system:
            raise Http404
        if not request.user.has_perm("services.change_application"):
            raise PermissionDenied
        application = _get_visible(request, pk)
        post = request.POST
        extra = {}
        if verb == "request_correction":
            extra["missing"] = list(
                MatterMaterial.objects.filter(
                    pk__in=[v for v in post.getlist("missing") if v.isdigit()]
                )
            )
            faulty_ids = [v for v in post.getlist("faulty") if v.isdigit()]
            extra["faulty"] = [
                (m, post.get(f"problem_{m.pk}", ""))
                for m in ApplicationMaterial.objects.filter(
                    pk__in=faulty_ids, application=application
                )
            ]
        elif verb == "approve":
            extra["result"] = post.get("result", "")
        elif verb == "issue_certificate":
            extra["certificate_number"] = post.get("certificate_number", "")
        elif verb == "deliver":
            extra.update(
                delivery_method=post.get("delivery_method") or None,
                carrier=post.get("carrier", ""),
                tracking_number=post.get("tracking_number", ""),
                delivery_address=post.get("delivery_address", ""),
            )
        try:
            actions.TRANSITION_ACTIONS[verb](
                actor=request.user,
                application=application,
                expected_version=post.get("version") or -1,
                note=post.get("note", ""),
                **extra,
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(
                request,
                _("%(number)s: step “%(step)s” done")
                % {
                    "step": APPLICATION_WORKFLOW[verb].label,
                    "number": application.number,
                },
            )
        return redirect("services:application-detail", pk=pk)


class MaterialUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        if not request.user.has_perm("services.add_applicationmaterial"):
            raise PermissionDenied
        application = _get_visible(request, pk)
        requirements = list(actions._requirements_for(application))
        form = MaterialForm(request.POST, request.FILES, requirements=requirements)
        if not form.is_valid():
            messages.error(request, _("Choose the file to upload"))
            return redirect("services:application-detail", pk=pk)
        requirement = next(
            (r for r in requirements if r.pk == form.cleaned_data.get("requirement")),
            None,
        )
        try:
            material = actions.material_upload(
                actor=request.user,
                application=application,
                upload=form.cleaned_data["file"],
                requirement=requirement,
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, _("Uploaded: %(name)s") % {"name": material.name})
        return redirect("services:application-detail", pk=pk)


class ApplicationDocumentView(LoginRequiredMixin, View):
    def get(self, request, pk, kind):
        application = _get_visible(request, pk)
        try:
            rendered = actions.application_document_issue(
                actor=request.user, application=application, kind=kind
            )
        except NotFound:
            raise Http404 from None
        except DomainError as error:
            messages.error(request, domain_error_text(error))
            return redirect("services:application-detail", pk=pk)
        return pdf_response(rendered)


class EvaluationView(LoginRequiredMixin, View):
    def post(self, request, pk):
        if not request.user.has_perm("services.add_evaluation"):
            raise PermissionDenied
        application = _get_visible(request, pk)
        form = EvaluationForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationFailed(_("Choose a rating"))
            actions.evaluation_submit(
                actor=request.user,
                application=application,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, _("Rating recorded"))
        return redirect("services:application-detail", pk=pk)


class IntakeView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """收件 at the window, for a matter or a 一件事."""

    permission_required = "services.add_application"
    template_name = "services/application_form.html"

    def get(self, request):
        initial = {
            "matter": request.GET.get("matter"),
            "bundle": request.GET.get("bundle"),
            "channel": "window",
            "delivery_method": "pickup",
        }
        return render(
            request, self.template_name, {"form": IntakeForm(initial=initial)}
        )

    def post(self, request):
        form = IntakeForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                application = actions.application_intake(actor=request.user, **data)
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Taken in; the application number is %(number)s")
                    % {"number": application.number},
                )
                return redirect(application.get_absolute_url())
        return render(request, self.template_name, {"form": form}, status=400)


class FollowUpListView(LoginRequiredMixin, TemplateView):
    template_name = "services/evaluation_followups.html"

    def get_context_data(self, **kwargs):
        if not self.request.user.has_perm("services.view_evaluationfollowup"):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        context["follow_ups"] = list(
            selectors.follow_up_list(user=self.request.user).order_by(
                "status", "due_date"
            )[:200]
        )
        context["form"] = FollowUpForm()
        return context


class FollowUpAnswerView(LoginRequiredMixin, View):
    def post(self, request, pk):
        if not request.user.has_perm("services.change_evaluationfollowup"):
            raise PermissionDenied
        follow_up = selectors.follow_up_list(user=request.user).filter(pk=pk).first()
        if follow_up is None:
            raise Http404
        form = FollowUpForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationFailed(_("Choose an outcome and enter the answer"))
            actions.evaluation_followup_answer(
                actor=request.user, follow_up=follow_up, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, _("Follow-up answer recorded"))
        return redirect(reverse("services:evaluation-followups"))


class ProgressLookupView(View):
    """Public: progress by number + the phone's last four digits, rate limited."""

    template_name = "services/progress_lookup.html"

    def get(self, request):
        form = ProgressForm(request.GET or None)
        context = {"form": form, "application": None, "searched": False}
        if request.GET:
            throttle = ProgressLookupThrottle()
            if not throttle.allow_request(request, self):
                context["throttled"] = True
                return render(request, self.template_name, context, status=429)
            context["searched"] = True
            if form.is_valid():
                context["application"] = selectors.progress_lookup(
                    number=form.cleaned_data["number"],
                    phone_last4=form.cleaned_data["phone_last4"],
                )
        return render(request, self.template_name, context)

"""Staff pages of the enforcement register: permission → selector → form → action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import scoping
from core.errors import DomainError, NotFound
from core.middleware import domain_error_text
from core.views import FilteredListView, form_errors_text, show_domain_error
from enforcement import actions, selectors
from enforcement.choices import campaign_steps_for, case_steps_for
from enforcement.filters import CaseFilterSet, RectificationNoticeFilterSet
from enforcement.forms import (
    VERB_FORMS,
    CampaignStepForm,
    CaseForm,
    DisposeForm,
    EvidencePhotoForm,
    FiguresRangeForm,
    PatrolForm,
)

# What the page says once a campaign step has been taken.
CAMPAIGN_STEP_DONE = {
    "start": gettext_lazy("The campaign has started."),
    "conclude": gettext_lazy("The campaign has been concluded."),
    "reopen": gettext_lazy("The campaign has been reopened."),
}

# What the page says once a case verb has been done.
VERB_DONE = {
    "issue_notice": gettext_lazy("The rectification notice has been issued."),
    "reinspect": gettext_lazy("The re-inspection has been recorded."),
    "dispose": gettext_lazy("The disposal has been recorded."),
    "close": gettext_lazy("The case has been closed."),
    "cancel": gettext_lazy("The case has been cancelled."),
}


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _get(qs, pk):
    try:
        return selectors.get_or_404(qs, pk)
    except NotFound:
        raise Http404 from None


@login_required
def campaign_list(request):
    _need(request.user, "enforcement.view_campaign")
    range_form = FiguresRangeForm(request.GET or None)
    bounds = range_form.cleaned_data if range_form.is_valid() else {}
    campaigns = list(selectors.campaign_list(user=request.user).order_by("-start_date"))
    figures = selectors.campaign_figures(
        campaign_ids=[c.pk for c in campaigns],
        date_from=bounds.get("date_after"),
        date_to=bounds.get("date_before"),
    )
    rows = [(c, figures[c.pk]) for c in campaigns]
    return render(
        request,
        "enforcement/campaign_list.html",
        {"rows": rows, "range_form": range_form},
    )


@login_required
def campaign_detail(request, pk):
    _need(request.user, "enforcement.view_campaign")
    campaign = _get(selectors.campaign_list(user=request.user), pk)
    range_form = FiguresRangeForm(request.GET or None)
    bounds = range_form.cleaned_data if range_form.is_valid() else {}
    figures = selectors.campaign_figures(
        campaign_ids=[campaign.pk],
        date_from=bounds.get("date_after"),
        date_to=bounds.get("date_before"),
    )[campaign.pk]
    patrols = selectors.patrol_list(user=request.user).filter(campaign=campaign)
    return render(
        request,
        "enforcement/campaign_detail.html",
        {
            "campaign": campaign,
            "figures": figures,
            "range_form": range_form,
            "patrols": patrols.order_by("-patrol_date", "-pk")[:100],
            "steps": campaign_steps_for(campaign, request.user),
            "may_record_patrol": request.user.has_perm("enforcement.add_patrol")
            and selectors.campaign_workable(user=request.user)
            .filter(pk=campaign.pk)
            .exists(),
        },
    )


@login_required
def campaign_step(request, pk, verb):
    """POST a campaign step (start, conclude, reopen) with the version seen."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    verb = verb.replace("-", "_")
    if verb not in actions.CAMPAIGN_STEP_ACTIONS:
        raise Http404
    # The permission before the row, so a refusal says nothing about the row.
    _need(request.user, "enforcement.change_campaign")
    campaign = _get(selectors.campaign_workable(user=request.user), pk)
    form = CampaignStepForm(request.POST)
    if form.is_valid():
        try:
            actions.CAMPAIGN_STEP_ACTIONS[verb](
                actor=request.user,
                campaign=campaign,
                expected_version=request.POST.get("version"),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, CAMPAIGN_STEP_DONE[verb])
    else:
        messages.error(request, form_errors_text(form))
    return redirect(campaign)


@login_required
def patrol_create(request, campaign_pk):
    _need(request.user, "enforcement.add_patrol")
    campaign = _get(selectors.campaign_workable(user=request.user), campaign_pk)
    form = PatrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patrol = actions.patrol_record(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("Patrol recorded: %(patrol)s") % {"patrol": patrol}
            )
            return redirect(patrol)
    return render(
        request, "enforcement/patrol_form.html", {"form": form, "campaign": campaign}
    )


@login_required
def patrol_detail(request, pk):
    _need(request.user, "enforcement.view_patrol")
    patrol = _get(selectors.patrol_list(user=request.user), pk)
    form = DisposeForm(request.POST or None)
    if request.method == "POST":
        _need(request.user, "enforcement.add_disposal")
        patrol = _get(selectors.patrol_workable(user=request.user), pk)
        if form.is_valid():
            try:
                actions.disposal_record(
                    actor=request.user, patrol=patrol, **form.cleaned_data
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(request, _("Disposal recorded."))
                return redirect(patrol)
    return render(
        request,
        "enforcement/patrol_detail.html",
        {
            "patrol": patrol,
            "cases": selectors.case_list(user=request.user).filter(patrol=patrol),
            "disposals": selectors.disposal_list(user=request.user).filter(
                patrol=patrol, case__isnull=True
            ),
            "form": form,
            "may_write": scoping.can_write(request.user, patrol),
        },
    )


@login_required
def case_create(request, patrol_pk):
    _need(request.user, "enforcement.add_case")
    patrol = _get(selectors.patrol_workable(user=request.user), patrol_pk)
    form = CaseForm(
        request.POST or None,
        initial={"address": patrol.place, "registered_on": patrol.patrol_date},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subject = actions.subject_register(
                actor=request.user,
                kind=data["subject_kind"],
                name=data["subject_name"],
                credit_code=data["credit_code"],
                id_number=data["id_number"],
                representative=data["representative"],
                phone=data["phone"],
            )
            case = actions.case_register(
                actor=request.user,
                subject=subject,
                patrol=patrol,
                violation_type=data["violation_type"],
                facts=data["facts"],
                address=data["address"],
                latitude=data["latitude"],
                longitude=data["longitude"],
                registered_on=data["registered_on"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request, _("Case registered: %(number)s") % {"number": case.number}
            )
            return redirect(case)
    return render(
        request, "enforcement/case_form.html", {"form": form, "patrol": patrol}
    )


class CaseListView(FilteredListView):
    selector = selectors.case_list
    filterset_class = CaseFilterSet
    template_name = "enforcement/case_list.html"
    permission_required = "enforcement.view_case"


class NoticeDueListView(FilteredListView):
    """整改通知书, by default those due for re-inspection."""

    selector = selectors.notice_list
    filterset_class = RectificationNoticeFilterSet
    template_name = "enforcement/notice_list.html"
    permission_required = "enforcement.view_rectificationnotice"

    def get_context_data(self, **kwargs):
        if "due" not in self.request.GET:
            self.request.GET = self.request.GET.copy()
            self.request.GET["due"] = "true"
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


def _case_context(request, case, forms=None):
    forms = forms or {}
    verb_forms = [
        (
            step.verb,
            step.label,
            forms.get(step.verb)
            or VERB_FORMS[step.verb](initial=_verb_initial(case, step.verb)),
        )
        for step in case_steps_for(case, request.user)
    ]
    notice = getattr(case, "notice", None) if _has_notice(case) else None
    return {
        "case": case,
        "notice": notice,
        "reinspections": notice.reinspections.select_related("inspector")
        if notice
        else [],
        "disposals": case.disposals.all(),
        "steps": case.steps.select_related("actor"),
        "verb_forms": verb_forms,
        "photos": case.photos.all(),
        "may_write": scoping.may_write(request.user, case),
    }


def _verb_initial(case, verb):
    if verb == "issue_notice":
        return {"served_to": case.subject.representative or case.subject.name}
    return {}


def _has_notice(case) -> bool:
    from enforcement.models import RectificationNotice

    try:
        case.notice  # noqa: B018
    except RectificationNotice.DoesNotExist:
        return False
    return True


@login_required
def case_detail(request, pk):
    _need(request.user, "enforcement.view_case")
    case = _get(selectors.case_list(user=request.user), pk)
    return render(request, "enforcement/case_detail.html", _case_context(request, case))


VERB_ACTIONS = {
    "issue_notice": actions.notice_issue,
    "reinspect": actions.reinspection_record,
    "dispose": actions.disposal_record,
    "close": actions.case_close,
    "cancel": actions.case_cancel,
}


@login_required
def case_verb(request, pk, verb):
    """POST a transition form. Input errors (the form's, or an action's error about
    a field) re-render the case page with the form; an error about the case itself
    (its state, a stale version) is a message and a redirect to the case, so a
    refresh does not post again."""
    verb = verb.replace("-", "_")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if verb not in VERB_ACTIONS:
        raise Http404
    case = _get(selectors.case_workable(user=request.user), pk)
    form = VERB_FORMS[verb](request.POST)
    if form.is_valid():
        try:
            VERB_ACTIONS[verb](
                actor=request.user,
                case=case,
                expected_version=request.POST.get("version"),
                **form.cleaned_data,
            )
        except DomainError as error:
            show_domain_error(form, error)
            messages.error(request, domain_error_text(error))
            if not set(form.errors) - {NON_FIELD_ERRORS}:
                return redirect(case)
        else:
            messages.success(request, VERB_DONE[verb])
            return redirect(case)
    case = _get(selectors.case_list(user=request.user), pk)
    context = _case_context(request, case, {verb: form})
    return render(request, "enforcement/case_detail.html", context, status=400)


@login_required
def notice_pdf(request, pk):
    _need(request.user, "enforcement.view_rectificationnotice")
    notice = _get(selectors.notice_list(user=request.user), pk)
    from django.http import FileResponse

    response = FileResponse(
        notice.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"{notice.number}.pdf",
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline"
    )
    response["X-Content-SHA256"] = notice.pdf_sha256
    return response


@login_required
def case_photo_add(request, pk):
    """Upload an evidence photo to the case (multipart form)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _need(request.user, "enforcement.add_evidencephoto")
    case = _get(selectors.case_workable(user=request.user), pk)
    form = EvidencePhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.evidence_photo_add(
                actor=request.user, case=case, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, _("Evidence photo added."))
    else:
        messages.error(request, form_errors_text(form))
    return redirect(case)


@login_required
def case_photo(request, pk, photo_pk):
    """An evidence photo, served only to those who may see the case."""
    from django.http import FileResponse

    _need(request.user, "enforcement.view_case")
    case = _get(selectors.case_list(user=request.user), pk)
    photo = case.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return FileResponse(photo.image.open("rb"))


@login_required
def patrol_photo_add(request, pk):
    """Upload a photo to the patrol record (multipart form)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _need(request.user, "enforcement.add_patrolphoto")
    patrol = _get(selectors.patrol_workable(user=request.user), pk)
    form = EvidencePhotoForm(request.POST, request.FILES)
    if form.is_valid():
        actions.patrol_photo_add(actor=request.user, patrol=patrol, **form.cleaned_data)
        messages.success(request, _("Patrol photo added."))
    else:
        messages.error(request, form_errors_text(form))
    return redirect(patrol)


@login_required
def patrol_photo(request, pk, photo_pk):
    from django.http import FileResponse

    _need(request.user, "enforcement.view_patrol")
    patrol = _get(selectors.patrol_list(user=request.user), pk)
    photo = patrol.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    return FileResponse(photo.image.open("rb"))

"""Staff pages of the volunteer register: permission → selector → form → action."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from core.errors import DomainError
from core.middleware import domain_error_text
from core.views import FilteredListView, form_errors_text, show_domain_error
from volunteers import actions, selectors
from volunteers.choices import ACTIVITY_WORKFLOW, ActivityStatus
from volunteers.filters import ActivityFilterSet, TeamFilterSet, VolunteerFilterSet
from volunteers.forms import (
    HOURS_ROWS,
    ActivityForm,
    CertificateForm,
    DonationForm,
    HoursFormSet,
    LeaveForm,
    MembershipForm,
    PhotoForm,
    PlanForm,
    PlanItemFormSet,
    TeamForm,
    VolunteerForm,
)


class Staff(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "volunteers.view_team"


def seen_version(request, obj):
    """The version the form was made from: posted back in its hidden ``version``
    field (checked by the action on the locked row), or the record's own."""
    if obj is None:
        return None
    if request.method == "POST":
        return request.POST.get("version") or None
    return obj.version


def parse_year(request, default: int | None = None) -> int:
    try:
        year = int(request.GET.get("year", ""))
        if 2000 <= year <= 2100:
            return year
    except ValueError:
        pass
    return default or selectors.default_report_year()


# --- teams ----------------------------------------------------------------------


class TeamListView(FilteredListView):
    selector = staticmethod(selectors.team_list)
    filterset_class = TeamFilterSet
    template_name = "volunteers/team_list.html"
    permission_required = "volunteers.view_team"


class TeamFormView(Staff):
    permission_required = "volunteers.add_team"
    template_name = "volunteers/team_form.html"

    def get_team(self):
        pk = self.kwargs.get("pk")
        return selectors.team_get(user=self.request.user, pk=pk) if pk else None

    def get(self, request, pk=None):
        team = self.get_team()
        form = TeamForm(instance=team)
        return self.show(request, form, team)

    def show(self, request, form, team):
        return render(
            request,
            self.template_name,
            {"form": form, "team": team, "version": seen_version(request, team)},
        )

    def post(self, request, pk=None):
        team = self.get_team()
        if team is not None and not request.user.has_perm("volunteers.change_team"):
            raise PermissionDenied
        form = TeamForm(request.POST, request.FILES, instance=team)
        if form.is_valid():
            data = dict(form.cleaned_data)
            categories = data.pop("categories")
            for name in ("flag", "logo"):
                if data[name] is None:  # nothing uploaded: keep what there is
                    data.pop(name)
                elif data[name] is False:  # "clear" ticked
                    data[name] = ""
            try:
                if team is None:
                    team = actions.team_create(
                        actor=request.user, categories=categories, **data
                    )
                    messages.success(
                        request, _("Team “%(name)s” set up.") % {"name": team.name}
                    )
                else:
                    team = actions.team_update(
                        actor=request.user,
                        team=team,
                        expected_version=seen_version(request, team),
                        categories=categories,
                        **data,
                    )
                    messages.success(request, _("Team details saved."))
                return redirect(team.get_absolute_url())
            except DomainError as error:
                show_domain_error(form, error)
        return self.show(request, form, team)


class TeamDetailView(Staff):
    def get(self, request, pk):
        team = selectors.team_get(user=request.user, pk=pk)
        # Without ?year=, the team's latest plan year (or this year).
        latest = team.plans.order_by("-year").values_list("year", flat=True).first()
        year = parse_year(request, latest or timezone.localdate().year)
        memberships = list(
            team.memberships.select_related("volunteer").order_by(
                "left_on", "role", "joined_on", "pk"
            )
        )
        plan = (
            selectors.plan_list(user=request.user).filter(team=team, year=year).first()
        )
        activities = list(
            selectors.activity_list(user=request.user).filter(team=team)[:20]
        )
        return render(
            request,
            "volunteers/team_detail.html",
            {
                "team": team,
                "year": year,
                "current": [m for m in memberships if m.left_on is None],
                "former": [m for m in memberships if m.left_on is not None],
                "plan": plan,
                "activities": activities,
                "member_form": MembershipForm(),
            },
        )


class MembershipAddView(Staff):
    permission_required = "volunteers.add_membership"

    def post(self, request, pk):
        team = selectors.team_get(user=request.user, pk=pk)
        form = MembershipForm(request.POST)
        if form.is_valid():
            try:
                membership = actions.membership_add(
                    actor=request.user, team=team, **form.cleaned_data
                )
                messages.success(
                    request,
                    _("%(name)s has joined the team.")
                    % {"name": membership.volunteer.name},
                )
            except DomainError as error:
                messages.error(request, domain_error_text(error))
        else:
            messages.error(request, form_errors_text(form))
        return redirect(team.get_absolute_url())


class MembershipEndView(Staff):
    permission_required = "volunteers.change_membership"

    def post(self, request, pk):
        membership = get_object_or_404(
            selectors.membership_list(user=request.user), pk=pk
        )
        form = LeaveForm(request.POST)
        left_on = form.cleaned_data["left_on"] if form.is_valid() else None
        try:
            actions.membership_end(
                actor=request.user,
                membership=membership,
                expected_version=seen_version(request, membership),
                left_on=left_on,
            )
            messages.success(
                request,
                _("%(name)s has left the team.") % {"name": membership.volunteer.name},
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        return redirect(membership.team.get_absolute_url())


# Rows left as they were (an untouched month, a blank spare row) are skipped.
PLAN_ROW_KWARGS = {"empty_permitted": True, "use_required_attribute": False}


class PlanEditView(Staff):
    permission_required = "volunteers.add_annualplan"
    template_name = "volunteers/plan_form.html"

    def context(self, team, year):
        return {"team": team, "year": year}

    def get(self, request, pk, year):
        team = selectors.team_get(user=request.user, pk=pk)
        plan = (
            selectors.plan_list(user=request.user).filter(team=team, year=year).first()
        )
        items = list(plan.items.all()) if plan else []
        initial = [
            {
                "id": item.pk,
                "month": item.month,
                "category": item.category_id,
                "title": item.title,
                "expected_participants": item.expected_participants,
            }
            for item in items
        ]
        if not initial:  # a fresh plan: one row per month to fill in
            initial = [{"month": m} for m in range(1, 13)]
        initial += [{} for _row in range(3)]
        formset = PlanItemFormSet(
            initial=initial, prefix="items", form_kwargs=PLAN_ROW_KWARGS
        )
        form = PlanForm(
            initial={
                "made_on": plan.made_on if plan else timezone.localdate(),
                "note": plan.note if plan else "",
            }
        )
        return self.show(request, team, year, plan, form, formset)

    def show(self, request, team, year, plan, form, formset):
        return render(
            request,
            self.template_name,
            {
                "team": team,
                "year": year,
                "plan": plan,
                "version": seen_version(request, plan),
                "form": form,
                "formset": formset,
            },
        )

    def post(self, request, pk, year):
        team = selectors.team_get(user=request.user, pk=pk)
        plan = (
            selectors.plan_list(user=request.user).filter(team=team, year=year).first()
        )
        form = PlanForm(request.POST)
        formset = PlanItemFormSet(
            request.POST, prefix="items", form_kwargs=PLAN_ROW_KWARGS
        )
        if form.is_valid() and formset.is_valid():
            items = []
            for row in formset.forms:
                data = row.cleaned_data
                if not data or (not data.get("id") and not data.get("title")):
                    continue
                items.append(
                    {
                        "id": data.get("id"),
                        "delete": data.get("DELETE", False),
                        "month": data.get("month"),
                        "category": data.get("category"),
                        "title": data.get("title"),
                        "expected_participants": data.get("expected_participants") or 0,
                    }
                )
            try:
                actions.plan_save(
                    actor=request.user,
                    team=team,
                    year=year,
                    items=items,
                    made_on=form.cleaned_data["made_on"],
                    note=form.cleaned_data["note"],
                    expected_version=seen_version(request, plan),
                )
                messages.success(
                    request, _("Annual plan for %(year)s saved.") % {"year": year}
                )
                return redirect(
                    reverse("volunteers:team-detail", args=[team.pk]) + f"?year={year}"
                )
            except DomainError as error:
                show_domain_error(form, error)
        return self.show(request, team, year, plan, form, formset)


# --- activities -----------------------------------------------------------------


class ActivityListView(FilteredListView):
    selector = staticmethod(selectors.activity_list)
    filterset_class = ActivityFilterSet
    template_name = "volunteers/activity_list.html"
    permission_required = "volunteers.view_activity"


class ActivityFormView(Staff):
    permission_required = "volunteers.add_activity"
    template_name = "volunteers/activity_form.html"

    def objects(self, request, pk=None, team_pk=None):
        if pk:
            activity = get_object_or_404(
                selectors.activity_list(user=request.user), pk=pk
            )
            return activity.team, activity
        return selectors.team_get(user=request.user, pk=team_pk), None

    def get(self, request, pk=None, team_pk=None):
        team, activity = self.objects(request, pk, team_pk)
        initial = {}
        if activity is None:
            start = timezone.localtime().replace(minute=0, second=0, microsecond=0)
            initial = {
                "starts_at": start,
                "ends_at": start + datetime.timedelta(hours=2),
            }
        form = ActivityForm(instance=activity, team=team, initial=initial)
        return self.show(request, form, team, activity)

    def show(self, request, form, team, activity):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "team": team,
                "activity": activity,
                "version": seen_version(request, activity),
            },
        )

    def post(self, request, pk=None, team_pk=None):
        team, activity = self.objects(request, pk, team_pk)
        form = ActivityForm(request.POST, instance=activity, team=team)
        if form.is_valid():
            data = dict(form.cleaned_data)
            co_teams = data.pop("co_teams")
            co_organisations = data.pop("co_organisations")
            try:
                if activity is None:
                    activity = actions.activity_create(
                        actor=request.user,
                        team=team,
                        co_teams=co_teams,
                        co_organisations=co_organisations,
                        **data,
                    )
                    messages.success(request, _("Activity recorded."))
                else:
                    activity = actions.activity_update(
                        actor=request.user,
                        activity=activity,
                        expected_version=seen_version(request, activity),
                        co_teams=co_teams,
                        co_organisations=co_organisations,
                        **data,
                    )
                    messages.success(request, _("Activity saved."))
                return redirect(activity.get_absolute_url())
            except DomainError as error:
                show_domain_error(form, error)
        return self.show(request, form, team, activity)


class ActivityDetailView(Staff):
    permission_required = "volunteers.view_activity"

    def get(self, request, pk):
        activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
        participations = list(
            activity.participations.select_related("volunteer").order_by("pk")
        )
        return render(
            request,
            "volunteers/activity_detail.html",
            {
                "activity": activity,
                "participations": participations,
                "total_hours": sum(p.hours for p in participations),
                "donations": list(activity.donations.all()),
                "donation_total": sum(d.value for d in activity.donations.all()),
                "photos": list(activity.photos.all()),
                "donation_form": DonationForm(
                    initial={"received_on": timezone.localdate()}
                ),
                "photo_form": PhotoForm(),
                # The steps the engine would take for this user now.
                "steps": ACTIVITY_WORKFLOW.allowed(activity, request.user),
            },
        )


class ActivityTransitionView(Staff):
    permission_required = "volunteers.change_activity"

    def post(self, request, pk, verb):
        activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
        if verb not in ACTIVITY_WORKFLOW:
            raise Http404
        try:
            activity = actions.activity_transition(
                actor=request.user,
                activity=activity,
                verb=verb,
                expected_version=seen_version(request, activity),
            )
            messages.success(
                request,
                _("Activity status: %(status)s")
                % {"status": activity.get_status_display()},
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        return redirect(activity.get_absolute_url())


class HoursEntryView(Staff):
    """Hours of a whole activity in one form: existing rows plus blanks up to 30+."""

    permission_required = "volunteers.add_participation"
    template_name = "volunteers/hours_form.html"

    def get(self, request, pk):
        activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
        initial = [
            # 志愿者编号, not the 身份证号: the page must not show ID numbers in full.
            {"volunteer": p.volunteer.number, "hours": p.hours, "note": p.note}
            for p in activity.participations.select_related("volunteer").order_by("pk")
        ]
        initial += [{} for _row in range(max(HOURS_ROWS - len(initial), 5))]
        formset = HoursFormSet(initial=initial, prefix="rows")
        return self.show(request, activity, formset)

    def show(self, request, activity, formset, status=200):
        return render(
            request,
            self.template_name,
            {
                "activity": activity,
                "formset": formset,
                "version": seen_version(request, activity),
            },
            status=status,
        )

    def post(self, request, pk):
        activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
        formset = HoursFormSet(request.POST, prefix="rows")
        if not formset.is_valid():
            return self.show(request, activity, formset, status=400)
        rows, remove, forms_by_row = [], [], []
        for form in formset.forms:
            data = form.cleaned_data
            volunteer = data.get("volunteer_obj")
            if volunteer is None:
                continue
            if data.get("remove"):
                remove.append(volunteer)
                continue
            rows.append(
                {"volunteer": volunteer, "hours": data["hours"], "note": data["note"]}
            )
            forms_by_row.append(form)
        try:
            saved = actions.participations_record(
                actor=request.user,
                activity=activity,
                rows=rows,
                remove=remove,
                expected_version=seen_version(request, activity),
            )
        except DomainError as error:
            for item in error.errors:
                field = item.get("field") or ""
                if field.startswith("rows["):
                    index = int(field[5 : field.index("]")])
                    name = field.split(".")[-1]
                    forms_by_row[index].add_error(
                        name if name in ("hours", "volunteer") else None,
                        item["message"],
                    )
            if not error.errors or not any(
                (i.get("field") or "").startswith("rows[") for i in error.errors
            ):
                formset.forms[0].add_error(None, domain_error_text(error))
            return self.show(request, activity, formset, status=400)
        messages.success(
            request,
            ngettext(
                "Service hours recorded for %(count)s volunteer.",
                "Service hours recorded for %(count)s volunteers.",
                len(saved),
            )
            % {"count": len(saved)},
        )
        return redirect(activity.get_absolute_url())


class DonationAddView(Staff):
    permission_required = "volunteers.add_donation"

    def post(self, request, pk):
        activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
        form = DonationForm(request.POST)
        if form.is_valid():
            try:
                actions.donation_record(
                    actor=request.user,
                    activity=activity,
                    team=activity.team,
                    **form.cleaned_data,
                )
                messages.success(request, _("Donation recorded."))
            except DomainError as error:
                messages.error(request, domain_error_text(error))
        else:
            messages.error(request, form_errors_text(form))
        return redirect(activity.get_absolute_url())


class PhotoAddView(Staff):
    permission_required = "volunteers.add_activityphoto"

    def post(self, request, pk):
        activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
        form = PhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                actions.photo_add(
                    actor=request.user, activity=activity, **form.cleaned_data
                )
                messages.success(request, _("Photo uploaded."))
            except DomainError as error:
                messages.error(request, domain_error_text(error))
        else:
            messages.error(request, form_errors_text(form))
        return redirect(activity.get_absolute_url())


# --- volunteers and certificates ------------------------------------------------


class VolunteerListView(FilteredListView):
    selector = staticmethod(selectors.volunteer_list)
    filterset_class = VolunteerFilterSet
    template_name = "volunteers/volunteer_list.html"
    permission_required = "volunteers.view_volunteer"


class VolunteerFormView(Staff):
    permission_required = "volunteers.add_volunteer"
    template_name = "volunteers/volunteer_form.html"

    def get_volunteer(self):
        pk = self.kwargs.get("pk")
        if not pk:
            return None
        return get_object_or_404(
            selectors.volunteer_list(user=self.request.user), pk=pk
        )

    def get(self, request, pk=None):
        volunteer = self.get_volunteer()
        return self.show(
            request, VolunteerForm(instance=volunteer, user=request.user), volunteer
        )

    def show(self, request, form, volunteer):
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "volunteer": volunteer,
                "version": seen_version(request, volunteer),
            },
        )

    def post(self, request, pk=None):
        volunteer = self.get_volunteer()
        form = VolunteerForm(request.POST, instance=volunteer, user=request.user)
        if form.is_valid():
            try:
                if volunteer is None:
                    volunteer = actions.volunteer_create(
                        actor=request.user, **form.cleaned_data
                    )
                    messages.success(
                        request,
                        _("Volunteer %(name)s registered.") % {"name": volunteer.name},
                    )
                else:
                    volunteer = actions.volunteer_update(
                        actor=request.user,
                        volunteer=volunteer,
                        expected_version=seen_version(request, volunteer),
                        **form.cleaned_data,
                    )
                    messages.success(request, _("Volunteer details saved."))
                return redirect(volunteer.get_absolute_url())
            except DomainError as error:
                show_domain_error(form, error)
        return self.show(request, form, volunteer)


class VolunteerDetailView(Staff):
    permission_required = "volunteers.view_volunteer"

    def get(self, request, pk, form=None):
        volunteer = get_object_or_404(
            selectors.volunteer_list(user=request.user), pk=pk
        )
        participations = list(
            volunteer.participations.select_related(
                "activity", "activity__team", "activity__category"
            ).order_by("-activity__starts_at")[:100]
        )
        today = timezone.localdate()
        return render(
            request,
            "volunteers/volunteer_detail.html",
            {
                "volunteer": volunteer,
                "memberships": list(
                    volunteer.memberships.select_related("team").order_by("-joined_on")
                ),
                "participations": participations,
                "held_hours": sum(
                    p.hours
                    for p in participations
                    if p.activity.status == ActivityStatus.HELD
                ),
                "certificates": list(volunteer.certificates.order_by("-pk")),
                "certificate_form": form
                or CertificateForm(
                    initial={
                        "period_start": today.replace(month=1, day=1),
                        "period_end": today,
                    }
                ),
            },
            status=400 if form is not None else 200,
        )


class CertificateIssueView(Staff):
    permission_required = "volunteers.add_certificate"

    def post(self, request, pk):
        volunteer = get_object_or_404(
            selectors.volunteer_list(user=request.user), pk=pk
        )
        form = CertificateForm(request.POST)
        if form.is_valid():
            try:
                certificate = actions.certificate_issue(
                    actor=request.user, volunteer=volunteer, **form.cleaned_data
                )
                return redirect(certificate.get_absolute_url())
            except DomainError as error:
                show_domain_error(form, error)
        return VolunteerDetailView().get(request, pk=pk, form=form)


class CertificatePdfView(Staff):
    permission_required = "volunteers.view_certificate"

    def get(self, request, pk):
        certificate = get_object_or_404(
            selectors.certificate_list(user=request.user), pk=pk
        )
        response = FileResponse(
            certificate.pdf.open("rb"),
            content_type="application/pdf",
            filename=_("service-hours-certificate-%(serial)s.pdf")
            % {"serial": certificate.serial},
            as_attachment=False,
        )
        response["X-Content-SHA256"] = certificate.sha256
        return response


# --- reports --------------------------------------------------------------------


class ComplianceView(Staff):
    permission_required = "volunteers.view_team"

    def get(self, request):
        year = parse_year(request)
        report = selectors.compliance_report(user=request.user, year=year)
        show_all = request.GET.get("all") == "1"
        return render(
            request,
            "volunteers/compliance.html",
            {
                "report": report,
                "year": year,
                "years": selectors.report_years(),
                "show_all": show_all,
                "teams": report.teams if show_all else report.failing_teams,
            },
        )


class TotalsView(Staff):
    permission_required = "volunteers.view_activity"

    def get(self, request):
        year = parse_year(request)
        return render(
            request,
            "volunteers/totals.html",
            {
                "totals": selectors.totals_report(user=request.user, year=year),
                "year": year,
                "years": selectors.report_years(),
            },
        )

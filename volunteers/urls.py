"""Page routes of the volunteer register."""

from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("teams/", views.TeamListView.as_view(), name="team-list"),
    path("teams/new/", views.TeamFormView.as_view(), name="team-create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team-detail"),
    path("teams/<int:pk>/edit/", views.TeamFormView.as_view(), name="team-update"),
    path(
        "teams/<int:pk>/members/",
        views.MembershipAddView.as_view(),
        name="membership-add",
    ),
    path(
        "memberships/<int:pk>/end/",
        views.MembershipEndView.as_view(),
        name="membership-end",
    ),
    path(
        "teams/<int:pk>/plans/<int:year>/",
        views.PlanEditView.as_view(),
        name="plan-edit",
    ),
    path(
        "teams/<int:team_pk>/activities/new/",
        views.ActivityFormView.as_view(),
        name="activity-create",
    ),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path(
        "activities/<int:pk>/",
        views.ActivityDetailView.as_view(),
        name="activity-detail",
    ),
    path(
        "activities/<int:pk>/edit/",
        views.ActivityFormView.as_view(),
        name="activity-update",
    ),
    path(
        "activities/<int:pk>/hours/",
        views.HoursEntryView.as_view(),
        name="activity-hours",
    ),
    path(
        "activities/<int:pk>/status/<slug:verb>/",
        views.ActivityTransitionView.as_view(),
        name="activity-transition",
    ),
    path(
        "activities/<int:pk>/donations/",
        views.DonationAddView.as_view(),
        name="donation-add",
    ),
    path("activities/<int:pk>/photos/", views.PhotoAddView.as_view(), name="photo-add"),
    path("volunteers/", views.VolunteerListView.as_view(), name="volunteer-list"),
    path("volunteers/new/", views.VolunteerFormView.as_view(), name="volunteer-create"),
    path(
        "volunteers/<int:pk>/",
        views.VolunteerDetailView.as_view(),
        name="volunteer-detail",
    ),
    path(
        "volunteers/<int:pk>/edit/",
        views.VolunteerFormView.as_view(),
        name="volunteer-update",
    ),
    path(
        "volunteers/<int:pk>/certificates/",
        views.CertificateIssueView.as_view(),
        name="certificate-issue",
    ),
    path(
        "certificates/<int:pk>.pdf",
        views.CertificatePdfView.as_view(),
        name="certificate-pdf",
    ),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("totals/", views.TotalsView.as_view(), name="totals"),
]

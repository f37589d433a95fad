"""Page routes of the services register: applications."""

from django.urls import path

from services.views import applications as views

urlpatterns: list = [
    path(
        "applications/", views.ApplicationQueueView.as_view(), name="application-queue"
    ),
    path(
        "applications/all/",
        views.ApplicationListView.as_view(),
        name="application-list",
    ),
    path(
        "applications/near-due/",
        views.NearDueListView.as_view(),
        name="application-near-due",
    ),
    path(
        "applications/overdue/",
        views.OverdueListView.as_view(),
        name="application-overdue",
    ),
    path("applications/new/", views.IntakeView.as_view(), name="application-create"),
    path(
        "applications/<int:pk>/",
        views.ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/materials/",
        views.MaterialUploadView.as_view(),
        name="application-material-upload",
    ),
    path(
        "applications/<int:pk>/evaluation/",
        views.EvaluationView.as_view(),
        name="application-evaluation",
    ),
    path(
        "applications/<int:pk>/documents/<str:kind>/",
        views.ApplicationDocumentView.as_view(),
        name="application-document",
    ),
    path(
        "applications/<int:pk>/<str:verb>/",
        views.ApplicationTransitionView.as_view(),
        name="application-transition",
    ),
    path(
        "evaluation-follow-ups/",
        views.FollowUpListView.as_view(),
        name="evaluation-followups",
    ),
    path(
        "evaluation-follow-ups/<int:pk>/answer/",
        views.FollowUpAnswerView.as_view(),
        name="evaluation-followup-answer",
    ),
    path("progress/", views.ProgressLookupView.as_view(), name="progress-lookup"),
]

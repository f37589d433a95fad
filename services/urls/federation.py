"""Page routes of the services register: federation (the outbox)."""

from django.urls import path

from services.views import federation as views

urlpatterns = [
    path("outbox/", views.OutboxMessageListView.as_view(), name="outbox-list"),
    path(
        "outbox/<int:pk>/",
        views.OutboxMessageDetailView.as_view(),
        name="outbox-detail",
    ),
    path(
        "outbox/<int:pk>/retry/",
        views.OutboxMessageRetryView.as_view(),
        name="outbox-retry",
    ),
]

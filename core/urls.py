from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path(
        "history/<str:app_label>/<str:model_name>/<int:pk>/",
        views.RecordHistoryView.as_view(),
        name="record-history",
    ),
    path(
        "reveal/<str:app_label>/<str:model_name>/<int:pk>/<str:field>/",
        views.SensitiveRevealView.as_view(),
        name="reveal",
    ),
    path("tokens/", views.TokenListView.as_view(), name="token-list"),
    path(
        "tokens/<str:prefix>/revoke/",
        views.TokenRevokeView.as_view(),
        name="token-revoke",
    ),
]

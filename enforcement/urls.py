from django.urls import path

from enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path(
        "campaigns/<int:pk>/<slug:verb>/",
        views.campaign_step,
        name="campaign-step",
    ),
    path(
        "campaigns/<int:campaign_pk>/patrols/new/",
        views.patrol_create,
        name="patrol-create",
    ),
    path("patrols/<int:pk>/", views.patrol_detail, name="patrol-detail"),
    path("patrols/<int:pk>/photos/", views.patrol_photo_add, name="patrol-photo-add"),
    path(
        "patrols/<int:pk>/photos/<int:photo_pk>/",
        views.patrol_photo,
        name="patrol-photo",
    ),
    path("patrols/<int:patrol_pk>/cases/new/", views.case_create, name="case-create"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/photos/", views.case_photo_add, name="case-photo-add"),
    path(
        "cases/<int:pk>/photos/<int:photo_pk>/",
        views.case_photo,
        name="case-photo",
    ),
    path("cases/<int:pk>/<slug:verb>/", views.case_verb, name="case-verb"),
    path("notices/", views.NoticeDueListView.as_view(), name="notice-list"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice-pdf"),
]

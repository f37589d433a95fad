"""Page routes of the services register: catalogue (staff) and its public pages."""

from django.urls import path

from services.views import catalogue as views

urlpatterns = [
    path("matters/", views.MatterListView.as_view(), name="matter-list"),
    path("matters/export/", views.MatterExportView.as_view(), name="matter-export"),
    path("matters/<int:pk>/", views.MatterDetailView.as_view(), name="matter-detail"),
    path(
        "matters/<int:pk>/<str:verb>/",
        views.MatterTransitionView.as_view(),
        name="matter-transition",
    ),
    path("agreements/", views.AgreementListView.as_view(), name="agreement-list"),
    path(
        "agreements/<int:pk>/",
        views.AgreementDetailView.as_view(),
        name="agreement-detail",
    ),
    path(
        "agreements/<int:pk>/export/",
        views.AgreementExportView.as_view(),
        name="agreement-export",
    ),
    path("bundles/", views.BundleListView.as_view(), name="bundle-list"),
    path("bundles/<int:pk>/", views.BundleDetailView.as_view(), name="bundle-detail"),
    path("public/", views.PublicIndexView.as_view(), name="public-index"),
    path(
        "public/agreements/<int:pk>/",
        views.PublicAgreementListView.as_view(),
        name="public-agreement-list",
    ),
    path(
        "public/matters/<int:pk>/",
        views.PublicMatterGuideView.as_view(),
        name="public-matter-guide",
    ),
]

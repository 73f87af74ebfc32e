from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("new/", views.claim_create, name="claim_create"),
    path("<int:pk>/", views.claim_detail, name="claim_detail"),
    path("<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("<int:pk>/delete/", views.claim_delete, name="claim_delete"),
    path("<int:pk>/figures/add/", views.figure_add, name="figure_add"),
    path("figures/<int:pk>/edit/", views.figure_edit, name="figure_edit"),
    path("figures/<int:pk>/remove/", views.figure_remove, name="figure_remove"),
    path("<int:pk>/verdict/", views.verdict_create, name="verdict_create"),
    path("verdicts/<int:pk>/review/", views.verdict_review, name="verdict_review"),
    path("evidence-search/", views.evidence_search, name="evidence_search"),
    path("discrepancies/", views.discrepancies, name="discrepancies"),
    path("export/", views.claims_export, name="claims_export"),
    path("period/", views.period_check, name="period_check"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/export/", views.points_export, name="points_export"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("indicators/<int:pk>/points/new/", views.point_create, name="point_create"),
    path("points/<int:pk>/edit/", views.point_edit, name="point_edit"),
    path("points/<int:pk>/delete/", views.point_delete, name="point_delete"),
]

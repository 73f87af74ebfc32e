from django.urls import path

from . import views

app_name = "trials"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/delete/", views.case_delete, name="case_delete"),
    path("cases/<int:pk>/defendants/new/", views.defendant_add, name="defendant_add"),
    path("defendants/<int:pk>/edit/", views.defendant_edit, name="defendant_edit"),
    path("defendants/<int:pk>/remove/", views.defendant_remove, name="defendant_remove"),
    path("cases/<int:pk>/hearings/new/", views.hearing_create, name="hearing_create"),
    path("cases/<int:pk>/report/", views.case_report, name="case_report"),
    path("courts/", views.court_list, name="court_list"),
    path("courts/new/", views.court_create, name="court_create"),
    path("courts/<int:pk>/edit/", views.court_edit, name="court_edit"),
    path("courts/<int:pk>/delete/", views.court_delete, name="court_delete"),
    path("hearings/<int:pk>/", views.hearing_detail, name="hearing_detail"),
    path("hearings/<int:pk>/edit/", views.hearing_edit, name="hearing_edit"),
    path("hearings/<int:pk>/assign/", views.hearing_assign, name="hearing_assign"),
    path("hearings/<int:pk>/observe/", views.observe, name="observe"),
    path("assignments/<int:pk>/remove/", views.assignment_remove, name="assignment_remove"),
    path("my-hearings/", views.my_hearings, name="my_hearings"),
    path("schedule/", views.schedule, name="schedule"),
    path("calendar/", views.calendar, name="calendar"),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    path("observations/<int:pk>/answer/", views.observation_answer, name="observation_answer"),
    path("observations/<int:pk>/present/", views.observation_present, name="observation_present"),
    path("observations/<int:pk>/submit/", views.observation_submit, name="observation_submit"),
    path("observations/<int:pk>/review/", views.observation_review, name="observation_review"),
    path("review/", views.review_queue, name="review_queue"),
    path("findings/", views.findings_page, name="findings"),
    path("findings/drill/", views.findings_drill, name="findings_drill"),
    path("findings/export/", views.findings_export, name="findings_export"),
    path("answers/export/", views.answers_export, name="answers_export"),
    path("report/", views.programme_report, name="report"),
    path("checklists/", views.checklist_list, name="checklist_list"),
    path("checklists/import/", views.checklist_import, name="checklist_import"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist_detail"),
]

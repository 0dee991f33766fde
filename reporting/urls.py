"""Pages of ``reporting``, mounted under its prefix by portal.urls."""

from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("projects/<int:project_id>/", views.project_detail, name="project"),
    path("projects/<int:project_id>/kpi/<slug:code>/", views.evidence, name="evidence"),
    path("projects/<int:project_id>/reports/", views.report_create, name="report_create"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/generate/", views.report_generate, name="report_generate"),
    path("reports/<int:report_id>/issue/", views.report_issue, name="report_issue"),
    path("reports/<int:report_id>/progress/", views.report_progress, name="report_progress"),
    path(
        "reports/<int:report_id>/download/<str:kind>/",
        views.report_download,
        name="report_download",
    ),
]

"""Pages of ``operations_center``, mounted under its prefix by portal.urls."""

from django.urls import path

from . import views

app_name = "operations_center"
urlpatterns = [
    path("", views.chain_list, name="chains"),
    path("chains/<slug:slug>/", views.chain_landscape, name="chain"),
    path("chains/<slug:slug>/patents/", views.chain_patents, name="patents"),
    path("chains/<slug:slug>/export/", views.chain_export_view, name="chain_export"),
    path("chains/<slug:slug>/retag/", views.chain_retag, name="chain_retag"),
    path("chains/<slug:slug>/tags/<int:tag_id>/", views.tag_review_view, name="tag_review"),
    path("chains/<slug:slug>/report/", views.report_create, name="report_create"),
    path("runs/<int:run_id>/", views.tagging_run_status, name="run_status"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/pdf/", views.report_download, {"fmt": "pdf"}, name="report_pdf"),
    path(
        "reports/<int:report_id>/xlsx/", views.report_download, {"fmt": "xlsx"}, name="report_xlsx"
    ),
    path("events/", views.event_list, name="events"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/check-in/", views.event_checkin, name="event_checkin"),
]

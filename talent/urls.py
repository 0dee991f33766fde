"""Pages of ``talent``, mounted under its prefix by portal.urls."""

from django.urls import path

from . import views

app_name = "talent"
urlpatterns = [
    path("experts/", views.experts, name="experts"),
    # Linked by name from matching's need staff page (matching never imports talent).
    path("experts/need/<int:need_id>/", views.need_experts, name="need_experts"),
    path("<int:pk>/", views.profile, name="profile"),
    path("<int:pk>/export.csv", views.profile_export, name="profile_export"),
    path("<int:pk>/objection/", views.objection, name="objection"),
    path("<int:pk>/correct/<str:action>/", views.correct, name="correct"),
    path("review/", views.review_queue, name="review"),
    path("review/<int:pk>/confirm/", views.link_confirm, name="link_confirm"),
    path("objections/", views.objections, name="objections"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("supply/", views.supply_directory, name="supply"),
    path("supply/<int:pk>/", views.supply_detail, name="supply_detail"),
    path("training/enrollments/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
]

"""Pages of ``alliances``, mounted under its prefix by portal.urls."""

from django.urls import path

from . import views

app_name = "alliances"
urlpatterns = [
    path("", views.alliance_list, name="list"),
    path("<int:alliance_id>/", views.alliance_detail, name="detail"),
]

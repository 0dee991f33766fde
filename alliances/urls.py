"""Pages of ``alliances``, mounted under its prefix by portal.urls."""

from django.urls import path

from . import views

app_name = "alliances"
urlpatterns = [
    path("", views.alliance_list, name="list"),
    path("<int:alliance_id>/", views.alliance_detail, name="detail"),
    path("<int:alliance_id>/edit/", views.alliance_edit, name="edit"),
    path("<int:alliance_id>/members/", views.member_add, name="member_add"),
    path(
        "<int:alliance_id>/members/<int:member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("<int:alliance_id>/pools/", views.pool_create, name="pool_create"),
    path("pools/<int:pool_id>/", views.pool_detail, name="pool"),
    path("pools/<int:pool_id>/patents/", views.contribution_add, name="contribution_add"),
    path(
        "pools/<int:pool_id>/patents/<int:contribution_id>/withdraw/",
        views.contribution_withdraw,
        name="contribution_withdraw",
    ),
    path("pools/<int:pool_id>/licences/", views.licence_grant, name="licence_grant"),
    path(
        "pools/<int:pool_id>/licences/<int:licence_id>/cancel/",
        views.licence_cancel,
        name="licence_cancel",
    ),
    path(
        "pools/<int:pool_id>/licences/<int:licence_id>/link/",
        views.licence_link,
        name="licence_link",
    ),
]

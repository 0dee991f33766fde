from django.urls import path

from . import views

app_name = "patents"
urlpatterns = [
    # Before the catch-all publication number route.
    path("search/", views.search, name="search"),
    path("search/saved/", views.saved_searches, name="saved_searches"),
    path("search/saved/new/", views.saved_search_save, name="saved_search_save"),
    path("<str:publication_number>/", views.patent_detail, name="detail"),
]

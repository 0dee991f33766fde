from django.urls import path

from . import views

app_name = "patents"
urlpatterns = [
    path("<str:publication_number>/", views.patent_detail, name="detail"),
]

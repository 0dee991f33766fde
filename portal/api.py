"""The single API router: each app adds its viewsets through ``<app>.api.routes``.

Apps register themselves rather than being listed viewset by viewset here, so
adding an endpoint never touches the project package.
"""

from importlib import import_module

from rest_framework.routers import DefaultRouter

API_APPS = (
    "patents",
    "matching",
    "operations_center",
    "alliances",
    "openlicense",
    "trading",
    "talent",
    "reporting",
)

router = DefaultRouter()
for _app in API_APPS:
    import_module(f"{_app}.api.routes").register(router)

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Production refuses to start insecurely: the system checks at error level
# (portal.checks.production_is_safe) run before gunicorn serves a request.
from portal.checks import run_production_checks  # noqa: E402

run_production_checks()

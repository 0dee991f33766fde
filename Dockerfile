# Production image of the portal: one image for web, Celery worker and beat.
# (Not runnable on the development machines, which have no Docker; kept short
# and correct for the operations team.)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PORTAL_ENVIRONMENT=production
# WeasyPrint's native libraries, CJK fonts for PDFs, gettext for compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install . \
 && useradd --system --home /app portal \
 && mkdir -p /app/var/media \
 && chown -R portal /app/var

# collectstatic needs no database; a throwaway key only for this build step.
RUN SECRET_KEY=build-only PORTAL_ENVIRONMENT=build python manage.py collectstatic --noinput -v0

USER portal
EXPOSE 8000
# Behind nginx (docker-compose.yml): nginx buffers slow clients and bodies, so the
# sync workers only ever talk to it. Workers: WEB_CONCURRENCY (gunicorn reads it);
# more than one needs REDIS_URL (portal.E017). portal.wsgi refuses to start on
# an unsafe production configuration.
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--timeout", "60", \
     "--graceful-timeout", "30", "--max-requests", "2000", "--max-requests-jitter", "200"]

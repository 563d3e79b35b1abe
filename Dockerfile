# MECC Portal: one image for the web server (gunicorn), the Celery worker and beat, and the
# one-off `migrate` job in docker-compose.yml. Every setting comes from the environment
# (see .env.example and the README).
FROM python:3.11-slim

# PYTHONPATH: the code in /app, not the copy `pip install .` puts in site-packages, is what
# runs, because settings.BASE_DIR (templates/, static/, var/) comes from where it is imported.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=mecc_portal.settings \
    PYTHONPATH=/app

WORKDIR /app

RUN groupadd --system --gid 10001 mecc \
    && useradd --system --uid 10001 --gid mecc --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin mecc

# Dependencies first, read from pyproject.toml alone, so a code change reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
       > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project itself, without the dev extras (tests, linters, Playwright).
COPY . .
RUN pip install . && rm -rf build *.egg-info

# DEBUG off needs a SECRET_KEY and ALLOWED_HOSTS just to load the settings. These values
# exist only for this RUN line (not in the image's environment) and sign nothing.
# VAR_DIR points at /tmp so the settings do not create root-owned folders under /app/var.
RUN DEBUG=false SECRET_KEY=build-only-collectstatic-not-a-secret ALLOWED_HOSTS=build.invalid \
    FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1jb2xsZWN0c3RhdGljLW5vdC1rZXk= \
    VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var

# The only place the portal writes: media files, the beat schedule, the demo password.
# docker-compose.yml mounts a named volume here, which starts with this ownership.
RUN mkdir -p /app/var && chown mecc:mecc /app/var

USER mecc

EXPOSE 8000

# No curl in the slim image, so Python asks /healthz. Only the database check: the web
# keeps working while Redis is down (the outbox holds messages). The Host header is the
# first entry in ALLOWED_HOSTS, or Django would answer 400 instead of the real status.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; host = next((h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() not in ('', '*')), 'localhost'); u.urlopen(u.Request('http://127.0.0.1:8000/healthz?checks=database', headers={'Host': host}), timeout=4)"]

# 3 processes x 8 threads, as measured by `make bench` (docs/performance.md): threads overlap
# database waits, and sync workers (no keep-alive) saved a third fewer conversations a second.
# Each thread may hold a database connection: 24 per container (see docs/scaling.md).
CMD ["gunicorn", "mecc_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "8", "--worker-class", "core.gunicorn_worker.BalancedThreadWorker", "--keep-alive", "75", "--access-logfile", "-"]

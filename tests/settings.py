"""Test settings: the environment a test run needs, then the one real settings module.

Only values a test run must have are set here (and only if the environment has not set them),
so the same suite runs on SQLite by default and on PostgreSQL + Redis in CI.
"""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("EMAIL_URL", "memorymail://")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("DEMO_PASSWORD", "demo-password-for-tests")
# A Fernet key for tests only (32 bytes: "tests-only-field-encryption-key!").
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "dGVzdHMtb25seS1maWVsZC1lbmNyeXB0aW9uLWtleSE=")


def redis_url_for_worker(url: str, worker: str) -> str:
    """The Redis database a pytest-xdist worker (gw0, gw1, ...) uses: gw0 the one given, gw1
    the number below it, and so on. Every test starts and ends by emptying the cache
    (tests/conftest.py), so two workers sharing one database would empty each other's; each
    already has its own test database on PostgreSQL (pytest-django names them _gw0, _gw1)."""
    if not url or not worker.startswith("gw"):
        return url
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(number - int(worker[2:])) % 16}"))


if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = redis_url_for_worker(
        os.environ["REDIS_URL"], os.environ.get("PYTEST_XDIST_WORKER", "")
    )

from mecc_portal.settings import *  # noqa: E402, F403 - after the environment above

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Files a test saves (reports, uploads) go to a scratch folder, never the project's var/.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "mecc-portal-test-media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# N+1 detection (tests only, never production): django-zeal raises NPlusOneError when a
# request (and the eager tasks it runs) loads a relation or repeats a lookup once per row.
# tests/n_plus_one.py wraps every request the test client makes.
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = ["tests.n_plus_one.zeal_middleware", *MIDDLEWARE]  # noqa: F405
ZEAL_RAISE = True
# Query-count tests measure the dashboard's rollup reads, not the cache in front of them;
# tests/evaluation/test_dashboard.py turns the cache on where it is the subject.
DASHBOARD_CACHE_SECONDS = 0
# Likewise the signed-in user and their roles (accounts.principals): exact query counts
# include them; tests/accounts/test_principals.py turns the cache on.
PRINCIPAL_CACHE_SECONDS = 0
# And the topics and boroughs a conversation is checked against (tests/core/test_reference.py).
REFERENCE_CACHE_SECONDS = 0
ZEAL_SHOW_ALL_CALLERS = False
# Writes that are one statement per row by design (not reads of a list), with the reason.
ZEAL_ALLOWLIST = [
    # Saving a self-assessment upserts one score per quality-marker criterion (a dozen rows,
    # each with its own evidence file), inside one transaction.
    {"model": "training.QualityScore", "field": "get()"},
    # ContentType.objects.get_for_model() caches per process; after a transactional test
    # flushes the database the cache is cold, so a request that audits two kinds of record
    # looks each one up once — a cache fill, not a query per row.
    {"model": "contenttypes.ContentType", "field": "get()"},
]

# The read replica (ADR 0010) as a mirror of the test database, so routing tests can use the
# "replica" alias. Routing stays off (no DATABASE_ROUTERS) unless DATABASE_REPLICA_URL is set;
# tests/core/test_db_routers.py switches it on with override_settings.
DATABASES.setdefault("replica", dict(DATABASES["default"]))  # noqa: F405
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405

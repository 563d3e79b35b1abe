"""Test settings: the environment a test run needs, then the one real settings module.

Only values a test run must have are set here (and only if the environment has not set them),
so the same suite runs on SQLite by default and on PostgreSQL + Redis in CI.
"""

import os
import tempfile
from pathlib import Path

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

from mecc_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Files a test saves (reports, uploads) go to a scratch folder, never the project's var/.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "mecc-portal-test-media"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

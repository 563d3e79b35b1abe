"""Settings come only from the environment and refuse unsafe production values."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-like-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "mecc.example",
}


# Every variable the settings read is removed first, so each test states its environment.
SETTINGS_VARIABLES = {
    "DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_URL",
    "CELERY_TASK_ALWAYS_EAGER",
}  # fmt: skip


def _run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    clean.update(
        {"DJANGO_SETTINGS_MODULE": "mecc_portal.settings", "VAR_DIR": "/tmp/mecc-settings-test"}
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


LOAD = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def test_production_refuses_to_start_without_a_secret_key():
    result = _run(LOAD, DEBUG="false", ALLOWED_HOSTS="mecc.example")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_starts_with_the_development_key():
    result = _run(LOAD, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("file-secret-value\n")
    code = LOAD.replace("settings.DEBUG", "settings.SECRET_KEY")
    result = _run(code, DEBUG="false", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="mecc.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "file-secret-value"


def test_production_needs_allowed_hosts():
    result = _run(LOAD, DEBUG="false", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(("name", "value"), [("DEBUG", "maybe"), ("SESSION_IDLE_SECONDS", "soon")])
def test_malformed_values_fail_loudly(name, value):
    result = _run(LOAD, **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_defaults_are_sqlite_and_the_embedded_broker():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_BROKER_URL, "
        "settings.TIME_ZONE)"
    )
    result = _run(code, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://", "Europe/London"]


def test_redis_url_sets_broker_and_cache():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BROKER_URL, settings.CACHES['default']['BACKEND'])"
    )
    result = _run(code, DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.stdout.split() == [
        "redis://127.0.0.1:6379/3",
        "django.core.cache.backends.redis.RedisCache",
    ]


def test_check_deploy_is_clean_with_production_values():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith("SECURE_")
                and k not in {"SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"}
            },
            "DJANGO_SETTINGS_MODULE": "mecc_portal.settings",
            **PRODUCTION,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def _web_worker_prints(code: str) -> str:
    """What `code` prints after importing the WSGI module, as a new gunicorn worker does."""
    result = _run(f"import mecc_portal.wsgi; {code}", DEBUG="true")
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_web_worker_has_imported_every_view_before_its_first_request():
    """The first person a new worker serves does not wait for the views to import."""
    printed = _web_worker_prints(
        "import sys; "
        "print(all(m in sys.modules for m in ('referrals.views.conversations', "
        "'training.views.catalogue', 'evaluation.views.dashboard')))"
    )
    assert printed == "True"


def test_a_web_worker_has_built_its_url_index_and_celery_registry_before_its_first_request():
    """A burst on a new worker does not rebuild them once per thread (docs/performance.md)."""
    printed = _web_worker_prints(
        "from django.urls import get_resolver; "
        "from django.utils.translation import get_language; "
        "from mecc_portal.celery import app; "
        "print(get_language() in get_resolver()._reverse_dict, app.finalized)"
    )
    assert printed == "True True"


def test_a_web_worker_freezes_what_it_loaded_so_full_collections_skip_it():
    """The garbage collector's full collections do not walk the startup heap (a pause of
    70-140 ms of the worker's GIL each, docs/performance.md), and a request's own garbage is
    still collected."""
    printed = _web_worker_prints(
        "import gc; "
        "frozen = gc.get_freeze_count(); "
        "a = []; a.append(a); del a; "
        "print(frozen > 50_000, gc.collect() >= 1)"
    )
    assert printed == "True True"

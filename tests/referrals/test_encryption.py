"""Residents' contact details are encrypted at rest, keys rotate, production needs a key."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.db import connection

from core import encryption
from referrals.models import Referral
from tests.referrals.activity_factories import ReferralFactory

ROOT = Path(__file__).resolve().parents[2]


def _raw(referral: Referral) -> dict[str, str]:
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Referral._meta.db_table)
        columns = "contact_name, contact_phone, contact_email, contact_preferred_time"
        cursor.execute(f"SELECT {columns} FROM {table} WHERE id = %s", [referral.pk])  # noqa: S608
        row = cursor.fetchone()
    return dict(zip(["name", "phone", "email", "time"], row, strict=True))


@pytest.mark.django_db
def test_the_raw_columns_hold_no_plaintext():
    referral: Referral = ReferralFactory(
        contact_name="Ada Resident",
        contact_phone="07700 900123",
        contact_email="ada@resident.example",
        contact_preferred_time="Mornings",
    )
    raw = _raw(referral)
    for value, plain in zip(
        raw.values(),
        ["Ada Resident", "07700 900123", "ada@resident.example", "Mornings"],
        strict=True,
    ):
        assert plain not in value
        assert value.startswith("gAAAA")  # a Fernet token
    fresh = Referral.objects.get(pk=referral.pk)
    assert fresh.contact_name == "Ada Resident"
    assert fresh.contact_email == "ada@resident.example"


@pytest.mark.django_db
def test_blank_stays_blank_so_a_purged_row_holds_nothing():
    referral: Referral = ReferralFactory(contact_email="", contact_preferred_time="")
    raw = _raw(referral)
    assert raw["email"] == "" and raw["time"] == ""


@pytest.mark.django_db
def test_a_new_key_in_front_still_reads_old_rows_and_rotation_moves_them(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    referral: Referral = ReferralFactory(contact_name="Ada Resident")
    old_token = _raw(referral)["name"]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    assert Referral.objects.get(pk=referral.pk).contact_name == "Ada Resident"
    rotated = encryption.encrypted_value_rotate(old_token)
    assert Fernet(new_key.encode()).decrypt(rotated.encode()) == b"Ada Resident"
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    with pytest.raises(InvalidToken):
        Referral.objects.values("contact_name").get(pk=referral.pk)


def _settings_run(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "FIELD_ENCRYPTION_KEY",
            "FIELD_ENCRYPTION_KEY_FILE",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    clean.update(
        DJANGO_SETTINGS_MODULE="mecc_portal.settings",
        VAR_DIR="/tmp/mecc-settings-test",
        SECRET_KEY="a-long-random-production-like-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="mecc.example",
        DEBUG="false",
    )
    clean.update(env)
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(len(settings.FIELD_ENCRYPTION_KEYS))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_production_refuses_to_start_without_an_encryption_key():
    result = _settings_run()
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY is not set" in result.stderr


def test_production_refuses_a_key_that_is_not_a_fernet_key():
    result = _settings_run(FIELD_ENCRYPTION_KEY="not-a-key")
    assert result.returncode != 0
    assert "must be Fernet keys" in result.stderr


def test_keys_come_from_the_environment_or_a_file(tmp_path):
    keys = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    assert _settings_run(FIELD_ENCRYPTION_KEY=keys).stdout.strip() == "2"
    key_file = tmp_path / "key"
    key_file.write_text(Fernet.generate_key().decode() + "\n")
    assert _settings_run(FIELD_ENCRYPTION_KEY_FILE=str(key_file)).stdout.strip() == "1"

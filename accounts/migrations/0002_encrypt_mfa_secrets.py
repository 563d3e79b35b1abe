"""Encrypt the TOTP keys and recovery-code seeds stored in the clear before MFAAdapter."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from accounts.mfa_secrets import encrypted_if_clear, secrets_changed
from core.encryption import decrypt_text, is_token


def _change_every(apps: Any, change: Any) -> None:
    authenticator = apps.get_model("mfa", "Authenticator")
    rows = authenticator.objects.filter(type__in=["totp", "recovery_codes"]).order_by("pk")
    for row in rows.iterator(chunk_size=500):
        data = secrets_changed(row.data, change)
        if data != row.data:
            authenticator.objects.filter(pk=row.pk).update(data=data)


def encrypt_secrets(apps: Any, schema_editor: Any) -> None:
    _change_every(apps, encrypted_if_clear)


def decrypt_secrets(apps: Any, schema_editor: Any) -> None:
    _change_every(apps, lambda value: decrypt_text(value) if is_token(value) else value)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, decrypt_secrets)]
